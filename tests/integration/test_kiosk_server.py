"""test_kiosk_server.py - the server side of the kiosk page, against a real
`lotse serve` over real sockets with a real sqlite file:

- /k/<tenant> serves the page; /config.json carries the idle settings;
- /qr/...svg: an SVG that parses as XML, with the offer's title and a QR
  symbol of a valid version (finder patterns, quiet zone); 404s;
- /speak/...opus: Ogg Opus with a duration (granule position) for de, ar
  and uk, voices.json, the cache (a second request is a cache hit in
  /metrics), 404 for languages without a voice or texts that do not exist;
  an old page's .wav URL is redirected (308) to the .opus one;
- /fonts/: a real Noto file is served; "../", "%2e%2e", a symbolic link
  and a non-font extension are 404;
- {"type":"forget"}: the conversation is gone (resume -> bad_token);
- a restart: conversations saved at SIGTERM resume on the next server at
  the same step; after the window they are gone.
"""

import asyncio
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import struct
import xml.etree.ElementTree as ET
from io import BytesIO

from lotse_harness import Client, Server, main, run, token_id

SVG = "{http://www.w3.org/2000/svg}"
NOTO = "/usr/share/fonts/truetype/noto"


def default_content(args, config=None):
    """A server on the default content (flows/ and build/po): all languages."""
    return Server(args, flows=os.path.join(args.source, "flows"), po="", config=config)


# ---- page and config ----

def test_kiosk_page(args):
    with Server(args) as srv:
        with open(os.path.join(args.source, "kiosk-ui", "index.html"), "rb") as f:
            page = f.read()
        for path in ["/k/testamt", "/k/testamt/", "/k/any-office_2"]:
            status, h, body = srv.http_get("kiosk", path)
            assert status == 200 and body == page, (path, status)
            assert h["content-type"] == "text/html; charset=utf-8"
            assert "script-src 'self'" in h["content-security-policy"]
        status, _, body = srv.http_get("kiosk", "/k/testamt", method="HEAD")
        assert status == 200 and body == b""
        for path in ["/k/Testamt", "/k/", "/k", "/k/a/b", "/k/a.b", "/k/" + "a" * 65]:
            status, _, _ = srv.http_get("kiosk", path)
            assert status == 404, (path, status)


def test_config_idle(args):
    with Server(args) as srv:
        _, _, body = srv.http_get("kiosk", "/config.json")
        cfg = json.loads(body)
        assert cfg["idle_timeout"] == 90 and cfg["idle_countdown"] == 20, cfg
        assert cfg["max_message"] == 16384 and cfg["socket"]["path"] == "/", cfg
        assert cfg["reach_zone"] == 44, cfg
    with Server(args, config={"idle_timeout": 5, "idle_countdown": 45, "reach_zone": 60}) as srv:
        cfg = json.loads(srv.http_get("kiosk", "/config.json")[2])
        assert (cfg["idle_timeout"], cfg["idle_countdown"], cfg["reach_zone"]) == (5, 45, 60), cfg
    srv = Server(args, config={"idle_countdown": 19})
    try:
        try:
            srv.start()
            raise AssertionError("started with idle_countdown 19")
        except RuntimeError:
            pass
        srv.proc.wait(30)
        srv._pump.join(30)
        assert re.search(r"lotse\.yaml:\d+:\d+: .*\"idle_countdown\" must be a whole number "
                         r"from 20 to 3600", srv.stderr()), srv.stderr()
    finally:
        srv.cleanup()


# ---- QR codes ----

def qr_modules(svg_bytes):
    """Parses the SVG; returns (root, title, n, set of dark (x, y))."""
    root = ET.fromstring(svg_bytes)
    assert root.tag == SVG + "svg", root.tag
    assert root.get("role") == "img" and root.get("shape-rendering") == "crispEdges"
    vb = root.get("viewBox").split()
    assert vb[:2] == ["0", "0"] and vb[2] == vb[3], vb
    n = int(vb[2])
    # 6 CSS pixels per module (qr.h): a phone camera still reads it on screen
    assert root.get("width") == root.get("height") == str(n * 6), root.attrib
    title = root.find(SVG + "title").text
    d = root.find(SVG + "path").get("d")
    dark = set()
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", d):
        for i in range(int(w)):
            dark.add((int(x) + i, int(y)))
    assert re.fullmatch(r"(M\d+ \d+h\d+v1h-\d+z)+", d), d[:80]
    return root, title, n, dark


