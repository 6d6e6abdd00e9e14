"""test_staff_crash.py - a kill -9 in the middle of a publish leaves neither a
half-written file nor a lost revision. The server is stopped on purpose at
each step of a publish (LOTSE_CRASH_AT=kill:<point> makes it wait there; the
test then sends SIGKILL): after the revision is committed, after the
temporary file is written, after the rename. The file on disk is always
whole (old or new), the revision is stored, and the next start finishes
the publish. Also: a .po upload killed after its revision is finished at
the next start with its catalogue compiled; a file edited on disk (git) is
never overwritten by that recovery.
"""

import asyncio
import http.client
import os
import signal
import threading

from lotse_harness import WAIT, Client, main, run
from staff_harness import Staff, db_rows, query, read, staff_server

OLD_Q = "Für wen suchen Sie ein Angebot?"
NEW_Q = "Für wen suchen Sie heute etwas?"


def start_crashing(srv, point):
    os.environ["LOTSE_CRASH_AT"] = "kill:" + point
    try:
        srv.start()
    finally:
        del os.environ["LOTSE_CRASH_AT"]


def kill_when_waiting(srv, point):
    """Sends SIGKILL once the server waits at the point (in a thread: the
    request that got it there never gets an answer)."""
    def killer():
        srv.wait_stderr(r"LOTSE_CRASH_AT=kill:%s: waiting here for kill -9" % point)
        srv.proc.send_signal(signal.SIGKILL)
    t = threading.Thread(target=killer, daemon=True)
    t.start()
    return t


def request_dies(fn):
    try:
        fn()
    except (http.client.HTTPException, ConnectionError, OSError):
        return
    raise AssertionError("the request got an answer from a killed server")


def restart(srv):
    srv.proc.wait(WAIT)
    srv.urls = {}
    srv.start()


def temps(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith(".lotse-tmp-"))


def check_point(args, point):
    srv = staff_server(args, name="lotse-crash")
    try:
        start_crashing(srv, point)
        path = os.path.join(srv.flows, "testamt", "main.yaml")
        s = Staff(srv)
        s.login("anna")
        base = s.flow()
        old, new = base["yaml"], base["yaml"].replace(OLD_Q, NEW_Q)
        killer = kill_when_waiting(srv, point)
        request_dies(lambda: s.publish(new, base, message="mitten drin"))
        killer.join(WAIT)
        assert srv.proc.wait(WAIT) == -signal.SIGKILL
        # whole files only, and the revision is there
        on_disk = read(path)
        assert on_disk == (new if point == "after_rename" else old), (point, on_disk)
        rows = db_rows(srv, "SELECT id, author, message, content FROM revisions ORDER BY id")
        assert [(r[0], r[1], r[2]) for r in rows] == \
            [(1, "disk", "Stand vor der ersten Änderung im Mitarbeiterbereich"),
             (2, "anna", "mitten drin")], rows
        assert rows[1][3].decode("utf-8") == new and rows[0][3].decode("utf-8") == old
        left = temps(os.path.dirname(path))
        if point == "after_temp":
            assert len(left) == 1 and left[0].startswith(".lotse-tmp-main.yaml-"), left
            assert read(os.path.join(os.path.dirname(path), left[0])) == new
        else:
            assert left == [], left
        # the next start finishes the publish
        restart(srv)
        assert read(path) == new and temps(os.path.dirname(path)) == []
        if point != "after_rename":
            srv.wait_stderr(r"staff: finished an interrupted publish of flows/testamt/main\.yaml "
                            r"\(revision 2\)")
        s.login("anna")
        now = s.flow()
        assert now["revision"] == 2 and now["changed_on_disk"] is False, now

        async def conv():
            c = await Client.open(srv.urls["socket"])
            step = await c.call({"type": "start", "tenant": "testamt"}, "step")
            assert step["text"] == NEW_Q, step
            await c.close()
        run(conv())
        srv.check_clean_exit(srv.stop())
    finally:
        srv.cleanup()


def test_kill_after_revision(args):
    check_point(args, "after_revision")


def test_kill_after_temp(args):
    check_point(args, "after_temp")


def test_kill_after_rename(args):
    check_point(args, "after_rename")


def test_kill_po_upload(args):
    srv = staff_server(args, name="lotse-crash-po")
    try:
        start_crashing(srv, "after_revision")
        po = os.path.join(srv.po_dir, "en.po")
        old = read(po, "rb")
        good = old.replace(b'msgstr "Who are you looking for an offer for?"',
                           b'msgstr "Whom are you looking for?"')
        s = Staff(srv)
        s.login("anna")
        killer = kill_when_waiting(srv, "after_revision")
        request_dies(lambda: s.request("PUT", "/api/po/en.po?" + query(message="neu"), good,
                                       content_type="text/x-gettext-translation"))
        killer.join(WAIT)
        assert srv.proc.wait(WAIT) == -signal.SIGKILL
        assert read(po, "rb") == old
        assert b"Whom" not in read(os.path.join(srv.mo_dir, "en.mo"), "rb")
        restart(srv)
        srv.wait_stderr(r"finished an interrupted publish of po/en\.po \(revision 2\)")
        assert read(po, "rb") == good
        assert b"Whom are you looking for?" in read(os.path.join(srv.mo_dir, "en.mo"), "rb")

        async def conv():
            c = await Client.open(srv.urls["socket"])
            step = await c.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
            assert step["text"] == "Whom are you looking for?", step
            await c.close()
        run(conv())
        srv.check_clean_exit(srv.stop())
    finally:
        srv.cleanup()


def test_recovery_leaves_git_edits(args):
    srv = staff_server(args, name="lotse-crash-git")
    try:
        start_crashing(srv, "after_revision")
        path = os.path.join(srv.flows, "testamt", "main.yaml")
        s = Staff(srv)
        s.login("anna")
        base = s.flow()
        killer = kill_when_waiting(srv, "after_revision")
        request_dies(lambda: s.publish(base["yaml"].replace(OLD_Q, NEW_Q), base))
        killer.join(WAIT)
        srv.proc.wait(WAIT)
        # before the restart someone edits the file with git: that wins
        by_git = base["yaml"].replace("Wie alt ist Ihr Kind?", "Wie alt ist das Kind?")
        with open(path, "w") as f:
            f.write(by_git)
        restart(srv)
        srv.wait_stderr(r"staff: flows/testamt/main\.yaml differs from its revision 2 "
                        r"\(changed on disk; kept as it is\)")
        assert read(path) == by_git
        s.login("anna")
        assert s.flow()["changed_on_disk"] is True
        srv.check_clean_exit(srv.stop())
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main([test_kill_after_revision, test_kill_after_temp, test_kill_after_rename,
          test_kill_po_upload, test_recovery_leaves_git_edits])
