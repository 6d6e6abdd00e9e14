#!/usr/bin/python3
"""test_speech_text.py - speech text (issue 9): `lotse speech-text` prints, for each of the twelve
languages, exactly the words of tests/data/speech/<lang>.tsv (text TAB expected words; times,
ranges, dates, weekdays and their abbreviations, money, percent, a phone number, an e-mail and a
German address inside the text), and those words rewritten again stay the same; a German term
in parentheses is marked German when the German source has it; and real espeak-ng (`espeak-ng -v LANG -x`, the phoneme output) reads the rewritten
hours as words: "Mo–Do 9–15 Uhr" contains the phonemes of "Montag" and "bis", not "mo do"; the kiosk's
step audio (Ogg Opus) synthesises exactly the speech text (its .txt twin), and a German address
inside English is a part of its own (German voice)."""
import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lotse_harness import Server  # noqa: E402

LANGS = ["de", "en", "ar", "fa", "ku", "ps", "pl", "ro", "ru", "tr", "uk", "bg"]
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def speech_text(args, lang, texts, source=None):
    cmd = [args.lotse, "speech-text", "--catalogues", args.mo_dir, "--lang", lang]
    if source:
        cmd += ["--source", source]
    r = subprocess.run(cmd + texts, capture_output=True, text=True)
    check(r.returncode == 0, "speech-text --lang %s exits 0: %s" % (lang, r.stderr))
    return r.stdout.split("\n")[:-1]


def read_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            text, _, want = line.partition("\t")
            rows.append((n, text, want))
    return rows


def test_tables(args):
    folder = os.path.join(args.source, "tests", "data", "speech")
    for lang in LANGS:
        path = os.path.join(folder, lang + ".tsv")
        check(os.path.exists(path), "a table for " + lang)
        if not os.path.exists(path):
            continue
        rows = read_table(path)
        check(len(rows) >= 10, "%s: at least 10 rows" % path)
        got = speech_text(args, lang, [t for _, t, _ in rows])
        check(len(got) == len(rows), "%s: one line per text (%d, %d)" % (path, len(got), len(rows)))
        for (n, text, want), line in zip(rows, got):
            check(line == want, "%s:%d: %r\n  want %r\n  got  %r" % (path, n, text, want, line))
        # Speech text is a fixed point: the words, rewritten again, stay the same words.
        plain = [w.replace("[de: ", "").replace("]", "") for _, _, w in rows]
        again = speech_text(args, lang, plain)
        for (n, _, _), p, a in zip(rows, plain, again):
            a = a.replace("[de: ", "").replace("]", "")
            check(a == p, "%s:%d: rewriting the words again changes them:\n  %r\n  %r" % (path, n, p, a))
        print("speech text %s: %d rows" % (lang, len(rows)))


def test_source(args):
    got = speech_text(args, "en", ["day care centre (Kita) in Goslar", "a group (small)"],
                      source="Kindertagesstätte (Kita) in Goslar, eine Gruppe (klein)")
    check(got == ["day care centre ([de: Kita]) in Goslar", "a group (small)"],
          "German term in parentheses: %r" % got)
    # The term only inside a longer source word group ("Kita-Platz"), not in parentheses there.
    got = speech_text(args, "en", ["a place (Kita) for you"], source="Ein Kita-Platz für Sie")
    check(got == ["a place ([de: Kita]) for you"], "German term found in the source's words: %r" % got)
    # The same in German itself is not marked.
    got = speech_text(args, "de", ["Kita (Kita) Bahnhofstraße 12, 38640 Goslar"], source="Kita (Kita)")
    check(got == ["Kita (Kita) Bahnhofstraße 12, 3 8 6 4 0 Goslar"], "no marks in German: %r" % got)
    r = subprocess.run([args.lotse, "speech-text", "--catalogues", args.mo_dir, "--lang", "xx", "a"],
                       capture_output=True, text=True)
    check(r.returncode == 1 and "unknown language" in r.stderr, "unknown language: " + r.stderr)


def phonemes(lang, text):
    r = subprocess.run(["espeak-ng", "-q", "-v", lang, "-x", text], capture_output=True, text=True)
    check(r.returncode == 0, "espeak-ng -v %s runs: %s" % (lang, r.stderr))
    return " ".join(r.stdout.split())


def unstressed(p):
    """Phonemes without stress marks: a word read alone is stressed differently than in a phrase."""
    return p.replace("'", "").replace(",", "")


