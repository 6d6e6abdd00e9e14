"""test_backup.py - `lotse backup FILE` against a real server and a real
sqlite file: while an editor publishes flow after flow through the staff API,
backups are taken again and again; every one opens, passes integrity_check,
is one self-contained file (rollback journal, no -wal/-shm, no .tmp left)
and holds one consistent state: revisions 1..n without a gap, each with
exactly the content that was published as that revision and the right
parent, n between the counts before and after the backup. Also: a missing
folder, the live database itself (by name, through a symbolic link, its
-wal file), a database that does not exist, a full disk (a small tmpfs; the
older backup stays as it was) and a bad command line each give a clear
message and a non-zero exit status, and nothing is left behind.
"""

import os
import sqlite3
import stat
import subprocess
import tempfile
import threading
import time

from lotse_harness import WAIT, main
from staff_harness import Staff, db_rows, read, staff_server

FLOW = "flows/testamt/main.yaml"
PAD_ROWS = 3000          # audit rows written before the start: the copy takes many steps


def backup(args, srv, dest, *extra, config=True):
    cmd = [args.lotse, "backup", dest]
    if config:
        cmd += ["--config", os.path.join(srv.tmp, "lotse.yaml")]
    return subprocess.run(cmd + list(extra), capture_output=True, text=True, timeout=WAIT * 4)


def pad(db):
    """Fills the audit log before the server starts, so the database is a few MiB
    (recent entries: older ones than staff.audit_retention_days are pruned at start)."""
    con = sqlite3.connect(db)
    now = int(time.time())
    with con:
        con.executemany("INSERT INTO audit_log (at, account, action, detail) VALUES (?, ?, ?, ?)",
                        [(now - PAD_ROWS + i, "system", "pad", "%06d " % i + "x" * 900)
                         for i in range(PAD_ROWS)])
    con.close()


def revision_count(srv):
    return db_rows(srv, "SELECT count(*) FROM revisions")[0][0]


class Publisher(threading.Thread):
    """Publishes the flow again and again (a new comment line and padding each
    time) until stopped; remembers what each revision must contain."""

    def __init__(self, srv):
        super().__init__(daemon=True)
        self.staff = Staff(srv)
        self.staff.login("anna")
        first = self.staff.flow()
        self.original = first["yaml"]
        self.base = first
        self.published = {}     # revision id -> yaml
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            i = 0
            while not self.stop.is_set():
                i += 1
                yaml = self.original + "# Fassung %d\n" % i + ("# %d %s\n" % (i, "y" * 70)) * 60
                got = self.staff.publish(yaml, self.base, message="Fassung %d" % i)
                assert got["ok"] is True, got
                self.published[got["revision"]] = yaml
                self.base = {"revision": got["revision"], "hash": got["hash"]}
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = e


def check_copy(path, live_mode, before, after, pub):
    """Asserts that the backup at path is whole and consistent; returns its revision count."""
    for suffix in ("-wal", "-shm", "-journal", ".tmp"):
        assert not os.path.exists(path + suffix), path + suffix
    assert stat.S_IMODE(os.stat(path).st_mode) == live_mode
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert con.execute("PRAGMA user_version").fetchone() == (6,)
        assert con.execute("SELECT name, role FROM staff_accounts").fetchall() == [("anna", "editor")]
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'pad'").fetchone() == \
            (PAD_ROWS,)
        rows = con.execute("SELECT id, tenant, path, author, parent, CAST(content AS TEXT)"
                           " FROM revisions ORDER BY id").fetchall()
    finally:
        con.close()
    n = len(rows)
    assert before <= n <= after, (before, n, after)
    assert [r[0] for r in rows] == list(range(1, n + 1)), [r[0] for r in rows]
    for rid, tenant, rpath, author, parent, content in rows:
        assert (tenant, rpath) == ("testamt", FLOW), (tenant, rpath)
        if rid == 1:
            # the file as it was before the first edit
            assert (author, parent, content) == ("disk", None, pub.original), (rid, author, parent)
        else:
            assert (author, parent) == ("anna", rid - 1), (rid, author, parent)
            assert content == pub.published[rid], "revision %d has other content" % rid
    return n