def check_finder(dark, x0, y0):
    for y in range(7):
        for x in range(7):
            ring = x in (0, 6) or y in (0, 6)
            core = 2 <= x <= 4 and 2 <= y <= 4
            assert ((x0 + x, y0 + y) in dark) == (ring or core), (x0, y0, x, y)


def check_qr(svg_bytes, want_title):
    _, title, n, dark = qr_modules(svg_bytes)
    assert title == want_title, title
    width = n - 8                       # 4 modules of quiet zone on each side
    version = (width - 17) // 4
    assert width == 17 + 4 * version and 1 <= version <= 40, n
    assert dark and all(4 <= x < 4 + width and 4 <= y < 4 + width for x, y in dark)
    for x0, y0 in [(4, 4), (4 + width - 7, 4), (4, 4 + width - 7)]:
        check_finder(dark, x0, y0)
    # the timing pattern: row 6 alternates between the finders
    assert all(((4 + x, 10) in dark) == (x % 2 == 0) for x in range(8, width - 8))
    return version


def test_qr(args):
    with Server(args) as srv:
        status, h, body = srv.http_get("kiosk", "/qr/testamt/krippe-sonne.svg?lang=de")
        assert status == 200 and h["content-type"] == "image/svg+xml", (status, h)
        assert h["cache-control"] == "no-store" and h["x-content-type-options"] == "nosniff"
        version = check_qr(body, "Krippe Sonnenschein")
        # The vCard (about 250 bytes) needs more than a small symbol at level M.
        assert 8 <= version <= 14, version
        status, _, body = srv.http_get("kiosk", "/qr/testamt/krippe-sonne.svg?lang=ar")
        assert status == 200
        check_qr(body, "حضانة الشمس")
        status, _, body = srv.http_get("kiosk", "/qr/testamt/krippe-sonne.svg?lang=en")
        check_qr(body, "Sunshine Crèche")
        status, _, body = srv.http_get("kiosk", "/qr/testamt/deutschkurs.svg")  # default lang
        assert status == 200
        check_qr(body, "Deutschkurs für Erwachsene")
        status, _, _ = srv.http_get("kiosk", "/qr/testamt/krippe-sonne.svg", method="HEAD")
        assert status == 200
        for path in ["/qr/testamt/krippe-sonne.svg?lang=uk",    # not offered by testamt
                     "/qr/testamt/krippe-sonne.svg?lang=xx",
                     "/qr/testamt/nothing.svg?lang=de", "/qr/nobody/krippe-sonne.svg?lang=de",
                     "/qr/zweitamt/krippe-sonne.svg?lang=de",    # another office's offer
                     "/qr/testamt/krippe-sonne.png", "/qr/testamt/krippe-sonne",
                     "/qr/testamt/Krippe.svg"]:
            status, _, _ = srv.http_get("kiosk", path)
            assert status == 404, (path, status)


# ---- read aloud ----

def opus_seconds(body):
    """Seconds of an Ogg Opus file: the last page's granule position minus the pre-skip
    (RFC 7845), after checking the first page is an OpusHead of one channel."""
    assert body[:4] == b"OggS" and body[28:36] == b"OpusHead", body[:40]
    assert body[37] == 1, "channels"
    pre_skip = struct.unpack_from("<H", body, 38)[0]
    last = body.rfind(b"OggS")
    return (struct.unpack_from("<q", body, last + 6)[0] - pre_skip) / 48000.0


def get_wav(srv, path):
    """The audio of a /speak/ path (Ogg Opus; the name is from the WAV days)."""
    status, h, body = srv.http_get("kiosk", path)
    assert status == 200, (path, status, body[:200])
    assert h["content-type"] == "audio/ogg" and h["cache-control"] == "no-store", h
    assert opus_seconds(body) > 0.3, path
    return body


