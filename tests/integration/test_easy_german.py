"""test_easy_german.py - Easy German ("Einfache Sprache", code de-x-es, issue 11
item 5) as a language of its own, against a real `lotse serve` on the default
content with the compiled catalogues and real espeak-ng:

- every office lists it right after German, by its own name, left to right;
- a conversation started in de-x-es over the socket gets the Easy German texts
  of po/de-x-es.po (exact), also after switching to it from German;
- read aloud: the .txt twins of /speak/<office>/de-x-es/... say the Easy German
  texts with the German voice ("de:" lines), the .opus has sound, and
  voices.json offers it;
- a malformed or unknown code in a /speak/ route is 404;
- `lotse i18n-status` on the default content: Easy German 100 % in every
  office, and the catalogue's draft mark (X-Review-Status) printed;
- with `fallback: {de-x-es: [de]}` (as in lotse.yaml) a text missing from the
  Easy German catalogue is shown in German, without it in English.
"""

import json
import os
import shutil
import struct
import subprocess
import tempfile

from lotse_harness import Client, Server, main, run

OFFICES = ["boerde", "dessau-rosslau", "goslar", "lueneburg", "salzgitter"]
EASY = {"code": "de-x-es", "autonym": "Einfache Sprache", "dir": "ltr"}
WHO = ["Für mein Kind", "Für mich selbst", "Für mich als Mutter oder Vater",
       "Wir sind neu in Deutschland", "Ich arbeite in der Bildung", "Mit einem Menschen sprechen"]
AGE = ["jünger als 3 Jahre", "3 bis 5 Jahre", "6 bis 9 Jahre", "10 bis 15 Jahre",
       "16 Jahre oder älter", "Mit einem Menschen sprechen"]


def default_content(args):
    return Server(args, flows=os.path.join(args.source, "flows"), po="")


def labels(s):
    return [c["label"] for c in s["choices"]]


def test_offices_offer_it(args):
    async def body(url):
        c = await Client.open(url)
        ids = [t["id"] for t in c.tenants]
        assert sorted(ids) == OFFICES, ids
        for t in c.tenants:
            assert t["languages"][0]["code"] == "de", t
            assert t["languages"][1] == EASY, (t["id"], t["languages"][1])
        await c.close()

    with default_content(args) as srv:
        run(body(srv.urls["socket"]))


def test_conversation(args):
    async def body(url):
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "salzgitter", "lang": "de-x-es"}, "step")
        assert (s["lang"], s["dir"], s["node"]) == ("de-x-es", "ltr", "who"), s
        assert s["text"] == "Für wen suchen Sie ein Angebot?"
        assert labels(s) == WHO, labels(s)
        s = await c.call({"type": "choose", "choice": "child"}, "step")
        assert (s["node"], s["text"]) == ("child_age", "Wie alt ist Ihr Kind?"), s
        assert labels(s) == AGE, labels(s)
        s = await c.call({"type": "choose", "choice": "age-3-5"}, "step")
        assert (s["node"], s["text"]) == ("child_need_kita", "Wobei brauchen Sie Hilfe?"), s
        assert labels(s) == ["Kita-Platz und Betreuung", "Sprache lernen",
                             "Von der Kita in die Schule", "Mit einem Menschen sprechen"], labels(s)
        s = await c.call({"type": "choose", "choice": "language"}, "step")
        assert (s["kind"], s["text"]) == ("offers", "Diese Angebote passen zu Ihnen."), s
        titles = [o["title"] for o in s["offers"]]
        assert "Sprach-Kita Lebenstedt" in titles, titles
        assert labels(s) == ["Mit einem Menschen sprechen", "Fertig"], labels(s)
        assert s["offers_text"] == "%d Angebote" % len(titles), s["offers_text"]
        kita = next(o for o in s["offers"] if o["title"] == "Sprach-Kita Lebenstedt")
        assert kita["description"] == ("Kinder lernen in der Kita jeden Tag Deutsch. "
                                "Sie lernen beim Spielen und im Alltag."), kita
        s = await c.call({"type": "choose", "choice": "person"}, "step")
        assert s["text"] == "Wir helfen Ihnen gern. So erreichen Sie uns:", s
        await c.close()

        # from German to Easy German in the middle of a conversation
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "goslar", "lang": "de"}, "step")
        assert "Mit jemandem sprechen" in labels(s), labels(s)
        s = await c.call({"type": "language", "lang": "de-x-es"}, "step")
        assert (s["lang"], s["dir"], s["node"]) == ("de-x-es", "ltr", "who"), s
        assert s["text"] == "Für wen suchen Sie ein Angebot?", s
        assert "Mit einem Menschen sprechen" in labels(s), labels(s)
        await c.close()

    with default_content(args) as srv:
        run(body(srv.urls["socket"]))


