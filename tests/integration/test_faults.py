"""test_faults.py - a full disk and I/O errors against a real `lotse serve`
(loopback), made by the fault-injection shim (tests/faults/faultfs.c,
faults_harness.py):

- a staff publish of a flow, of an offer and of a catalogue (.po) while the
  disk is full (ENOSPC) or failing (EIO), for the whole server folder
  (database and files) and for the content folders only (the revision is
  stored, the file write fails): the answer is 507 disk_full or 500
  write_failed, the files are unchanged byte for byte, no temporary file is
  left, the revisions and the files agree, the kiosk keeps serving the old
  content, and the same publish succeeds once the disk is free;
- the shutdown save (SIGTERM with live conversations) on a full disk, also
  with part of the write getting through: a clear log line, exit status 0,
  and the next start restores nothing and serves;
- a reload (SIGHUP) on a full disk (it writes the offers into the database)
  and conversations while the disk is full: the old content keeps serving,
  one log line per reload, none per turn;
- a start on a full disk: refused with a clear line, the database untouched,
  and a normal start once there is room;
- staff logins on a full disk (ENOSPC and EIO): a failed login cannot be
  recorded, so none is checked (fail closed): wrong and right passwords
  alike get 503 unavailable with Retry-After, never 401 or 500, one log
  line for all of them; once there is room the right password logs in.
"""

import os
import signal

from faults_harness import with_faults
from lotse_harness import Client, main, run, token_id
from staff_harness import Staff, db_rows, query, read, staff_server

NEW_OFFER = {
    "id": "lesepaten", "title": "Lesepaten Süd", "description": "Vorlesen für Kinder.",
    "facts": {"audience": ["child"], "age": ["6-10"]}, "district": "Süd",
    "address": "Leseweg 3, 12345 Teststadt", "hours": "Di 15–17 Uhr",
    "email": "lesen@example.org", "languages": ["de", "uk"],
    "cost": {"text": "kostenlos", "note": "Preis"}, "sample": True,
}
OLD_ASK = "Für wen suchen Sie ein Angebot?"
NEW_ASK = "Für wen suchen Sie etwas?"

# (trigger arguments, expected status and error code); "content": only the
# flows, po and catalogue folders fail, the database works
CASES = [
    ("ENOSPC", "all", 507, "disk_full"),
    ("EIO", "all", 500, "write_failed"),
    ("ENOSPC", "content", 507, "disk_full"),
    ("EIO", "content", 500, "write_failed"),
]


def snapshot(srv):
    """Every file under the server's content folders, byte for byte."""
    out = {}
    for root in (srv.flows, srv.po_dir, srv.mo_dir):
        for d, _, files in os.walk(root):
            for f in files:
                p = os.path.join(d, f)
                out[os.path.relpath(p, srv.tmp)] = read(p, "rb")
    return out


def revisions_agree(srv):
    """The latest revision of every path is what the disk holds."""
    rows = db_rows(srv, "SELECT path, content FROM revisions r WHERE id ="
                        " (SELECT max(id) FROM revisions WHERE path = r.path)")
    for path, content in rows:
        disk = os.path.join(srv.po_dir, path[3:]) if path.startswith("po/") else \
            os.path.join(srv.flows, path[len("flows/"):])
        assert read(disk, "rb") == bytes(content), "revision of %s differs from the disk" % path


async def first_question(srv, lang="de"):
    c = await Client.open(srv.urls["socket"])
    step = await c.call({"type": "start", "tenant": "testamt", "lang": lang}, "step")
    await c.close()
    return step["text"]


def fill(disk, srv, error, where):
    disk.fill(error, dirs=[srv.flows, srv.po_dir, srv.mo_dir] if where == "content" else None)


def check_failed(srv, disk, before, nrev, got, status, code, want_status, want_code):
    assert (status, got.get("error")) == (want_status, want_code), (status, got)
    assert disk.count() > 0
    assert snapshot(srv) == before
    assert db_rows(srv, "SELECT count(*) FROM revisions")[0][0] == nrev
    revisions_agree(srv)


def test_publish_flow(args):
    async def body(srv, disk):
        s = Staff(srv)
        s.login("anna")
        for error, where, want_status, want_code in CASES:
            base = s.flow()
            new = base["yaml"].replace(OLD_ASK, NEW_ASK)
            before, nrev = snapshot(srv), db_rows(srv, "SELECT count(*) FROM revisions")[0][0]
            fill(disk, srv, error, where)
            status, _, got = s.put("/api/flows/testamt/main",
                                   {"yaml": new, "message": "kürzer", "base_revision":
                                    base["revision"], "base_hash": base["hash"]})
            check_failed(srv, disk, before, nrev, got, status, None, want_status, want_code)
            assert await first_question(srv) == OLD_ASK   # reads work on a full disk
            disk.free()
            assert await first_question(srv) == OLD_ASK
            # the same publish, now that there is room
            got = s.publish(new, base, message="kürzer")
            assert await first_question(srv) == NEW_ASK
            revisions_agree(srv)
            # and back, for the next case
            s.publish(base["yaml"], s.flow())
            assert await first_question(srv) == OLD_ASK
        assert "staff: " in srv.stderr() and "No space left on device" in srv.stderr()

    srv = staff_server(args)
    disk = with_faults(args, srv)
    try:
        with srv:
            run(body(srv, disk))
    finally:
        disk.cleanup()


