"""test_kiosk_words.py - the kiosk page's own words come from the catalogues (issue 11), against
a real `lotse serve` on the default content:

- every word key the page uses (`word('<key>'...)` in kiosk-ui/app.js, `data-word="<key>"` in
  index.html) has a msgid with msgctxt "kiosk page: <key>" in po/lotse.pot, and each of the thirteen
  po files translates it (non-empty, not fuzzy);
- /speak/<tenant>/<lang>/words.json serves every one of those keys in each of the thirteen
  languages, in that language itself (not by fallback);
- a translation missing from a catalogue falls back along the configured chain (here to English),
  and the answer says so (`"lang": "en"`);
- app.js keeps no word table of its own: only the one "connection lost" line for a dead server;
- every office's name is translated (msgctxt "office name") in each of its languages, and the
  `tenants` message carries those names.
"""

import json
import os
import re
import shutil
import tempfile

from lotse_harness import Client, Server, main, run

# de-x-es (Easy German) is a language of its own with its own catalogue: its page words and
# office names are its own, not German's by fallback
LANGS = ["de", "de-x-es", "en", "ar", "tr", "ru", "pl", "uk", "ku", "fa", "ro", "bg", "ps"]
NO_VOICE_CTX = "kiosk page: shown once when a language has no voice for reading aloud"
OFFICES = ["boerde", "dessau-rosslau", "goslar", "lueneburg", "salzgitter"]


def default_content(args, po=""):
    return Server(args, flows=os.path.join(args.source, "flows"), po=po)


def page_keys(source):
    """The word keys kiosk-ui/app.js and index.html use."""
    with open(os.path.join(source, "kiosk-ui/app.js"), encoding="utf-8") as f:
        js = f.read()
    with open(os.path.join(source, "kiosk-ui/index.html"), encoding="utf-8") as f:
        html = f.read()
    # a literal key only (the phone link's words, word('take_home_' + key), come with the link)
    keys = set(re.findall(r"\bword(?:Of)?\('([A-Za-z_]+)'\s*[,)]", js))
    keys |= set(re.findall(r"\bfact\(dl, '([A-Za-z_]+)'", js))
    keys |= set(re.findall(r"\bputWord\([^,()]+, '([A-Za-z_]+)'", js))
    keys |= set(re.findall(r'data-word="([A-Za-z_]+)"', html))
    return keys


