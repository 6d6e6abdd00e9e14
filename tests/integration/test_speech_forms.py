"""Speech forms of the Arabic texts (docs/translating.md "Speech forms"), against real espeak-ng
and the real server:

- espeak-ng reads the speech form of "كم عمر طفلكم؟" from po/speech/ar.po
  with its vowels, and no longer as "kilometre" (exact phoneme string);
- `lotse i18n-status` reports a drifted and a missing speech form at their
  file:line and exits 1; the shipped catalogues pass;
- /speak/ synthesises the Arabic step from its speech form (the audio is
  Ogg Opus; its .txt twin, exactly what is synthesised, is the vowelled
  text; lotse_speech_unvowelled_total stays 0); with no speech catalogue it
  reads the displayed text, counts each such text and logs it once;
- the words speech text inserts (hours, "from ... to", percent) are spoken
  from their speech forms too: the Arabic offer card reads the opening hours
  "الإثنين إلى الخميس، 9:00–15:00" fully vowelled, and espeak-ng's phonemes
  of it are exact, not those of the bare letters.
"""
import os
import re
import shutil
import subprocess
import tempfile

from lotse_harness import Server, main

QUESTION = "كم عمر طفلكم؟"
SPOKEN = "كَمْ عُمْرُ طِفْلِكُمْ؟"
STEP = "/speak/salzgitter/ar/step/main/child_age"


def speech_form(po_path, msgid):
    text = open(po_path, encoding="utf-8").read()
    m = re.search(r'^msgid "%s"\nmsgstr "(.*)"$' % re.escape(msgid), text, re.M)
    assert m, msgid
    return m.group(1)


def phonemes(text):
    r = subprocess.run(["espeak-ng", "-v", "ar", "-q", "-x", text], capture_output=True,
                       text=True, check=True)
    return r.stdout.strip()


def test_espeak_reads_the_vowels(args):
    form = speech_form(os.path.join(args.source, "po/speech/ar.po"), "Wie alt ist Ihr Kind?")
    assert form == SPOKEN, form
    # Observed with Debian 12's espeak-ng 1.51: "kam ʕumru tˤiflikum".
    spoken = phonemes(form)
    assert spoken == "kam A'umRu t['i.flik,um", spoken
    assert "kil" not in spoken
    # The displayed text alone is read as "kilometre ʕumr tflkm", the bug this fixes.
    bare = phonemes(QUESTION)
    assert bare == "ki:l'u: mit,ar A'umR t[flkm", bare


def i18n_status(args, po):
    return subprocess.run([args.lotse, "i18n-status", "--flows", os.path.join(args.source, "flows"),
                           "--po", po], capture_output=True, text=True)


def line_of(path, needle):
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.rstrip("\n") == needle:
            return n
    raise AssertionError(needle)


def test_i18n_status_reports(args):
    r = i18n_status(args, os.path.join(args.source, "po"))
    assert r.returncode == 0, r.stderr
    assert "speech form" not in r.stderr, r.stderr
    tmp = tempfile.mkdtemp(prefix="lotse-speechforms-")
    try:
        po = os.path.join(tmp, "po")
        shutil.copytree(os.path.join(args.source, "po"), po)
        sp = os.path.join(po, "speech", "ar.po")
        text = open(sp, encoding="utf-8").read()
        text = text.replace('msgstr "%s"' % SPOKEN, 'msgstr "كَمْ عُمْرُ أَطْفَالِكُمْ؟"')
        text = text.replace('msgid "Für mich selbst"\nmsgstr "لِنَفْسِي"',
                            'msgid "Für mich selbst"\nmsgstr ""')
        open(sp, "w", encoding="utf-8").write(text)
        r = i18n_status(args, po)
        assert r.returncode == 1, (r.returncode, r.stderr)
        ar = os.path.join(po, "ar.po")
        lines = r.stderr.splitlines()
        assert lines == [
            '%s:%d: no speech form in %s for this text (%s/flows/boerde/main.yaml:15; msgid '
            '"Für mich selbst")' % (ar, line_of(ar, 'msgid "Für mich selbst"'), sp, args.source),
            '%s:%d: speech form differs from the displayed text (%s:%d) once its vowel marks are '
            'removed, from character 8: "أطفالكم؟" instead of "طفلكم؟"'
            % (sp, line_of(sp, 'msgid "Wie alt ist Ihr Kind?"'), ar,
               line_of(ar, 'msgid "Wie alt ist Ihr Kind?"')),
            "lotse i18n-status: 1 speech form missing, 1 not matching the displayed text or "
            "without vowel marks",
        ], r.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def step_audio(srv, path=STEP):
    status, h, body = srv.http_get("kiosk", path + ".opus")
    assert status == 200 and h["content-type"] == "audio/ogg", (status, h)
    assert body[:4] == b"OggS" and body[28:36] == b"OpusHead", body[:40]