def test_publish_offer(args):
    async def body(srv, disk):
        s = Staff(srv)
        s.login("anna")
        for error, where, want_status, want_code in CASES:
            cur = s.get("/api/offers/testamt")[2]
            req = {"offer": NEW_OFFER, "message": "neu", "base_revision": cur["revision"],
                   "base_hash": cur["hash"]}
            before, nrev = snapshot(srv), db_rows(srv, "SELECT count(*) FROM revisions")[0][0]
            fill(disk, srv, error, where)
            status, _, got = s.post("/api/offers/testamt", req)
            check_failed(srv, disk, before, nrev, got, status, None, want_status, want_code)
            assert await first_question(srv) == OLD_ASK
            disk.free()
            status, _, got = s.get("/api/offers/testamt/lesepaten")
            assert status == 404, (status, got)
            status, _, got = s.post("/api/offers/testamt", req)
            assert status == 201, (status, got)
            assert s.get("/api/offers/testamt/lesepaten")[0] == 200
            revisions_agree(srv)
            cur = s.get("/api/offers/testamt")[2]
            status, _, got = s.post("/api/offers/testamt/lesepaten/retire",
                                    {"message": "weg", "base_revision": cur["revision"],
                                     "base_hash": cur["hash"]})
            assert status == 200, (status, got)

    srv = staff_server(args)
    disk = with_faults(args, srv)
    try:
        with srv:
            run(body(srv, disk))
    finally:
        disk.cleanup()


def test_publish_po(args):
    async def body(srv, disk):
        s = Staff(srv)
        s.login("anna")
        po_path = os.path.join(srv.po_dir, "en.po")
        old_po = read(po_path, "rb")
        good = old_po.replace(b'msgstr "Who are you looking for an offer for?"',
                              b'msgstr "Whom are you looking for?"')
        # "mo": only the catalogue folder is full: the .po is written first
        # and must be put back when its .mo cannot be written
        for error, where, want_status, want_code in CASES + [("ENOSPC", "mo", 507, "disk_full")]:
            _, h, _ = s.get("/api/po/en.po")
            url = "/api/po/en.po?" + query(base_revision=h["x-lotse-revision"] or 0,
                                           base_hash=h["x-lotse-hash"], message="kürzer")
            before, nrev = snapshot(srv), db_rows(srv, "SELECT count(*) FROM revisions")[0][0]
            if where == "mo":
                disk.fill(error, dirs=[srv.mo_dir])
            else:
                fill(disk, srv, error, where)
            status, _, got = s.request("PUT", url, good,
                                       content_type="text/x-gettext-translation")
            check_failed(srv, disk, before, nrev, got, status, None, want_status, want_code)
            assert await first_question(srv, "en") == "Who are you looking for an offer for?"
            disk.free()
            status, _, got = s.request("PUT", url, good,
                                       content_type="text/x-gettext-translation")
            assert status == 200, (status, got)
            assert await first_question(srv, "en") == "Whom are you looking for?"
            revisions_agree(srv)
            _, h, _ = s.get("/api/po/en.po")
            status, _, got = s.request("PUT", "/api/po/en.po?" + query(
                base_revision=h["x-lotse-revision"], base_hash=h["x-lotse-hash"]), old_po,
                content_type="text/x-gettext-translation")
            assert status == 200, (status, got)
            assert await first_question(srv, "en") == "Who are you looking for an offer for?"

    srv = staff_server(args)
    disk = with_faults(args, srv)
    try:
        with srv:
            run(body(srv, disk))
    finally:
        disk.cleanup()


async def walk(url):
    c = await Client.open(url)
    await c.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
    s = await c.call({"type": "choose", "choice": "child"}, "step")
    return c, s


def restart(srv):
    """Starts srv again on its folder (same database), without faults."""
    srv.env = None
    srv.urls = {}
    with srv._stderr_lock:
        srv._stderr_lines = []
    srv.start()


def shutdown_save(args, error, after):
    srv = staff_server(args, accounts=())
    disk = with_faults(args, srv)
    try:
        srv.start()

        async def before(url):
            a, s1 = await walk(url)
            b, s2 = await walk(url)
            await b.close()   # one attached, one waiting for resume
            return a, s1, s2

        a, s1, s2 = run(before(srv.urls["socket"]))   # (a is dropped with run's loop)
        srv.wait_metric("lotse_sessions_open", 2)
        disk.fill(error, after=after)
        rc = srv.stop()
        srv.check_clean_exit(rc)
        assert disk.count() > 0
        m = srv.wait_stderr(r"resume: could not save (\d+) conversations? at shutdown .*"
                            r"they cannot be resumed after the restart")
        assert m.group(1) == "2", m.group(0)
        assert "resume: saved" not in srv.stderr()
        disk.free()
        restart(srv)
        assert db_rows(srv, "PRAGMA integrity_check") == [("ok",)]
        assert db_rows(srv, "SELECT count(*) FROM saved_sessions") == [(0,)]
        assert "resume: restored" not in srv.stderr()

        async def after_restart(url):
            for old in (s1, s2):
                c = await Client.open(url)
                e = await c.call({"type": "resume", "token": old["token"]}, "error")
                assert e["code"] == "bad_token", e
                await c.close()
            c, s = await walk(url)
            assert s["node"] == "child_age" and token_id(s["token"]) not in (
                token_id(s1["token"]), token_id(s2["token"]))
            await c.close()

        run(after_restart(srv.urls["socket"]))
        srv.check_clean_exit(srv.stop())
        assert "resume: saved 1 conversation for" in srv.stderr()   # the new one
    finally:
        srv.cleanup()
        disk.cleanup()


