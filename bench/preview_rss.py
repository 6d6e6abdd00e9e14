#!/usr/bin/python3
"""preview_rss.py - memory of staff previews (issue 10, finding 6): starts
`lotse serve` on the sample content (flows/, po/), logs in one staff
account and makes N previews of N different drafts of one flow, each with a
preview conversation whose page then goes away (what a viewer who wants to
pin memory would do). Prints the server's RSS (VmRSS) before and after,
the growth per preview, and lotse_preview_snapshots/_sessions from
/metrics. Then the same with one draft previewed N times.

Informational, not a test (docs/benchmarks.md "Previews"). Use a build
without sanitizers (ASan keeps freed memory in quarantine):

  bench/preview_rss.py --lotse build-rel/lotse --previews 2000
"""

import argparse
import asyncio
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))

from lotse_harness import Client, Server  # noqa: E402
from staff_harness import PASSWORDS, ROLES, Staff, add_account  # noqa: E402

TENANT, FLOW = "salzgitter", "main"


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def run_previews(srv, staff, base, n, same):
    origin = srv.urls["kiosk"].rstrip("/")
    for i in range(n):
        yaml = base + ("\n# Entwurf %d\n" % (0 if same else i))
        status, _, got = staff.post("/api/flows/%s/%s/preview" % (TENANT, FLOW), {"yaml": yaml})
        if status != 201:
            raise RuntimeError("preview %d: %d %r" % (i, status, got))
        conv = await Client.open(srv.urls["socket"], origin=origin)
        await conv.call({"type": "start", "tenant": TENANT, "preview": got["preview"]}, "step")
        await conv.close()


def measure(args, same):
    a = argparse.Namespace(lotse=os.path.abspath(args.lotse), source=os.path.abspath(args.source),
                           mo_dir=None)
    srv = Server(a, flows=os.path.join(a.source, "flows"), po=os.path.join(a.source, "po"),
                 config={"log_level": "warning", "po": os.path.join(a.source, "po")},
                 name="lotse-preview-bench")
    srv.db = os.path.join(srv.tmp, "lotse.db")
    r = add_account(a, srv.db, "vera", ROLES["vera"], PASSWORDS["vera"])
    assert r.returncode == 0, r.stderr
    with srv:
        staff = Staff(srv)
        staff.login("vera")
        base = staff.flow(TENANT, FLOW)["yaml"]
        asyncio.run(run_previews(srv, staff, base, 10, same))   # warm up: caches, arenas
        before = rss_kib(srv.proc.pid)
        asyncio.run(run_previews(srv, staff, base, args.previews, same))
        after = rss_kib(srv.proc.pid)
        m = srv.metrics()
    grow = after - before
    print("%-14s previews=%d rss_before=%d KiB rss_after=%d KiB growth=%d KiB "
          "(%.1f KiB per preview) snapshots=%d preview_sessions=%d"
          % ("one draft" if same else "distinct drafts", args.previews, before, after, grow,
             grow / args.previews, m.get("lotse_preview_snapshots", -1),
             m.get("lotse_preview_sessions", -1)),
          flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lotse", required=True)
    p.add_argument("--source", default=os.path.join(here, ".."))
    p.add_argument("--previews", type=int, default=500)
    args = p.parse_args()
    measure(args, same=False)
    measure(args, same=True)


if __name__ == "__main__":
    main()
