"""test_kiosk_speak.py - the /speak routes that make everything on the kiosk
page audible (issue 9), against a real `lotse serve` on the default content
with real espeak-ng:

- one answer, all answers ("1: ..., 2: ..."), a results heading with its
  count, a language's own name, the page's words (welcome, idle warning):
  each Ogg Opus with a duration, and each with a .txt twin giving exactly
  the texts (and voices) read, one line per piece; the .wav of every route
  is redirected (308) to its .opus;
- words.json: the page's words from the catalogues, with the no-voice line
  in Pashto;
- 404 for unknown answers, steps without answers, languages the office does
  not offer or that have no voice, unknown words, counts beyond the limit;
- the cache: a second request of the same recording is a hit in /metrics.
"""

import json
import os
import struct

from lotse_harness import Server, main

WHO_EN = ["For my child", "For myself", "For me as a mother or father", "We are new in Germany",
          "I work in education", "Talk to someone"]


def default_content(args):
    return Server(args, flows=os.path.join(args.source, "flows"), po="")


def get(srv, path):
    status, h, body = srv.http_get("kiosk", path)
    return status, h, body


def audio(srv, path):
    """Seconds of the audio (Ogg Opus; the name is from the WAV days) of a /speak/ path: the
    last page's granule position minus the pre-skip (RFC 7845), after checking the first page
    is an OpusHead of one channel."""
    status, h, body = get(srv, path)
    assert status == 200, (path, status, body[:200])
    assert h["content-type"] == "audio/ogg" and h["cache-control"] == "no-store", h
    assert body[:4] == b"OggS" and body[28:36] == b"OpusHead" and body[37] == 1, body[:40]
    pre_skip = struct.unpack_from("<H", body, 38)[0]
    last = body.rfind(b"OggS")
    return (struct.unpack_from("<q", body, last + 6)[0] - pre_skip) / 48000.0


def txt(srv, path):
    status, h, body = get(srv, path)
    assert status == 200, (path, status, body[:200])
    assert h["content-type"] == "text/plain; charset=utf-8" and h["cache-control"] == "no-store", h
    return body.decode("utf-8")


def test_answers(args):
    with default_content(args) as srv:
        base = "/speak/salzgitter/en/"
        assert txt(srv, base + "choice/main/who/parent.txt") == "en: For me as a mother or father\n"
        one = audio(srv, base + "choice/main/who/parent.opus")
        assert one > 0.5, one
        expect = "".join("en: %d: %s.\n" % (i + 1, t) for i, t in enumerate(WHO_EN))
        assert txt(srv, base + "choices/main/who.txt") == expect
        every = audio(srv, base + "choices/main/who.opus")
        assert every > 3 * one, (every, one)   # six answers take longer than one
        # German: the msgids themselves, with the German voice
        de = txt(srv, "/speak/salzgitter/de/choices/main/who.txt")
        assert de.startswith("de: 1: Für mein Kind.\nde: 2: Für mich selbst.\n"), de
        assert de.count("\n") == 6, de
        # Arabic: read in Arabic
        ar = txt(srv, "/speak/salzgitter/ar/choice/main/who/child.txt")
        assert ar.startswith("ar: ") and ar != "ar: Für mein Kind\n", ar
        audio(srv, "/speak/salzgitter/ar/choices/main/who.opus")


def test_results_language_words(args):
    with default_content(args) as srv:
        assert txt(srv, "/speak/salzgitter/en/results/main/results/3.txt") == \
            "en: These offers are a good match for you.\nen: 3 offers\n", \
            txt(srv, "/speak/salzgitter/en/results/main/results/3.txt")
        assert txt(srv, "/speak/salzgitter/de/results/main/results/1.txt") == \
            "de: Diese Angebote passen zu Ihnen.\nde: 1 Angebot\n"
        none = txt(srv, "/speak/salzgitter/de/results/main/results/0.txt")
        assert none == "de: Wir haben nichts Passendes gefunden. Bitte sprechen Sie uns an.\n" \
            "de: 0 Angebote\n", none
        audio(srv, "/speak/salzgitter/uk/results/main/results/2.opus")
        # each language's name in its own voice
        assert txt(srv, "/speak/salzgitter/uk/language.txt") == "uk: Українська\n"
        assert txt(srv, "/speak/salzgitter/tr/language.txt") == "tr: Türkçe\n"
        assert txt(srv, "/speak/salzgitter/ar/language.txt") == "ar: العربية\n"
        audio(srv, "/speak/salzgitter/uk/language.opus")
        # the page's words come from the catalogues
        assert txt(srv, "/speak/salzgitter/en/words/welcome.txt") == \
            "en: Welcome! Touch the screen to begin.\n"
        assert txt(srv, "/speak/salzgitter/de/words/welcome.txt") == \
            "de: Willkommen! Berühren Sie den Bildschirm, um zu beginnen.\n"
        idle = txt(srv, "/speak/salzgitter/ru/words/idle.txt")
        assert idle.startswith("ru: Вы ещё здесь?") and "«Да, продолжить»" in idle, idle
        audio(srv, "/speak/salzgitter/ru/words/idle.opus")
        audio(srv, "/speak/salzgitter/fa/words/welcome.opus")