def test_shutdown_save_full(args):
    shutdown_save(args, "ENOSPC", None)


def test_shutdown_save_eio(args):
    shutdown_save(args, "EIO", None)


def test_shutdown_save_partly_written(args):
    # the first 2000 bytes reach the write-ahead log (a frame header and
    # half a page), then the disk is full: sqlite must not see a half
    # transaction at the next start
    shutdown_save(args, "ENOSPC", 2000)


def test_reload_and_turns_on_full_disk(args):
    async def body(srv, disk):
        conv, _ = await walk(srv.urls["socket"])
        gen = srv.metrics()["lotse_content_generation"]
        disk.fill()
        n_err = srv.stderr().count("error")
        # conversations write nothing: many turns, no log line
        for _ in range(20):
            s = await conv.call({"type": "back"}, "step")
            s = await conv.call({"type": "choose", "choice": "child"}, "step")
            assert s["node"] == "child_age", s
        assert srv.stderr().count("error") == n_err, srv.stderr()
        # a reload writes the offers into the database: it fails, once, clearly
        srv.reload()
        srv.wait_metric("lotse_reloads_total{result=\"failed\"}", 1)
        assert disk.count() > 0
        assert srv.metrics()["lotse_content_generation"] == gen
        srv.wait_stderr(r"reload: .*(full|No space)")
        srv.wait_stderr(r"reload: \d+ errors?.*the previous content keeps serving")
        assert await first_question(srv, "en") == "Who are you looking for an offer for?"
        s = await conv.call({"type": "choose", "choice": "kita"}, "step")
        assert s["node"] == "results", s
        disk.free()
        srv.reload()
        srv.wait_metric("lotse_content_generation", gen + 1)
        await conv.close()

    srv = staff_server(args, accounts=())
    disk = with_faults(args, srv)
    try:
        with srv:
            run(body(srv, disk))
    finally:
        disk.cleanup()


def test_start_on_full_disk(args):
    """A start needs to write (sqlite's -wal and -shm files, the offers):
    on a full disk it refuses with one clear line and exit status 1, and
    starts normally once there is room."""
    srv = staff_server(args, accounts=())
    disk = with_faults(args, srv)
    try:
        srv.start()
        srv.check_clean_exit(srv.stop())   # a database and its content exist
        db = read(os.path.join(srv.tmp, "lotse.db"), "rb")
        disk.fill()
        srv.urls = {}
        try:
            srv.start()
            raise AssertionError("lotse serve started on a full disk")
        except RuntimeError:
            pass
        assert srv.proc.wait(30) == 1
        srv.wait_stderr(r"error: .*lotse\.db: .*(unable to open database file|full|I/O)")
        assert disk.count() > 0
        assert read(os.path.join(srv.tmp, "lotse.db"), "rb") == db
        disk.free()
        restart(srv)
        assert db_rows(srv, "PRAGMA integrity_check") == [("ok",)]
        assert run(first_question(srv)) == OLD_ASK
        srv.check_clean_exit(srv.stop())
    finally:
        srv.cleanup()
        disk.cleanup()


def test_login_on_full_disk(args):
    srv = staff_server(args)
    disk = with_faults(args, srv)
    try:
        with srv:
            s = Staff(srv)
            for error in ("ENOSPC", "EIO"):
                disk.fill(error)
                for i in range(30):   # more than the 5 failures the account limit allows
                    status, hdrs, body = s.login("anna", password="wrong-%d" % i, expect=503)
                    assert body["error"] == "unavailable" and hdrs["retry-after"] == "60", body
                status, _, body = s.login("anna", expect=503)   # the right password
                assert body["error"] == "unavailable", body
                assert disk.count() > 0
                disk.free()
            # one line for the first refusal; the rest are counted, not logged each
            assert srv.stderr().count("staff: logins refused: ") == 1, srv.stderr()
            assert db_rows(srv, "SELECT count(*) FROM staff_login_failures") == [(0,)]
            s.login("anna")   # room again: the right password works at once
            status, _, _ = s.get("/api/session")
            assert status == 200
    finally:
        disk.cleanup()


if __name__ == "__main__":
    main([test_publish_flow, test_publish_offer, test_publish_po, test_shutdown_save_full,
          test_shutdown_save_eio, test_shutdown_save_partly_written,
          test_reload_and_turns_on_full_disk, test_start_on_full_disk, test_login_on_full_disk])