def po_entries(path):
    """{(msgctxt, msgid): (msgstr, fuzzy)} of a po file (continuation lines joined)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    for b in blocks:
        fields, cur, fuzzy = {}, None, False
        for line in b.split("\n"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            m = re.match(r'^(msgctxt|msgid|msgstr) "(.*)"$', line)
            if m:
                cur = m.group(1)
                fields[cur] = m.group(2)
                continue
            m = re.match(r'^"(.*)"$', line)
            if m and cur:
                fields[cur] += m.group(1)
            else:
                cur = None
        if "msgid" in fields:
            out[(fields.get("msgctxt"), fields["msgid"])] = (fields.get("msgstr", ""), fuzzy)
    return out


def test_keys_translated_in_every_catalogue(args):
    keys = page_keys(args.source)
    # the page uses at least these (a regex that finds nothing must fail here)
    assert {"back", "restart", "language", "idle_title", "yes", "lost", "office",
            "choose_language", "when", "where", "print", "you", "greet", "listen_all",
            "phone", "no_voice"} <= keys, sorted(keys)
    pot = po_entries(os.path.join(args.source, "po/lotse.pot"))
    msgid = {ctx[len("kiosk page: "):]: mid for (ctx, mid) in pot
             if ctx and ctx.startswith("kiosk page: ")}
    # the no-voice line is older and has a context that says more (content/messages.h)
    msgid["no_voice"] = msgid.pop(NO_VOICE_CTX[len("kiosk page: "):])
    missing = sorted(keys - set(msgid))
    assert not missing, "page words without a msgid in po/lotse.pot: %s" % missing
    for lang in LANGS:
        po = po_entries(os.path.join(args.source, "po", lang + ".po"))
        for key in sorted(keys):
            ctx = NO_VOICE_CTX if key == "no_voice" else "kiosk page: " + key
            got = po.get((ctx, msgid[key]))
            assert got and got[0] and not got[1], \
                "po/%s.po does not translate kiosk page: %s (%r)" % (lang, key, got)


def test_words_json_in_every_language(args):
    keys = page_keys(args.source)
    with default_content(args) as srv:
        for lang in LANGS:
            status, h, body = srv.http_get("kiosk", "/speak/salzgitter/%s/words.json" % lang)
            assert status == 200 and h["content-type"] == "application/json", (lang, status)
            words = json.loads(body)["words"]
            for key in sorted(keys):
                w = words.get(key)
                assert w and w["text"] and w["lang"] == lang, (lang, key, w)
        # exact words in the formal register, as the catalogues say them
        status, _, body = srv.http_get("kiosk", "/speak/goslar/ar/words.json")
        words = json.loads(body)["words"]
        assert words["idle_title"] == {"text": "هل ما زلتم هنا؟", "lang": "ar"}, words
        status, _, body = srv.http_get("kiosk", "/speak/goslar/pl/words.json")
        words = json.loads(body)["words"]
        assert words["idle_title"] == {"text": "Czy są Państwo jeszcze tutaj?", "lang": "pl"}
        assert words["you"] == {"text": "Państwo", "lang": "pl"}, words
        status, _, body = srv.http_get("kiosk", "/speak/goslar/de/words.json")
        words = json.loads(body)["words"]
        assert words["office"] == {"text": "Bildungsbüro wählen", "lang": "de"}, words


def test_missing_translation_falls_back(args):
    """Pashto without its "back" and "yes": the configured chain (default: [en]) answers, and
    says so; a text no catalogue has is the German source."""
    tmp = tempfile.mkdtemp(prefix="kwords-po-")
    try:
        po = os.path.join(tmp, "po")
        shutil.copytree(os.path.join(args.source, "po"), po)
        for name in os.listdir(po):
            if not name.endswith(".po"):
                continue
            path = os.path.join(po, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            drop = ['msgctxt "kiosk page: back"'] if name == "ps.po" else []
            if name in ("ps.po", "en.po"):
                drop.append('msgctxt "kiosk page: yes"')
            for d in drop:
                text, n = re.subn(re.escape(d) + r'\nmsgid "[^"]*"\nmsgstr "[^"]*"\n', "", text)
                assert n == 1, (name, d)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        with default_content(args, po=po) as srv:
            status, _, body = srv.http_get("kiosk", "/speak/salzgitter/ps/words.json")
            words = json.loads(body)["words"]
            assert words["back"] == {"text": "Back", "lang": "en"}, words
            assert words["yes"] == {"text": "Ja, weiter", "lang": "de"}, words
            assert words["restart"] == {"text": "بیا پیل کړئ", "lang": "ps"}, words
    finally:
        shutil.rmtree(tmp)


def test_no_word_table_in_the_page(args):
    with open(os.path.join(args.source, "kiosk-ui/app.js"), encoding="utf-8") as f:
        js = f.read()
    assert "const WORDS" not in js
    # English or German page words that used to be hard-coded
    for old in ["Choose your language", "Sprache wählen", "Are you still there?",
                "Sind Sie noch da?", "Read all answers", "Bildungsbüro wählen", "Start over"]:
        assert old not in js, old


def test_office_names_translated(args):
    names = {}
    for lang in LANGS:
        po = po_entries(os.path.join(args.source, "po", lang + ".po"))
        names[lang] = {mid: s for (ctx, mid), (s, fz) in po.items()
                       if ctx == "office name" and s and not fz}
    pot = po_entries(os.path.join(args.source, "po/lotse.pot"))
    sources = sorted(mid for (ctx, mid) in pot if ctx == "office name")
    assert len(sources) == len(OFFICES), sources
    for lang in LANGS:
        assert sorted(names[lang]) == sources, (lang, sorted(names[lang]))

    async def body(url):
        c = await Client.open(url)
        got = {t["id"]: t for t in c.tenants}
        assert sorted(got) == OFFICES, sorted(got)
        sg = got["salzgitter"]
        assert sg["name"] == "Bildungsbüro der Stadt Salzgitter", sg
        assert sorted(sg["names"]) == sorted(LANGS), sg["names"]
        assert sg["names"]["uk"] == names["uk"]["Bildungsbüro der Stadt Salzgitter"]
        assert sg["names"]["de"] == "Bildungsbüro der Stadt Salzgitter"
        # Latin inside the Arabic name is isolated (U+2068 ... U+2069)
        assert "\u2068Bildungsbüro der Stadt Salzgitter\u2069" in sg["names"]["ar"], sg["names"]
        await c.close()

    with default_content(args) as srv:
        run(body(srv.urls["socket"]))


if __name__ == "__main__":
    main([test_keys_translated_in_every_catalogue, test_words_json_in_every_language,
          test_missing_translation_falls_back, test_no_word_table_in_the_page,
          test_office_names_translated])