def step_text(srv):
    """What the step's audio synthesises: its .txt twin (one "<voice>: <text>" line a piece)."""
    status, h, body = srv.http_get("kiosk", STEP + ".txt")
    assert status == 200 and h["content-type"] == "text/plain; charset=utf-8", (status, h)
    return body.decode("utf-8")


def test_speak_uses_the_speech_form(args):
    with Server(args, flows=os.path.join(args.source, "flows"), po="") as srv:
        step_audio(srv)
        m = srv.metrics()
        assert m["lotse_speech_synth_total"] == 1, m
        assert m["lotse_speech_unvowelled_total"] == 0, m
        # The vowelled text is what is synthesised, not the displayed one.
        assert step_text(srv) == "ar: %s\n" % SPOKEN

    # Without the speech catalogue: the displayed text, counted, logged once.
    tmp = tempfile.mkdtemp(prefix="lotse-nospeech-")
    try:
        for name in os.listdir(args.mo_dir):
            if name.endswith(".mo"):
                shutil.copy(os.path.join(args.mo_dir, name), tmp)
        srv = Server(args, flows=os.path.join(args.source, "flows"), po="",
                     config={"catalogues": tmp})
        with srv:
            step_audio(srv)
            step_audio(srv, "/speak/salzgitter/ar/step/main/who")
            m = srv.metrics()
            assert m["lotse_speech_unvowelled_total"] == 2, m
            warnings = [l for l in srv.stderr().splitlines() if "no speech form" in l]
            assert len(warnings) == 1, warnings
            assert 'no speech form for a ar text (msgid "Wie alt ist Ihr Kind?")' in warnings[0]
            assert step_text(srv) == "ar: %s\n" % QUESTION
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# The opening hours of the Goslar office's own offer ("Mo–Do 9–15 Uhr"), as the Arabic offer card
# reads them: the speech form of the text with the speech forms of the inserted words (a shadda
# is written before its vowel, as po/speech/ar.po writes the speech words).
HOURS_SPOKEN = "الْإِثْنَيْنِ إِلَى الْخَمِيسِ، مِنَ السَّاعَةِ 9 إِلَى السَّاعَةِ 15"
# Before the words had speech forms: the inserted words were the bare ones of po/ar.po.
HOURS_BARE_WORDS = "الْإِثْنَيْنِ إِلَى الْخَمِيسِ، من الساعة 9 إلى الساعة 15"


def test_speech_words_vowelled(args):
    with Server(args, flows=os.path.join(args.source, "flows"), po="") as srv:
        status, _, body = srv.http_get("kiosk", "/speak/goslar/ar/offer/koordinierungsstelle.txt")
        assert status == 200, status
        lines = body.decode("utf-8").splitlines()
        m = srv.metrics()
        assert m["lotse_speech_unvowelled_total"] == 0, m
    assert "ar: " + HOURS_SPOKEN in lines, lines
    # Observed with Debian 12's espeak-ng 1.51: "mina ssāʕati tisʕa ʔilā ssāʕati xamsata ʕašar".
    spoken = phonemes(HOURS_SPOKEN)
    assert spoken == ("al?iTn'ain,i ?'ila: alX'ami:s,i\n"
                      "m'ina ?asss'a:Aat,i t'isA-a ?'ila: ?asss'a:Aat,i x'amsat,a A-,aSaR"), spoken
    # With the bare words "من الساعة" loses its vowels and case ending ("min assāʕa").
    bare = phonemes(HOURS_BARE_WORDS)
    assert bare == ("al?iTn'ain,i ?'ila: alX'ami:s,i\n"
                    "m'in ?ass'a:Aa t'isA-a ?'ila: ?ass'a:Aa x'amsat,a A-,aSaR"), bare
    # `lotse speech-text` prints the same words: with --source, the text's own speech form.
    r = subprocess.run([args.lotse, "speech-text", "--catalogues", args.mo_dir, "--lang", "ar",
                        "--source", "Mo–Do 9–15 Uhr", "الإثنين إلى الخميس، 9:00–15:00", "50 %"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [HOURS_SPOKEN, "50 بِالْمِئَةِ"], r.stdout
    # "بالمئة" bare is read as the letters "bilm?t"; its speech form as words.
    assert phonemes("50 بِالْمِئَةِ") == "xams'u:n bi,a:lmi?,ati"
    assert phonemes("50 بالمئة") == "xams'u:n bilm?t"


if __name__ == "__main__":
    main([test_espeak_reads_the_vowels, test_i18n_status_reports, test_speak_uses_the_speech_form,
          test_speech_words_vowelled])
