#!/usr/bin/python3
"""test_speech_text.py - speech text (issue 9): `lotse speech-text` prints, for each of the twelve
languages, exactly the words of tests/data/speech/<lang>.tsv (text TAB expected words; times,
ranges, dates, weekdays and their abbreviations, money, percent, a phone number, an e-mail and a
German address inside the text), and those words rewritten again stay the same; a German term
in parentheses is marked German when the German source has it; and real espeak-ng (`espeak-ng -v LANG -x`, the phoneme output) reads the rewritten
hours as words: "Mo–Do 9–15 Uhr" contains the phonemes of "Montag" and "bis", not "mo do"; the kiosk's
step audio is exactly espeak-ng's synthesis of the speech text, and a German address inside English
is a part of its own (German voice)."""
import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import wave

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


def samples(wav):
    w = wave.open(io.BytesIO(wav))
    return w.getframerate(), w.readframes(w.getnframes())


SAY_DE = "Offen Mo–Fr 7–16 Uhr, Bahnhofstraße 12."
SAY_EN = "Open Mon–Fri 7:00–16:00 at Bahnhofstraße 12."


def espeak_samples(voice, text):
    r = subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "--stdout", text],
                       capture_output=True, check=True)
    return samples(r.stdout)[1]


def test_kiosk(args):
    """The kiosk reads speech text. A step's audio is, sample for sample, espeak-ng's own synthesis
    (its command line at the server's 150 words per minute) of the expected words. In English the
    German address is a part of its own, read with the German voice: the audio starts with exactly
    the English words before it, and is not the English voice reading it all. (espeak-ng carries
    state from one synthesis call to the next, so only the first call of a fresh server can be
    compared sample for sample with a command-line run.)"""
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
        audio = {}
        for lang in ["de", "en"]:
            # a server of its own: its first synthesis starts from espeak-ng's initial state
            with Server(args, flows=flows, po=po) as srv:
                status, _, body = srv.http_get("kiosk", "/speak/testamt/%s/step/main/krippe_info.wav" % lang)
                check(status == 200, "step audio %s: %d" % (lang, status))
                rate, audio[lang] = samples(body)
                check(rate == 22050, "22050 Hz")
        de = espeak_samples("de", "Offen Montag bis Freitag 7 bis 16 Uhr, Bahnhofstraße 12.")
        check(audio["de"] == de, "German step audio is the synthesis of the speech text "
              "(%d and %d bytes)" % (len(audio["de"]), len(de)))
        check(audio["de"] != espeak_samples("de", SAY_DE), "not the synthesis of the written text")
        before = espeak_samples("en", "Open Monday to Friday 7 to 16 o'clock at")
        check(audio["en"].startswith(before) and len(audio["en"]) > len(before),
              "English step audio starts with the English words, then more (%d, %d bytes)" %
              (len(audio["en"]), len(before)))
        whole = espeak_samples("en", "Open Monday to Friday 7 to 16 o'clock at Bahnhofstraße 12.")
        check(audio["en"] != whole, "the address is not read with the English voice")
        print("kiosk audio: de %d samples as espeak-ng reads the speech text; en %d samples, "
              "the first %d the English words" % (len(audio["de"]) // 2, len(audio["en"]) // 2,
                                                 len(before) // 2))
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
