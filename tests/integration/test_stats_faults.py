"""test_stats_faults.py - the statistics on a failing disk (the fault-injection
shim, tests/faults/faultfs.c, faults_harness.py): while the disk is full
(ENOSPC) or failing (EIO), every turn of every conversation is answered, the
writer's failure is logged once (not once per flush), and once there is room
again the counts kept in memory are written: none is lost, the exact sums
are in the database, and the server stops cleanly.
"""

import os
import sqlite3
import time

from faults_harness import with_faults
from lotse_harness import WAIT, Client, Server, main, run


def query(db, sql):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def wait_for(pred, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


async def walk(url, n):
    """n conversations who -> child -> kita -> results (one offer), forgotten."""
    for _ in range(n):
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "testamt"}, "step")
        assert s["node"] == "who", s
        await c.call({"type": "choose", "choice": "child"}, "step")
        s = await c.call({"type": "choose", "choice": "kita"}, "step")
        assert s["node"] == "results", s
        assert await c.call({"type": "event", "what": "qr"}) == {"type": "noted"}
        await c.call({"type": "forget"}, "forgotten")
        await c.close()


def sums(db):
    return dict(query(db, "SELECT event, sum(n) FROM stats_counts GROUP BY event"))


def expect(n):
    return {"start": n, "reach": 3 * n, "choose": 2 * n, "offer_shown": n, "qr": n,
            "end_finished": n}


def run_case(args, errno_name):
    srv = Server(args, config={"stats": {"flush_seconds": 1}}, name="lotse-stats-faults")
    disk = with_faults(args, srv)
    try:
        srv.start()
        db = os.path.join(srv.tmp, "lotse.db")
        url = srv.urls["socket"]
        run(walk(url, 1))
        wait_for(lambda: sums(db) == expect(1), "the first conversation's counts")

        disk.fill(errno_name)
        before = disk.count()
        run(walk(url, 3))   # every turn answered while the disk fails
        # several flushes fail (the shim counts them); one log line for all
        wait_for(lambda: disk.count() >= before + 3, "failed writes")
        wait_for(lambda: "statistics: cannot write to the database" in srv.stderr(),
                 "the log line")
        assert sums(db) == expect(1), sums(db)
        run(walk(url, 1))   # and more while it still fails
        wait_for(lambda: disk.count() >= before + 6, "more failed writes")
        assert srv.stderr().count("statistics: cannot write to the database") == 1, srv.stderr()

        disk.free()
        wait_for(lambda: "statistics: written again" in srv.stderr(), "the recovery line")
        wait_for(lambda: sums(db) == expect(5), "all counts written")
        rc = srv.stop()
        srv.check_clean_exit(rc)
        assert sums(db) == expect(5), sums(db)
        assert srv.stderr().count("statistics: cannot write to the database") == 1
    finally:
        srv.cleanup()
        disk.cleanup()


def test_full_disk(args):
    run_case(args, "ENOSPC")


def test_failing_disk(args):
    run_case(args, "EIO")


if __name__ == "__main__":
    main([test_full_disk, test_failing_disk])
