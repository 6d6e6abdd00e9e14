#!/usr/bin/python3
"""speech_ttfb.py - time to the first audio byte of read-aloud (issue 9,
part 6): starts `lotse serve` on the sample content (flows/ and the compiled
catalogues of a build) and, for every language of one office that has an
espeak-ng voice, times GET /speak/<office>/<lang>/step/<flow>/<node>.opus and
/speak/<office>/<lang>/offer/<offer>.opus from sending the request to the
first byte of the answer: uncached (the content is reloaded before each
round, which empties the cache for it: its key names the generation) and
cached (the same request again). Prints the median of several rounds per
language as a table, with each figure's ratio to German uncached (the same
kind of text, this run).

Informational, not a test (docs/benchmarks.md "Read aloud"). Use a release
build (no sanitizers):

  bench/speech_ttfb.py --lotse build-rel/lotse --mo-dir build-rel/po --rounds 7
"""

import argparse
import json
import os
import socket
import statistics
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))

from lotse_harness import Server  # noqa: E402


def first_byte(srv, path):
    """Seconds from sending GET path to the answer's first byte; checks the
    whole answer is a 200 with audio."""
    host, port = srv.hostport("kiosk")
    with socket.create_connection((host, port), timeout=120) as s:
        req = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
               % (path, host, port)).encode()
        t0 = time.perf_counter()
        s.sendall(req)
        data = s.recv(1)
        t1 = time.perf_counter()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n", 1)[0]
    if not head.startswith(b"HTTP/1.1 200") or b"audio/" not in data[:1024]:
        raise RuntimeError("%s: %r" % (path, data[:200]))
    return t1 - t0


def tenant_languages(path):
    """The `languages: [de, en, ...]` line of a tenant.yaml, in its order."""
    for line in open(path, encoding="utf-8"):
        if line.startswith("languages:"):
            return [x.strip() for x in line.split(":", 1)[1].strip(" []\n").split(",")]
    raise RuntimeError("no languages: line in " + path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lotse", required=True)
    ap.add_argument("--mo-dir", required=True, help="the compiled catalogues (<build>/po)")
    ap.add_argument("--source", default=os.path.join(here, ".."))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tenant", default="salzgitter")
    ap.add_argument("--step", default="main/child_age")
    ap.add_argument("--offer", default="kita-platz-beratung")
    a = ap.parse_args()
    args = argparse.Namespace(lotse=os.path.abspath(a.lotse), source=os.path.abspath(a.source),
                              mo_dir=os.path.abspath(a.mo_dir))
    srv = Server(args, flows=os.path.join(args.source, "flows"), po="",
                 config={"log_level": "warning"}, name="lotse-speech-bench")
    kinds = {"step": "step/%s.opus" % a.step, "offer": "offer/%s.opus" % a.offer}
    with srv:
        _, _, body = srv.http_get("kiosk", "/speak/voices.json")
        voices = json.loads(body)["voices"]
        offered = tenant_languages(os.path.join(args.source, "flows", a.tenant, "tenant.yaml"))
        langs = [l for l in offered if l in voices]   # ps has no voice
        times = {(l, k, c): [] for l in langs for k in kinds for c in ("uncached", "cached")}
        gen = srv.metrics()["lotse_content_generation"]
        for r in range(a.rounds):
            srv.reload()
            gen += 1
            srv.wait_metric("lotse_content_generation", gen)
            for l in langs:
                for k, tail in kinds.items():
                    path = "/speak/%s/%s/%s" % (a.tenant, l, tail)
                    times[(l, k, "uncached")].append(first_byte(srv, path))
                    times[(l, k, "cached")].append(first_byte(srv, path))
        m = srv.metrics()
    med = {key: statistics.median(v) * 1000 for key, v in times.items()}
    base = {k: med[("de", k, "uncached")] for k in kinds}
    print("time to first audio byte, median of %d rounds, ms (ratio to de uncached)" % a.rounds)
    print("| lang | step uncached | step cached | offer uncached | offer cached |")
    print("|---|---|---|---|---|")
    for l in langs:
        cells = []
        for k in kinds:
            for c in ("uncached", "cached"):
                v = med[(l, k, c)]
                cells.append("%.1f (%.2f)" % (v, v / base[k]))
        print("| %s | %s |" % (l, " | ".join(cells)))
    print("syntheses %d, cache hits %d, unvowelled %d" % (
        m["lotse_speech_synth_total"], m["lotse_speech_cache_hits_total"],
        m.get("lotse_speech_unvowelled_total", 0)))


if __name__ == "__main__":
    main()