def test_speech_languages(args):
    with default_content(args) as srv:
        status, h, body = srv.http_get("kiosk", "/speak/voices.json")
        assert status == 200 and h["content-type"] == "application/json"
        voices = json.loads(body)["voices"]
        for lang in ["de", "en", "ar", "fa", "tr", "uk", "ru", "pl", "ro", "bg", "ku"]:
            assert lang in voices, (lang, voices)
        assert "ps" not in voices, voices
        who = {}
        for lang in ["de", "ar", "uk"]:
            who[lang] = get_wav(srv, "/speak/salzgitter/%s/step/main/who.opus" % lang)
        assert len({who["de"], who["ar"], who["uk"]}) == 3
        get_wav(srv, "/speak/salzgitter/uk/offer/kita-platz-beratung.opus")
        get_wav(srv, "/speak/salzgitter/ar/person.opus")
        get_wav(srv, "/speak/salzgitter/de/step/main/results.opus")
        for path in ["/speak/salzgitter/ps/step/main/who.opus",        # no voice for Pashto
                     "/speak/salzgitter/fr/step/main/who.opus",        # not offered
                     "/speak/salzgitter/de/step/main/nowhere.opus",
                     "/speak/salzgitter/de/step/main/self_route.opus",  # a branch: never shown
                     "/speak/salzgitter/de/step/nothing/who.opus",
                     "/speak/salzgitter/de/offer/nothing.opus", "/speak/nobody/de/person.opus",
                     "/speak/salzgitter/de/person.mp3", "/speak/salzgitter/DE/person.opus",
                     "/speak/voices.xml"]:
            status, _, _ = srv.http_get("kiosk", path)
            assert status == 404, (path, status)
        status, h, _ = srv.http_get("kiosk", "/speak/salzgitter/de/person.wav")
        assert status == 308 and h["location"] == "/speak/salzgitter/de/person.opus", (status, h)


def test_speech_cache(args):
    with Server(args) as srv:
        m = srv.metrics()
        assert m["lotse_speech_synth_total"] == 0 and m["lotse_speech_cache_hits_total"] == 0
        first = get_wav(srv, "/speak/testamt/de/offer/krippe-sonne.opus")
        m = srv.metrics()
        assert m["lotse_speech_synth_total"] == 1 and m["lotse_speech_cache_hits_total"] == 0, m
        again = get_wav(srv, "/speak/testamt/de/offer/krippe-sonne.opus")
        assert again == first
        m = srv.metrics()
        assert m["lotse_speech_synth_total"] == 1 and m["lotse_speech_cache_hits_total"] == 1, m
        # another language is another recording
        get_wav(srv, "/speak/testamt/en/offer/krippe-sonne.opus")
        assert srv.metrics()["lotse_speech_synth_total"] == 2
        # a reload makes a new content generation: the old recordings are not used
        srv.reload()
        srv.wait_metric("lotse_content_generation", 2)
        get_wav(srv, "/speak/testamt/de/offer/krippe-sonne.opus")
        m = srv.metrics()
        assert m["lotse_speech_synth_total"] == 3 and m["lotse_speech_cache_hits_total"] == 1, m


# ---- fonts ----