def test_words_json(args):
    with default_content(args) as srv:
        status, h, body = get(srv, "/speak/salzgitter/ps/words.json")
        assert status == 200 and h["content-type"] == "application/json", (status, h)
        w = json.loads(body)
        assert w["lang"] == "ps" and w["voice"] is False, w
        assert w["words"]["no_voice"] == {
            "text": "بښنه غواړو، د دې ژبې لپاره لا تر اوسه د لوړ لوستلو غږ نشته.", "lang": "ps"}, w
        # the spoken words, the no-voice line, the feedback and privacy words and the page's own
        # words (test_kiosk_words.py)
        assert {"idle", "no_voice", "welcome", "back", "yes", "lost", "fb_no", "fb_nothing",
                "fb_question", "fb_thanks", "fb_yes", "privacy_close", "privacy_text",
                "privacy_title"} <= set(w["words"]), w
        assert w["words"]["back"] == {"text": "شاته", "lang": "ps"}, w
        assert w["words"]["fb_question"] == {"text": "ایا دا له تاسو سره مرسته وکړه؟", "lang": "ps"}, w
        status, _, body = get(srv, "/speak/salzgitter/en/words.json")
        w = json.loads(body)
        assert w["voice"] is True and w["words"]["welcome"] == {
            "text": "Welcome! Touch the screen to begin.", "lang": "en"}, w
        for path in ["/speak/salzgitter/fr/words.json", "/speak/nobody/de/words.json"]:
            assert get(srv, path)[0] == 404, path


def test_not_found(args):
    with default_content(args) as srv:
        for path in ["/speak/salzgitter/de/choice/main/who/nobody.opus",     # no such answer
                     "/speak/salzgitter/de/choice/main/nowhere/child.opus",  # no such step
                     "/speak/salzgitter/de/choice/nothing/who/child.txt",
                     "/speak/salzgitter/de/choices/main/done.opus",          # an end: no answers
                     "/speak/salzgitter/de/choices/main/self_route.opus",    # a branch
                     "/speak/salzgitter/ps/choices/main/who.opus",           # no voice
                     "/speak/salzgitter/ps/choices/main/who.txt",
                     "/speak/salzgitter/ps/language.opus",
                     "/speak/salzgitter/ps/words/welcome.opus",
                     "/speak/salzgitter/fr/language.opus",                   # not offered
                     "/speak/nobody/de/language.opus",
                     "/speak/salzgitter/de/words/no_voice.opus",             # shown, not spoken
                     "/speak/salzgitter/de/words/goodbye.opus",
                     "/speak/salzgitter/de/results/main/who/1.opus",         # not a results step
                     "/speak/salzgitter/de/results/main/results/21.opus",    # more than can be shown
                     "/speak/salzgitter/de/results/main/results/01.opus",
                     "/speak/salzgitter/de/choice/main/who/child.mp3"]:
            status, _, _ = get(srv, path)
            assert status == 404, (path, status)


def test_wav_redirected(args):
    with default_content(args) as srv:
        for path in ["choice/main/who/parent", "choices/main/who", "results/main/results/3",
                     "language", "words/welcome", "step/main/who", "offer/kita-platz-beratung",
                     "person"]:
            status, h, _ = get(srv, "/speak/salzgitter/uk/%s.wav" % path)
            assert status == 308 and h["location"] == "/speak/salzgitter/uk/%s.opus" % path, \
                (path, status, h)


def test_cache(args):
    with default_content(args) as srv:
        m = srv.metrics()
        synth, hits = m["lotse_speech_synth_total"], m["lotse_speech_cache_hits_total"]
        for path in ["/speak/salzgitter/de/choices/main/who.opus",
                     "/speak/salzgitter/de/choice/main/who/new.opus",
                     "/speak/salzgitter/de/language.opus",
                     "/speak/salzgitter/de/words/idle.opus",
                     "/speak/salzgitter/de/results/main/results/4.opus"]:
            first = get(srv, path)[2]
            again = get(srv, path)[2]
            assert first == again
        m = srv.metrics()
        assert m["lotse_speech_synth_total"] == synth + 5, m
        assert m["lotse_speech_cache_hits_total"] == hits + 5, m
        # another count is another recording; .txt never synthesises
        get(srv, "/speak/salzgitter/de/results/main/results/5.opus")
        txt(srv, "/speak/salzgitter/de/results/main/results/6.txt")
        m = srv.metrics()
        assert m["lotse_speech_synth_total"] == synth + 6, m


if __name__ == "__main__":
    main([test_answers, test_results_language_words, test_words_json, test_not_found,
          test_wav_redirected, test_cache])
