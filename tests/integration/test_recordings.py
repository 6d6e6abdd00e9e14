"""test_recordings.py - recorded voices (issue 9, part 2) over real HTTP with a real sqlite
file: a recording uploaded through the staff API replaces synthesis on the kiosk's /speak/ (the
exact bytes the staff API stores); publishing a changed translation makes it outdated, and
synthesis is heard again until it is confirmed or recorded anew; Pashto (no espeak-ng voice)
gets audio for a recorded text and 404 for the others, and /speak/<t>/ps/recorded.json names
them; a viewer cannot upload, an editor of another office gets 404; bad uploads are refused with
415, 413 or 422 and a clear message; coverage counts; old .wav URLs are redirected.
"""

import io
import math
import os
import struct
import subprocess
import urllib.parse
import wave

from lotse_harness import compile_catalogues, main
from staff_harness import Staff, add_account, staff_server

WHO = "Für wen suchen Sie ein Angebot?"
AGE = "Wie alt ist Ihr Kind?"
PS_PO = """msgid ""
msgstr ""
"Language: ps\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "%s"
msgstr "تاسو د چا لپاره وړاندیز لټوئ؟"

msgid "%s"
msgstr "ستاسو ماشوم څو کلن دی؟"
""" % (WHO, AGE)


def wav_bytes(seconds, rate=16000, channels=1, freq=440.0):
    """A sine tone as a 16-bit PCM WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = bytearray()
        for i in range(int(seconds * rate)):
            v = int(9000 * math.sin(2 * math.pi * freq * i / rate))
            frames += struct.pack("<h", v) * channels
        w.writeframes(bytes(frames))
    return out.getvalue()


def opus_seconds(data):
    """Duration of an Ogg Opus file: the last page's granule position minus the pre-skip, at
    48 kHz (RFC 7845)."""
    assert data[:4] == b"OggS" and data[28:36] == b"OpusHead", data[:40]
    pre_skip = struct.unpack_from("<H", data, 28 + 10)[0]
    last = data.rfind(b"OggS")
    granule = struct.unpack_from("<q", data, last + 6)[0]
    return (granule - pre_skip) / 48000.0


def rec_path(t, lang, msgid, suffix=""):
    return "/api/recordings/%s/%s%s?%s" % (t, lang, suffix, urllib.parse.urlencode({"msgid": msgid}))


def speak(srv, path):
    status, h, body = srv.http_get("kiosk", path)
    if status == 200:
        assert h["content-type"] == "audio/ogg" and h["cache-control"] == "no-store", h
    return status, body


def state_of(s, t, lang, msgid):
    status, _, got = s.get("/api/recordings/%s/%s" % (t, lang))
    assert status == 200, got
    return next(x for x in got["texts"] if x["msgid"] == msgid)


def make_server(args):
    srv = staff_server(args, name="lotse-rec")
    # Pashto in the office, with two texts translated
    ty = os.path.join(srv.flows, "testamt", "tenant.yaml")
    with open(ty, encoding="utf-8") as f:
        text = f.read()
    with open(ty, "w", encoding="utf-8") as f:
        f.write(text.replace("languages: [de, en, ar]", "languages: [de, en, ar, ps]"))
    with open(os.path.join(srv.po_dir, "ps.po"), "w", encoding="utf-8") as f:
        f.write(PS_PO)
    compile_catalogues(srv.po_dir, srv.mo_dir)
    r = add_account(args, srv.db, "eve", "editor", "eve-geheim-1234", offices=["zweitamt"],
                    flows=srv.flows)
    assert r.returncode == 0, r.stderr
    return srv


def test_recording_replaces_synthesis(args):
    with make_server(args) as srv:
        anna = Staff(srv)
        anna.login("anna")
        step = "/speak/testamt/en/step/main/who.opus"
        status, synth = speak(srv, step)
        assert status == 200 and opus_seconds(synth) > 0.5, status
        assert state_of(anna, "testamt", "en", WHO)["state"] == "synthesised"

        # upload a 1.25 s WAV: stored as Ogg Opus, served instead of synthesis
        status, _, got = anna.request("POST", rec_path("testamt", "en", WHO), wav_bytes(1.25),
                                      content_type="audio/wav")
        assert status == 201, got
        assert got["duration_ms"] == 1250 and got["text"] == "Who are you looking for an offer for?"
        rid = got["id"]
        status, h, stored = anna.get("/api/recordings/testamt/en/%d.opus" % rid)
        assert status == 200 and h["content-type"] == "audio/ogg", (status, h)
        assert abs(opus_seconds(stored) - 1.25) < 0.001, opus_seconds(stored)
        status, heard = speak(srv, step)
        assert status == 200 and heard == stored, "the kiosk does not play the recording"
        assert heard != synth
        x = state_of(anna, "testamt", "en", WHO)
        assert x["state"] == "recorded" and x["recording"]["id"] == rid, x
        # an old page's .wav URL is redirected to the Opus one
        status, h, _ = srv.http_get("kiosk", "/speak/testamt/en/step/main/who.wav")
        assert status == 308 and h["location"] == step, (status, h)

        # publish a changed translation: the recording is outdated, synthesis comes back
        status, _, po = anna.get("/api/po/en.po")
        assert status == 200
        po = po.decode("utf-8").replace('msgstr "Who are you looking for an offer for?"',
                                        'msgstr "Whom are you looking for an offer for?"')
        status, _, got = anna.request("PUT", "/api/po/en.po", po.encode("utf-8"),
                                      content_type="text/plain; charset=utf-8")
        assert status == 200, got
        x = state_of(anna, "testamt", "en", WHO)
        assert x["state"] == "outdated" and x["text"] == "Whom are you looking for an offer for?", x
        status, heard = speak(srv, step)
        assert status == 200 and heard != stored and abs(opus_seconds(heard) - 1.25) > 0.01
        status, _, cov = anna.get("/api/recordings/testamt")
        en = next(l for l in cov["languages"] if l["lang"] == "en")
        assert en["recorded"] == 0 and en["outdated"] == 1 and en["silent"] == 0, en
        assert en["synthesised"] == en["total"] - 1, en

        # confirmed: the same audio for the new text, played again
        status, _, got = anna.post(rec_path("testamt", "en", WHO, "/confirm"))
        assert status == 200 and got["text"] == "Whom are you looking for an offer for?", got
        status, heard = speak(srv, step)
        assert heard == stored
        # deleted: synthesis again; every revision kept
        status, _, got = anna.request("DELETE", rec_path("testamt", "en", WHO))
        assert status == 200, got
        status, heard = speak(srv, step)
        assert status == 200 and heard != stored
        status, _, hist = anna.get(rec_path("testamt", "en", WHO, "/history"))
        assert [(r["deleted"], r["author"]) for r in hist["revisions"]] == [
            (True, "anna"), (False, "anna"), (False, "anna")], hist
        assert hist["revisions"][0]["parent"] == hist["revisions"][1]["id"]
        assert state_of(anna, "testamt", "en", WHO)["state"] == "synthesised"
        # the audit log names each change
        actions = [e["action"] for e in anna.get("/api/audit")[2]["entries"]]
        assert actions.count("recording") == 1 and actions.count("recording_confirm") == 1
        assert actions.count("recording_delete") == 1


def test_pashto(args):
    with make_server(args) as srv:
        anna = Staff(srv)
        anna.login("anna")
        assert speak(srv, "/speak/testamt/ps/step/main/who.opus")[0] == 404
        status, _, got = srv.http_get("kiosk", "/speak/testamt/ps/recorded.json")
        assert status == 200 and got == b'{"recorded":[]}', got
        status, _, cov = anna.get("/api/recordings/testamt")
        ps = next(l for l in cov["languages"] if l["lang"] == "ps")
        assert ps["voice"] is False and ps["recorded"] == 0 and ps["silent"] == ps["total"], ps
        # stereo, 44.1 kHz: mixed down and encoded
        status, _, got = anna.request("POST", rec_path("testamt", "ps", WHO),
                                      wav_bytes(0.5, rate=44100, channels=2),
                                      content_type="audio/x-wav")
        assert status == 201 and got["duration_ms"] == 500, got
        status, heard = speak(srv, "/speak/testamt/ps/step/main/who.opus")
        assert status == 200 and abs(opus_seconds(heard) - 0.5) < 0.001
        assert speak(srv, "/speak/testamt/ps/step/main/child_age.opus")[0] == 404
        status, _, got = srv.http_get("kiosk", "/speak/testamt/ps/recorded.json")
        assert status == 200 and got == b'{"recorded":["step/main/who"]}', got
        status, _, cov = anna.get("/api/recordings/testamt")
        ps = next(l for l in cov["languages"] if l["lang"] == "ps")
        assert ps["recorded"] == 1 and ps["silent"] == ps["total"] - 1, ps
        # `lotse i18n-status` counts the same (the server's own configuration and database)
        r = subprocess.run([args.lotse, "i18n-status", "--config",
                            os.path.join(srv.tmp, "lotse.yaml")], capture_output=True, text=True,
                           timeout=60)
        rows = [l.split() for l in r.stdout.splitlines()]
        assert ["testamt", "ps", "1", "0", "0", str(ps["total"] - 1), "none", "(recordings",
                "only)"] in rows, r.stdout + r.stderr
        assert ["testamt", "en", "0", "0", str(ps["total"]), "0", "espeak-ng"] in rows, r.stdout
        # the Pashto text is not translated for this one: record after translating
        status, _, got = anna.request("POST", rec_path("testamt", "ps", "Für mein Kind"),
                                      wav_bytes(0.5), content_type="audio/wav")
        assert status == 422 and got["error"] == "untranslated", got
        # an upload of the recording itself (Ogg Opus) is accepted too
        status, _, got = anna.request("POST", rec_path("testamt", "ps", AGE), heard,
                                      content_type="audio/ogg")
        assert status == 201 and got["duration_ms"] == 500, got
        status, _, got = srv.http_get("kiosk", "/speak/testamt/ps/recorded.json")
        assert got == b'{"recorded":["step/main/who","step/main/child_age"]}', got


def test_permissions_and_bad_uploads(args):
    with make_server(args) as srv:
        anna, vera, eve = Staff(srv), Staff(srv), Staff(srv)
        anna.login("anna")
        vera.login("vera")
        eve.login("eve", password="eve-geheim-1234")
        good = wav_bytes(0.5)
        status, _, got = vera.request("POST", rec_path("testamt", "en", WHO), good,
                                      content_type="audio/wav")
        assert status == 403 and got["error"] == "forbidden", got
        assert vera.get("/api/recordings/testamt/en")[0] == 200   # viewers read
        for path in (rec_path("testamt", "en", WHO), "/api/recordings/testamt/en",
                     "/api/recordings/testamt"):
            status, _, got = eve.request("POST" if "msgid" in path else "GET", path,
                                         good if "msgid" in path else None,
                                         content_type="audio/wav")
            assert status == 404 and got["message"] == "Dieses Bildungsbüro gibt es nicht.", got
        cases = [
            # (body, content type, status, error code, words in the message)
            (good, "audio/webm", 415, "unsupported_media_type", "audio/wav"),
            (b"\x1a\x45\xdf\xa3" + b"\0" * 2000, "audio/wav", 415, "unsupported_media_type",
             "WebM"),
            (b"ID3\x04" + b"\0" * 2000, "audio/ogg", 415, "unsupported_media_type",
             "Unbekanntes Format"),
            (good[:30], "audio/wav", 422, "invalid_audio", "fmt chunk"),
            (good.replace(b"\x01\x00\x01\x00", b"\x03\x00\x01\x00", 1), "audio/wav", 422,
             "invalid_audio", "not PCM"),
            (wav_bytes(0.1), "audio/wav", 422, "invalid_audio", "kürzer als 0,2 Sekunden"),
            (b"OggS" + b"\0" * 2000, "audio/ogg", 415, "unsupported_media_type",
             "kein lesbares Opus"),
            (wav_bytes(61, rate=8000), "audio/wav", 413, "too_long", "länger als 60 Sekunden"),
            (b"RIFF" + b"\0" * (2 << 20), "audio/wav", 413, "too_large", "2 MiB"),
        ]
        for body, ctype, want, code, words in cases:
            status, _, got = anna.request("POST", rec_path("testamt", "en", WHO), body,
                                          content_type=ctype)
            assert status == want and got["error"] == code and words in got["message"], (
                ctype, len(body), status, got)
        status, _, got = anna.request("POST", rec_path("testamt", "en", "Gibt es nicht"), good,
                                      content_type="audio/wav")
        assert status == 404, got
        status, _, got = anna.request("POST", "/api/recordings/testamt/fr?msgid=x", good,
                                      content_type="audio/wav")
        assert status == 404, got
        status, _, got = anna.request("POST", "/api/recordings/testamt/en", good,
                                      content_type="audio/wav")
        assert status == 400 and "msgid" in got["message"], got
        status, _, got = anna.request("DELETE", rec_path("testamt", "en", WHO))
        assert status == 404, got
        # nothing was stored by any of it
        status, _, cov = anna.get("/api/recordings/testamt")
        assert all(l["recorded"] == 0 and l["outdated"] == 0 for l in cov["languages"]), cov


if __name__ == "__main__":
    main([test_recording_replaces_synthesis, test_pashto, test_permissions_and_bad_uploads])
