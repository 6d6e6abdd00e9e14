"""test_take_home.py - "take it home on the phone" (docs/kiosk.md), against a
real `lotse serve`:

- {"type":"take_home"} on a results step answers a URL under public_url
  (/t/<link>), its QR code, its expiry and the page's words in the
  conversation's language; elsewhere, or without public_url, no_take_home;
- the link is unguessable (at least 128 random bits: the nonce alone is
  192) and changes with every request; /t/<link>.json shows the same
  offers, in the same language and direction, with the office's contact;
- what the link holds: opened with the resume key (the same XChaCha20-
  Poly1305 construction as takehome.c, via libsodium through ctypes), its
  plaintext is exactly "<tenant>|<lang>|<offer ids>" with the expiry: no
  IP, no resume token or conversation id, no free text;
- a changed character -> 404; a passed expiry -> 410 "expired" in Arabic;
  {"type":"forget","revoke":<link>} -> 410 "revoked"; plain forget keeps it;
- another instance with the same resume key opens the link;
- the QR SVGs (link, office contact) are 6 CSS px per module.
"""

import base64
import ctypes
import ctypes.util
import json
import os
import shutil
import tempfile
import time
import xml.etree.ElementTree as ET

from lotse_harness import Client, Server, main, run, token_id

SVG = "{http://www.w3.org/2000/svg}"
PUBLIC = "https://lotse.example.org"


def make_key():
    path = os.path.join(tempfile.mkdtemp(prefix="lotse-key-"), "resume.key")
    with open(path, "wb") as f:
        f.write(os.urandom(32))
    return path


def server(args, key=None, ttl=None, public=PUBLIC):
    cfg = {}
    if public:
        cfg["public_url"] = public
    if key:
        cfg["resume_key_file"] = key
    if ttl:
        cfg["take_home_ttl"] = ttl
    return Server(args, config=cfg)


async def to_results(url, lang="ar"):
    """Starts in lang and answers child, 3-6: the results step."""
    c = await Client.open(url)
    s = await c.call({"type": "start", "tenant": "testamt", "lang": lang}, "step")
    await c.call({"type": "choose", "choice": "child"}, "step")
    s = await c.call({"type": "choose", "choice": "kita"}, "step")
    assert s["kind"] == "offers" and s["offers"], s
    return c, s


def link_of(answer):
    url = answer["url"]
    assert url.startswith(PUBLIC + "/t/"), url
    link = url[len(PUBLIC + "/t/"):]
    assert answer["qr"] == "/t/" + link + ".svg", answer
    return link


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def open_sealed(key, link):
    """Opens a link with libsodium (XChaCha20-Poly1305, AD lotse-takehome-1):
    (expiry, payload bytes)."""
    lib = ctypes.CDLL(ctypes.util.find_library("sodium"))
    assert lib.sodium_init() >= 0
    box = b64d(link)
    nonce, ct = box[:24], box[24:]
    out = ctypes.create_string_buffer(len(ct))
    outlen = ctypes.c_ulonglong(0)
    ad = b"lotse-takehome-1"
    rc = lib.crypto_aead_xchacha20poly1305_ietf_decrypt(
        out, ctypes.byref(outlen), None, ct, ctypes.c_ulonglong(len(ct)), ad,
        ctypes.c_ulonglong(len(ad)), nonce, key)
    assert rc == 0, "the link does not open with the resume key"
    plain = out.raw[:outlen.value]
    return int.from_bytes(plain[:8], "big"), plain[8:]


def qr_size(svg_bytes):
    root = ET.fromstring(svg_bytes)
    n = int(root.get("viewBox").split()[2])
    return n, int(root.get("width")), int(root.get("height"))