def test_espeak(args):
    if not shutil.which("espeak-ng"):
        check(False, "espeak-ng is installed (Debian package espeak-ng, scripts/quickstart)")
        return
    cases = [
        # lang, written, words whose phonemes must be heard, phonemes that must not
        ("de", "Mo–Do 9–15 Uhr", ["Montag", "bis", "Donnerstag"], "m'o: d'o:"),
        ("en", "Mon–Thu 9:00–15:00", ["Monday", "Thursday", "o'clock"], "z'i@roU z'i@roU"),
        ("tr", "Pzt–Per 9:00–15:00", ["Pazartesiden", "Perşembeye"], None),
        ("ru", "Пн–Чт 9:00–15:00", ["понедельника", "четверг"], None),
        ("pl", "Pon.–czw. 9:00–15:00", ["poniedziałku", "czwartku"], None),
    ]
    for lang, written, words, never in cases:
        said = speech_text(args, lang, [written])
        heard = phonemes(lang, said[0] if said else "")
        for w in words:
            p = phonemes(lang, w)
            check(p and unstressed(p) in unstressed(heard), "%s: %r read as %r: the phonemes of %r (%s) are in %r" %
                  (lang, written, said, w, p, heard))
        if never:
            check(never in phonemes(lang, written), "%s: %r unrewritten reads %r" % (lang, written, never))
            check(unstressed(never) not in unstressed(heard), "%s: %r rewritten no longer reads %r: %r" % (lang, written, never, heard))
        print("espeak-ng %s: %r -> %s" % (lang, written, heard))


SAY_DE = "Offen Mo–Fr 7–16 Uhr, Bahnhofstraße 12."
SAY_EN = "Open Mon–Fri 7:00–16:00 at Bahnhofstraße 12."


def test_kiosk(args):
    """The kiosk reads speech text. A step's audio is Ogg Opus, and what it synthesises (the .txt
    twin of the route, one "<voice>: <text>" line a piece) is exactly the speech text. In English
    the German address is a part of its own, read with the German voice."""
    if not shutil.which("espeak-ng"):
        return
    tmp = tempfile.mkdtemp(prefix="lotse-say-")
    try:
        flows = os.path.join(tmp, "flows")
        shutil.copytree(os.path.join(args.source, "tests/data/net/flows"), flows)
        main_yaml = os.path.join(flows, "testamt", "main.yaml")
        text = open(main_yaml, encoding="utf-8").read()
        old = "Für Kinder unter 3 Jahren gibt es Krippen und Tagespflege."
        check(old in text, "the fixture step text")
        with open(main_yaml, "w", encoding="utf-8") as f:
            f.write(text.replace(old, SAY_DE))
        po = os.path.join(tmp, "po")
        os.mkdir(po)
        shutil.copy(os.path.join(args.source, "tests/data/net/po/ar.po"), po)
        en = open(os.path.join(args.source, "tests/data/net/po/en.po"), encoding="utf-8").read()
        en = en.replace('msgid "%s"\nmsgstr "For children under 3 there are crèches and childminders."' % old,
                        'msgid "%s"\nmsgstr "%s"' % (SAY_DE, SAY_EN))
        check(SAY_EN in en, "the English step text")
        with open(os.path.join(po, "en.po"), "w", encoding="utf-8") as f:
            f.write(en)
        said = {}
        with Server(args, flows=flows, po=po) as srv:
            for lang in ["de", "en"]:
                path = "/speak/testamt/%s/step/main/krippe_info" % lang
                status, h, body = srv.http_get("kiosk", path + ".opus")
                check(status == 200 and h["content-type"] == "audio/ogg" and body[:4] == b"OggS",
                      "step audio %s: %d" % (lang, status))
                status, _, body = srv.http_get("kiosk", path + ".txt")
                check(status == 200, "step text %s: %d" % (lang, status))
                said[lang] = body.decode("utf-8")
        check(said["de"] == "de: Offen Montag bis Freitag 7 bis 16 Uhr, Bahnhofstraße 12.\n",
              "German step audio is the synthesis of the speech text: %r" % said["de"])
        # (the "." after the German part has nothing to say: no piece of its own)
        check(said["en"] == "en: Open Monday to Friday 7 to 16 o'clock at \nde: Bahnhofstraße 12\n",
              "English step audio: the English words, then the address in German: %r" % said["en"])
        print("kiosk audio synthesises: %r, %r" % (said["de"], said["en"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lotse", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--mo-dir", required=True)
    args = ap.parse_args()
    test_tables(args)
    test_source(args)
    test_espeak(args)
    test_kiosk(args)
    if FAILURES:
        print("%d failures" % len(FAILURES), file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