def txt(srv, path):
    status, h, body = srv.http_get("kiosk", path)
    assert status == 200, (path, status, body[:200])
    assert h["content-type"] == "text/plain; charset=utf-8", h
    return body.decode("utf-8")


def seconds(srv, path):
    """Seconds of an Ogg Opus answer (last granule position minus pre-skip, RFC 7845)."""
    status, h, body = srv.http_get("kiosk", path)
    assert status == 200 and h["content-type"] == "audio/ogg", (path, status, h)
    assert body[:4] == b"OggS" and body[28:36] == b"OpusHead", body[:40]
    pre_skip = struct.unpack_from("<H", body, 38)[0]
    last = body.rfind(b"OggS")
    return (struct.unpack_from("<q", body, last + 6)[0] - pre_skip) / 48000.0


def test_read_aloud_in_german_voice(args):
    base = "/speak/salzgitter/de-x-es/"
    with default_content(args) as srv:
        assert txt(srv, base + "step/main/who.txt") == "de: Für wen suchen Sie ein Angebot?\n"
        assert txt(srv, base + "choices/main/child_age.txt") == \
            "".join("de: %d: %s.\n" % (i + 1, t) for i, t in enumerate(AGE))
        assert txt(srv, base + "choice/main/who/staff.txt") == "de: Ich arbeite in der Bildung\n"
        assert txt(srv, base + "results/main/results/2.txt") == \
            "de: Diese Angebote passen zu Ihnen.\nde: 2 Angebote\n"
        assert txt(srv, base + "language.txt") == "de: Einfache Sprache\n"
        assert txt(srv, base + "words/welcome.txt") == \
            "de: Willkommen! Berühren Sie den Bildschirm. Dann geht es los.\n"
        assert seconds(srv, base + "step/main/who.opus") > 0.5
        status, _, body = srv.http_get("kiosk", "/speak/voices.json")
        assert status == 200, status
        voices = json.loads(body)["voices"]
        assert "de" in voices and "de-x-es" in voices, voices
        # the same text in German and in Easy German sounds the same (same voice)
        assert txt(srv, "/speak/salzgitter/de/step/main/who.txt") == \
            txt(srv, base + "step/main/who.txt")
        for bad in ("de-x-esx", "de-x-fr", "de-X-es", "de-x-", "dex-es"):
            status, _, _ = srv.http_get("kiosk", "/speak/salzgitter/%s/language.txt" % bad)
            assert status == 404, (bad, status)


def test_status(args):
    r = subprocess.run([args.lotse, "i18n-status", "--flows", os.path.join(args.source, "flows"),
                        "--po", os.path.join(args.source, "po")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = [line.split() for line in r.stdout.splitlines() if " de-x-es " in line
            and line.split()[0] in OFFICES and not line.startswith("recordings")]
    coverage = [(x[0], x[-1]) for x in rows if x[-1].endswith("%")]
    assert coverage == [(o, "100.0%") for o in OFFICES], r.stdout
    assert r.stdout.count("review status of de-x-es.po: draft, needs review by readers of the "
                          "target group and by trained checkers\n") == 1, r.stdout


def test_fallback_to_german(args):
    """po/de-x-es.po without its first question's translation, served twice."""
    po = tempfile.mkdtemp(prefix="easy-po-")
    try:
        for name in os.listdir(os.path.join(args.source, "po")):
            if name.endswith(".po"):
                shutil.copy(os.path.join(args.source, "po", name), po)
        path = os.path.join(po, "de-x-es.po")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        entry = ('msgid "Für wen suchen Sie ein Angebot?"\n'
                 'msgstr "Für wen suchen Sie ein Angebot?"\n')
        assert text.count(entry) == 1
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(entry, 'msgid "Für wen suchen Sie ein Angebot?"\nmsgstr ""\n'))

        async def first_question(url):
            c = await Client.open(url)
            s = await c.call({"type": "start", "tenant": "boerde", "lang": "de-x-es"}, "step")
            await c.close()
            return s["text"], s["choices"][0]["label"]

        flows = os.path.join(args.source, "flows")
        for fallback, expect in (({"de-x-es": ["de"], "default": ["en"]},
                                  "Für wen suchen Sie ein Angebot?"),
                                 ({"default": ["en"]}, "Who are you looking for an offer for?")):
            with Server(args, flows=flows, po=po, config={"fallback": fallback}) as srv:
                text, label = run(first_question(srv.urls["socket"]))
            assert (text, label) == (expect, "Für mein Kind"), (fallback, text, label)
    finally:
        shutil.rmtree(po)


if __name__ == "__main__":
    main([test_offices_offer_it, test_conversation, test_read_aloud_in_german_voice, test_status,
          test_fallback_to_german])