def test_link_roundtrip(args):
    async def body(srv, key):
        c, s = await to_results(srv.urls["socket"])
        before = time.time()
        a = await c.call({"type": "take_home"}, "take_home")
        link = link_of(a)
        assert before + 86400 - 5 <= a["expires"] <= time.time() + 86400 + 1, a
        assert a["words"]["title"] == "النتائج على هاتفكم", a["words"]
        assert set(a["words"]) == {"title", "hint", "until", "revoke", "page", "expired"}
        # unguessable: 24 random bytes of nonce + 16 of tag + the ciphertext
        assert len(b64d(link)) >= 24 + 16 + 8, len(link)
        b = await c.call({"type": "take_home"}, "take_home")
        assert link_of(b) != link and b64d(link_of(b))[:24] != b64d(link)[:24]
        # what it holds: ids only
        with open(key, "rb") as f:
            expires, plain = open_sealed(f.read(), link)
        ids = [o["id"] for o in s["offers"]]
        assert expires == a["expires"]
        assert plain == ("testamt|ar|" + ",".join(ids)).encode(), plain
        assert token_id(s["token"]).encode() not in plain and b"127.0.0.1" not in plain
        assert token_id(s["token"]) not in link
        # the JSON: same offers, same language, the contact
        status, h, raw = srv.http_get("kiosk", "/t/" + link + ".json")
        assert status == 200, (status, raw)
        assert h["cache-control"] == "no-store" and h["referrer-policy"] == "no-referrer"
        page = json.loads(raw)
        assert page["lang"] == "ar" and page["dir"] == "rtl" and page["tenant"] == "testamt"
        assert [o["id"] for o in page["offers"]] == ids
        assert [o["title"] for o in page["offers"]] == [o["title"] for o in s["offers"]]
        assert page["contact"]["phone"] == "+49 30 000000" and page["expires"] == a["expires"]
        assert page["words"]["page"] == a["words"]["page"]
        # the page itself
        status, h, html = srv.http_get("kiosk", "/t/" + link)
        assert status == 200 and b"<html" in html and h["referrer-policy"] == "no-referrer"
        # its QR code: 6 px per module
        status, h, svg = srv.http_get("kiosk", a["qr"])
        assert status == 200 and h["content-type"] == "image/svg+xml", status
        n, w, hh = qr_size(svg)
        assert w == hh == 6 * n and n >= 21 + 8, (n, w)
        # tampered: every position changed once -> 404, never 200
        for i in range(0, len(link), max(1, len(link) // 40)):
            ch = "A" if link[i] != "A" else "B"
            bad = link[:i] + ch + link[i + 1:]
            status, _, raw = srv.http_get("kiosk", "/t/" + bad + ".json")
            assert status == 404 and json.loads(raw)["error"] == "not_found", (i, status)
        for bad in [link[:-1], link + "A", "x", link + ".txt", link + "/x"]:
            status, _, _ = srv.http_get("kiosk", "/t/" + bad + ".json")
            assert status == 404, bad
        status, _, _ = srv.http_get("kiosk", "/t/%2e%2e.json")
        assert status == 404
        # plain forget (the idle reset): the link stays
        assert await c.call({"type": "forget"}) == {"type": "forgotten"}
        status, _, _ = srv.http_get("kiosk", "/t/" + link + ".json")
        assert status == 200
        # forget with revoke ("Finish" with the switch on): 410 revoked, in Arabic
        c2, _ = await to_results(srv.urls["socket"])
        a2 = await c2.call({"type": "take_home"}, "take_home")
        link2 = link_of(a2)
        assert srv.http_get("kiosk", "/t/" + link2 + ".json")[0] == 200
        assert await c2.call({"type": "forget", "revoke": link2}) == {"type": "forgotten"}
        status, _, raw = srv.http_get("kiosk", "/t/" + link2 + ".json")
        gone = json.loads(raw)
        assert status == 410 and gone["error"] == "revoked" and gone["lang"] == "ar", gone
        assert gone["dir"] == "rtl" and gone["words"]["expired"] == a["words"]["expired"]
        assert srv.http_get("kiosk", "/t/" + link2 + ".svg")[0] == 404
        assert srv.http_get("kiosk", "/t/" + link + ".json")[0] == 200   # only that one
        # a revoke of something that is no link changes nothing
        assert await c2.call({"type": "forget", "revoke": "x" + link}) == {"type": "forgotten"}
        e = await c2.call({"type": "forget", "revoke": 5}, "error")
        assert e["code"] == "missing_field", e
        await c.close()
        await c2.close()
        return link

    key = make_key()
    with server(args, key=key) as srv:
        link = run(body(srv, key))
    # another instance with the same key opens it (behind HAProxy, docs/scaling.md)
    other = server(args, key=key)
    with other:
        status, _, raw = other.http_get("kiosk", "/t/" + link + ".json")
        assert status == 200 and json.loads(raw)["lang"] == "ar", status
    # ... one with another key does not
    third = server(args)
    with third:
        assert third.http_get("kiosk", "/t/" + link + ".json")[0] == 404
    shutil.rmtree(os.path.dirname(key))


def test_expired(args):
    async def body(srv):
        c, _ = await to_results(srv.urls["socket"])
        a = await c.call({"type": "take_home"}, "take_home")
        link = link_of(a)
        await c.close()
        # wait for the server's clock to pass the expiry (ttl 2 s), asking
        deadline = time.monotonic() + 30
        while time.time() < a["expires"] + 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        status, _, raw = srv.http_get("kiosk", "/t/" + link + ".json")
        gone = json.loads(raw)
        assert status == 410 and gone["error"] == "expired" and gone["lang"] == "ar", gone
        assert gone["words"]["expired"].startswith("هذا الرابط"), gone["words"]
        assert srv.http_get("kiosk", "/t/" + link + ".svg")[0] == 404
        # the page still loads (it shows the message itself)
        assert srv.http_get("kiosk", "/t/" + link)[0] == 200

    with server(args, ttl=2) as srv:
        run(body(srv))


def test_not_offered(args):
    async def body(srv, offered):
        c = await Client.open(srv.urls["socket"])
        await c.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        e = await c.call({"type": "take_home"}, "error")   # a question, not results
        assert e["code"] == "no_take_home", e
        await c.close()
        c, _ = await to_results(srv.urls["socket"], "en")
        m = await c.call({"type": "take_home"})
        assert (m["type"] == "take_home") == offered, m
        if not offered:
            assert m["code"] == "no_take_home", m
        await c.close()
        return m

    with server(args, public=None) as srv:
        run(body(srv, False))
        status, _, raw = srv.http_get("kiosk", "/config.json")
        assert json.loads(raw)["take_home"] is False
        # the contact card's QR code: 6 px per module, with the office's name
        status, h, svg = srv.http_get("kiosk", "/qr/testamt.svg?lang=en")
        assert status == 200 and h["content-type"] == "image/svg+xml"
        n, w, _ = qr_size(svg)
        assert w == 6 * n, (n, w)
        title = ET.fromstring(svg).find(SVG + "title").text
        assert title == "Test Education Office", title   # the contact name, in English
        assert srv.http_get("kiosk", "/qr/testamt.svg?lang=xx")[0] == 404
        assert srv.http_get("kiosk", "/qr/nowhere.svg")[0] == 404
        # no public_url: no /t/ at all
        assert srv.http_get("kiosk", "/t/abc")[0] == 404
    with server(args) as srv:
        m = run(body(srv, True))
        status, _, raw = srv.http_get("kiosk", "/config.json")
        assert json.loads(raw)["take_home"] is True


if __name__ == "__main__":
    main([test_link_roundtrip, test_expired, test_not_offered])