def test_fonts(args):
    fonts = tempfile.mkdtemp(prefix="lotse-fonts-")
    outside = tempfile.mkdtemp(prefix="lotse-outside-")
    try:
        shutil.copy(os.path.join(NOTO, "NotoSansArabic-Regular.ttf"), fonts)
        for name in ["Small.otf", "Small.woff2", "secret.txt", "Small.ttf.txt"]:
            with open(os.path.join(fonts, name), "wb") as f:
                f.write(b"font bytes " + name.encode())
        with open(os.path.join(outside, "Secret.ttf"), "wb") as f:
            f.write(b"not for you")
        os.symlink(os.path.join(outside, "Secret.ttf"), os.path.join(fonts, "Link.ttf"))
        os.symlink(os.path.join(NOTO, "NotoSans-Regular.ttf"), os.path.join(fonts, "Noto.ttf"))
        with Server(args, config={"fonts": fonts}) as srv:
            status, h, body = srv.http_get("kiosk", "/fonts/NotoSansArabic-Regular.ttf")
            assert status == 200 and h["content-type"] == "font/ttf", (status, h)
            assert "max-age=" in h["cache-control"] and "no-cache" not in h["cache-control"]
            with open(os.path.join(NOTO, "NotoSansArabic-Regular.ttf"), "rb") as f:
                assert body == f.read()
            assert srv.http_get("kiosk", "/fonts/Small.otf")[1]["content-type"] == "font/otf"
            assert srv.http_get("kiosk", "/fonts/Small.woff2")[1]["content-type"] == "font/woff2"
            for path in ["/fonts/Link.ttf", "/fonts/Noto.ttf", "/fonts/secret.txt",
                         "/fonts/Small.ttf.txt", "/fonts/missing.ttf", "/fonts/",
                         "/fonts/../lotse.yaml", "/fonts/../fonts/Small.otf",
                         "/fonts/%2e%2e/fonts/Small.otf", "/fonts/..%2fSmall.otf",
                         "/fonts/%53mall.otf", "/fonts/.Small.otf"]:
                status, _, _ = srv.http_get("kiosk", path)
                assert status == 404, (path, status)
            line = srv.raw_http("kiosk", b"GET /fonts/../../../../etc/passwd HTTP/1.0\r\n\r\n")
            assert " 404 " in line, line
    finally:
        shutil.rmtree(fonts, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)
    # the default folder: Debian's fonts-noto-core
    with Server(args) as srv:
        status, h, body = srv.http_get("kiosk", "/fonts/NotoSans-Regular.ttf")
        assert status == 200 and h["content-type"] == "font/ttf"
        with open(os.path.join(NOTO, "NotoSans-Regular.ttf"), "rb") as f:
            assert body == f.read()
    # a missing folder: the server runs, fonts are 404
    with Server(args, config={"fonts": "/nonexistent/fonts"}) as srv:
        assert srv.http_get("kiosk", "/fonts/NotoSans-Regular.ttf")[0] == 404
        srv.wait_stderr(r"fonts: /nonexistent/fonts: .*404")


# ---- forget ----

def test_forget(args):
    async def body(url, srv):
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        token = s["token"]
        await c.call({"type": "choose", "choice": "child"}, "step")
        assert srv.metrics()["lotse_sessions_open"] == 1
        assert await c.call({"type": "forget"}) == {"type": "forgotten"}
        assert srv.metrics()["lotse_sessions_open"] == 0
        e = await c.call({"type": "resume", "token": token}, "error")
        assert e["code"] == "bad_token", e
        e = await c.call({"type": "back"}, "error")
        assert e["code"] == "no_session", e
        assert await c.call({"type": "forget"}) == {"type": "forgotten"}   # nothing to forget
        s2 = await c.call({"type": "start", "tenant": "testamt", "lang": "de"}, "step")
        assert s2["node"] == "who" and token_id(s2["token"]) != token_id(token)
        other = await Client.open(url)
        e = await other.call({"type": "resume", "token": token}, "error")
        assert e["code"] == "bad_token", e
        await other.close()
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"], srv))


# ---- resume across a restart ----

async def walk(url):
    """Starts in English and walks two steps; returns (client, step)."""
    c = await Client.open(url)
    await c.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
    await c.call({"type": "choose", "choice": "child"}, "step")
    s = await c.call({"type": "choose", "choice": "small"}, "step")
    assert s["node"] == "krippe_info" and s["can_back"] is True, s
    return c, s


async def walk_and_leave(url):
    c, s = await walk(url)
    await c.close()
    return s


def saved_rows(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT token, state, expires FROM saved_sessions ORDER BY token"
                           ).fetchall()
    finally:
        con.close()