def test_backups_during_publishing(args):
    srv = staff_server(args, accounts=("anna",), name="lotse-backup")
    pad(srv.db)
    with srv:
        out = tempfile.mkdtemp(prefix="lotse-backups-", dir=srv.tmp)
        live_mode = stat.S_IMODE(os.stat(srv.db).st_mode)
        pub = Publisher(srv)
        pub.start()
        taken = []      # (path, count before, count after)
        overlapped = 0
        try:
            while revision_count(srv) < 2:
                assert pub.is_alive(), pub.error
                time.sleep(0.01)
            # back up until at least 3 copies were taken while publishes went on
            for k in range(40):
                if len(taken) >= 5 and overlapped >= 3:
                    break
                dest = os.path.join(out, "backup-%d.db" % (k % 6))
                before = revision_count(srv)
                r = backup(args, srv, dest)
                after = revision_count(srv)
                assert r.returncode == 0, r.stderr
                assert r.stderr == "", r.stderr
                size = os.path.getsize(dest)
                pages = size // 4096
                assert r.stdout == ("lotse backup: wrote %s (%d bytes, %d pages, schema version 6, "
                                    "integrity ok)\n" % (dest, size, pages)), r.stdout
                assert pages > 3 * 128, pages  # many backup steps
                taken.append((dest, before, after))
                overlapped += after > before
                # checked at once: a later backup to the same name replaces it
                while not pub.published or max(pub.published) < after:
                    assert pub.is_alive(), pub.error
                    time.sleep(0.01)
                check_copy(dest, live_mode, before, after, pub)
            assert overlapped >= 3, "publishes never overlapped a backup: %r" % taken
        finally:
            pub.stop.set()
            pub.join(WAIT)
        assert pub.error is None, pub.error
        assert len(pub.published) >= 3, pub.published.keys()
        # the server went on serving: the last publish is live
        assert read(os.path.join(srv.flows, "testamt", "main.yaml")) == \
            pub.published[max(pub.published)]
        print("  %d backups, %d during publishes, %d revisions published"
              % (len(taken), overlapped, len(pub.published)))


