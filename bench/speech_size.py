#!/usr/bin/python3
"""speech_size.py - read-aloud audio size: Ogg Opus as served now against the 16-bit mono WAV
at espeak-ng's 22050 Hz that was served before (its size follows from the duration: 44 + 2 bytes
per sample). Runs `lotse serve` on the default content with the integration tests' harness and
prints one line per /speak/ path and the total ratio (docs/benchmarks.md, "Read-aloud audio").

  bench/speech_size.py --lotse build/lotse --source . --mo-dir build/po
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from lotse_harness import Server, parse_args  # noqa: E402

PATHS = ["/speak/salzgitter/en/step/main/who.opus", "/speak/salzgitter/de/step/main/who.opus",
         "/speak/salzgitter/ar/step/main/who.opus", "/speak/salzgitter/uk/step/main/results.opus",
         "/speak/goslar/tr/step/main/who.opus", "/speak/salzgitter/de/person.opus",
         "/speak/salzgitter/de/offer/kita-platz-beratung.opus"]


def seconds(body):
    """Duration of an Ogg Opus file: last granule position minus pre-skip, at 48 kHz."""
    pre_skip = struct.unpack_from("<H", body, 38)[0]
    last = body.rfind(b"OggS")
    return (struct.unpack_from("<q", body, last + 6)[0] - pre_skip) / 48000.0


def main():
    args = parse_args()
    total_wav = total_opus = 0
    with Server(args, flows=os.path.join(args.source, "flows"), po=False) as srv:
        for p in PATHS:
            status, _, body = srv.http_get("kiosk", p)
            if status != 200:
                print("%s: %d" % (p, status))
                continue
            s = seconds(body)
            wav = 44 + 2 * round(s * 22050)
            total_wav += wav
            total_opus += len(body)
            print("%-52s %6.2f s  WAV %7d B  Opus %6d B  %5.1fx" % (p, s, wav, len(body),
                                                                    wav / len(body)))
    print("total: WAV %d B, Opus %d B, %.1fx smaller" % (total_wav, total_opus,
                                                          total_wav / total_opus))


if __name__ == "__main__":
    main()