def test_restart_resume(args):
    tmp = tempfile.mkdtemp(prefix="lotse-restart-")
    db = os.path.join(tmp, "lotse.db")
    try:
        srv = Server(args, config={"database": db})
        try:
            srv.start()

            async def before(url):
                attached, s1 = await walk(url)          # still connected at SIGTERM
                gone, s2 = await walk(url)               # dropped before: waiting for resume
                await gone.close()
                return attached, s1, s2

            loop = asyncio.new_event_loop()
            attached, s1, s2 = loop.run_until_complete(before(srv.urls["socket"]))
            srv.wait_metric("lotse_connections_open", 1)
            t0 = time.time()
            srv.check_clean_exit(srv.stop())
            assert "resume: saved 2 conversations for 1800 seconds" in srv.stderr()
            loop.run_until_complete(attached.ws.wait_closed())
            loop.close()
        finally:
            srv.cleanup()
        rows = saved_rows(db)
        assert sorted(r[0] for r in rows) == sorted([token_id(s1["token"]), token_id(s2["token"])]), rows
        for _, state, expires in rows:
            assert state.startswith("lotse1 testamt en 3 main who 0 main child_age"), state
            assert t0 - 5 + 1800 <= expires <= time.time() + 1800 + 1, (expires, t0)

        async def after(url, srv):
            assert srv.metrics()["lotse_sessions_open"] == 2
            for old in (s1, s2):
                c = await Client.open(url)
                s = await c.call({"type": "resume", "token": old["token"]}, "step")
                for k in ("tenant", "lang", "flow", "node", "kind", "text", "can_back",
                          "choices"):
                    assert s[k] == old[k], (k, s[k], old[k])
                assert token_id(s["token"]) == token_id(old["token"])
                b = await c.call({"type": "back"}, "step")
                assert b["node"] == "child_age" and b["lang"] == "en", b
                await c.close()

        with Server(args, config={"database": db}) as srv2:
            srv2.wait_stderr(r"resume: restored 2 conversations, dropped 0 that no longer fit")
            assert saved_rows(db) == []
            run(after(srv2.urls["socket"], srv2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_restart_expired(args):
    tmp = tempfile.mkdtemp(prefix="lotse-expired-")
    db = os.path.join(tmp, "lotse.db")
    try:
        # 1. A row whose window has passed and one that no longer fits.
        with Server(args, config={"database": db}) as srv:
            s = run(walk_and_leave(srv.urls["socket"]))
        rows = saved_rows(db)
        assert [r[0] for r in rows] == [token_id(s["token"])], rows
        con = sqlite3.connect(db)
        con.execute("UPDATE saved_sessions SET expires = ?", (int(time.time()) - 1,))
        con.execute("INSERT INTO saved_sessions VALUES (?, ?, ?)",
                    ("0123456789abcdef0123456789abcdef", "lotse1 testamt en 1 main gone 0 0",
                     int(time.time()) + 600))
        con.commit()
        con.close()

        async def refused(url, token):
            c = await Client.open(url)
            e = await c.call({"type": "resume", "token": token}, "error")
            assert e["code"] == "bad_token", e
            await c.close()

        with Server(args, config={"database": db}) as srv:
            srv.wait_stderr(r"resume: restored 0 conversations, dropped 1 that no longer fit")
            assert saved_rows(db) == []
            assert srv.metrics()["lotse_sessions_open"] == 0
            # the row has expired: its id is refused
            run(refused(srv.urls["socket"], token_id(s["token"])))
            run(refused(srv.urls["socket"], "0123456789abcdef0123456789abcdef"))

        # 2. The window passes while the server is down (resume_window: 1 s).
        cfg = {"database": db, "resume_window": 1}
        with Server(args, config=cfg) as srv:
            s = run(walk_and_leave(srv.urls["socket"]))
        assert len(saved_rows(db)) == 1
        time.sleep(2.2)
        with Server(args, config=cfg) as srv:
            run(refused(srv.urls["socket"], s["token"]))
            assert saved_rows(db) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main([test_kiosk_page, test_config_idle, test_qr, test_speech_languages, test_speech_cache,
          test_fonts, test_forget, test_restart_resume, test_restart_expired])