def test_refusals_and_errors(args):
    srv = staff_server(args, accounts=("anna",), name="lotse-backup-err")
    with srv:
        s = Staff(srv)
        s.login("anna")
        base = s.flow()
        s.publish(base["yaml"] + "# eins\n", base)
        out = tempfile.mkdtemp(prefix="out-", dir=srv.tmp)
        before = sorted(os.listdir(srv.tmp))
        with open(srv.db, "rb") as f:
            head = f.read(100)

        # the folder of FILE does not exist
        missing = os.path.join(out, "no-such-folder", "lotse.db")
        r = backup(args, srv, missing)
        assert r.returncode == 1, r
        assert r.stderr == ("lotse backup: %s: cannot write the backup: the folder %s does not "
                            "exist\n" % (missing, os.path.dirname(missing))), r.stderr
        assert r.stdout == ""
        assert not os.path.exists(os.path.dirname(missing))

        # the live database: by its name, through a symbolic link, its -wal file
        r = backup(args, srv, srv.db)
        assert r.returncode == 2, r
        assert r.stderr == ("lotse backup: %s is the live database %s; refusing to overwrite it: "
                            "give another file name\n" % (srv.db, srv.db)), r.stderr
        link = os.path.join(out, "link.db")
        os.symlink(srv.db, link)
        r = backup(args, srv, link)
        assert r.returncode == 2, r
        assert r.stderr == ("lotse backup: %s is the live database %s; refusing to overwrite it: "
                            "give another file name\n" % (link, srv.db)), r.stderr
        assert os.path.islink(link)
        r = backup(args, srv, srv.db + "-wal")
        assert r.returncode == 2, r
        assert r.stderr == ("lotse backup: %s-wal is the live database's write-ahead log %s-wal; "
                            "refusing to overwrite it: give another file name\n"
                            % (srv.db, srv.db)), r.stderr
        # FILE.tmp would be the live database (here a hard link to it)
        os.link(srv.db, os.path.join(out, "hard.db.tmp"))
        r = backup(args, srv, os.path.join(out, "hard.db"))
        assert r.returncode == 2, r
        assert r.stderr == ("lotse backup: %s would be written through %s, which is the live "
                            "database %s; refusing: give another file name\n"
                            % (os.path.join(out, "hard.db"), os.path.join(out, "hard.db.tmp"),
                               srv.db)), r.stderr
        os.unlink(os.path.join(out, "hard.db.tmp"))

        # the live database is untouched and still in use
        with open(srv.db, "rb") as f:
            assert f.read(100) == head
        assert revision_count(srv) == 2
        assert sorted(os.listdir(srv.tmp)) == before
        got = s.publish(base["yaml"] + "# zwei\n", s.flow())
        assert got["revision"] == 3, got

        # a database that does not exist (--database overrides the configuration)
        nodb = os.path.join(out, "nothing.db")
        r = backup(args, srv, os.path.join(out, "x.db"), "--database", nodb)
        assert r.returncode == 1, r
        assert r.stderr == ("lotse backup: %s: cannot read the database: No such file or "
                            "directory\n" % nodb), r.stderr
        assert not os.path.exists(nodb) and not os.path.exists(os.path.join(out, "x.db"))
        # a file that is no database
        junk = os.path.join(out, "junk.db")
        with open(junk, "w") as f:
            f.write("kein sqlite, nur Text, aber lang genug fuer einen Kopf " * 4)
        r = backup(args, srv, os.path.join(out, "x.db"), "--database", junk)
        assert r.returncode == 1, r
        assert r.stderr == "lotse backup: %s: cannot read the database: file is not a database\n" \
            % junk, r.stderr
        assert sorted(os.listdir(out)) == ["junk.db", "link.db"], os.listdir(out)

        # --database names the live database directly; a relative FILE is taken in the cwd
        r = subprocess.run([args.lotse, "backup", "copy.db", "--database", srv.db], cwd=out,
                           capture_output=True, text=True, timeout=WAIT)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("lotse backup: wrote copy.db ("), r.stdout
        con = sqlite3.connect(os.path.join(out, "copy.db"))
        assert con.execute("SELECT max(id) FROM revisions").fetchone() == (3,)
        con.close()

        # the command line
        for argv, msg in (([], "usage: lotse backup FILE [--config FILE] [--database FILE]\n"),
                          (["a.db", "b.db"],
                           "usage: lotse backup FILE [--config FILE] [--database FILE]\n")):
            r = subprocess.run([args.lotse, "backup"] + argv, cwd=out, capture_output=True,
                               text=True, timeout=WAIT)
            assert r.returncode == 2 and r.stderr == msg, r


def test_disk_full(args):
    """A full disk: a 256 KiB tmpfs (needs root and mount; the rest of the
    suite does not)."""
    srv = staff_server(args, accounts=("anna",), name="lotse-backup-full")
    pad(srv.db)
    small = os.path.join(srv.tmp, "small")
    os.mkdir(small)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small],
                      capture_output=True).returncode != 0:
        print("  (no tmpfs mount allowed here: the disk-full case is not run)")
        srv.cleanup()
        return
    with srv:
        try:
            dest = os.path.join(small, "lotse-backup.db")
            with open(dest, "w") as f:
                f.write("the previous backup\n")
            r = backup(args, srv, dest)
            assert r.returncode == 1, r
            assert r.stderr == "lotse backup: %s.tmp: cannot write the backup: the disk is full\n" \
                % dest, r.stderr
            assert read(dest) == "the previous backup\n"
            assert os.listdir(small) == ["lotse-backup.db"], os.listdir(small)
        finally:
            subprocess.run(["umount", small], check=True)


if __name__ == "__main__":
    main([test_backups_during_publishing, test_refusals_and_errors, test_disk_full])
