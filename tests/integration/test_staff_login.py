"""test_staff_login.py - the staff login under attack (issue 10, findings 4, 5 and 10),
against a real server:
- password checks run on the hash workers, not on the staff address's only HTTP thread:
  while three logins are held in the workers (a test FIFO, LOTSE_TEST_HASH_GATE, lets
  each check start only when the test writes a byte), /healthz and a staff page answer,
  and a fourth login is refused at once with 503 "busy" and Retry-After (queue full);
  released, the three answer 200/401/200;
- fail closed: when a failed login cannot be recorded (a sqlite trigger makes every INSERT
  into staff_login_failures fail inside the running server's own connection) or the
  failures cannot be read (the table renamed away), every login, also with the right
  password, answers 503 "unavailable" (never 401, never 500, never 200), nothing is
  checked, and the log has one line for it, not one per request; a session that cannot be
  stored answers 503 too; afterwards logins work again;
- behind a proxy: with trusted_proxies [127.0.0.1], two clients behind the proxy
  (X-Forwarded-For) are limited separately, the right-most untrusted address counts, a
  malformed header counts as the proxy and is logged once; without trusted_proxies the
  header is ignored; no address is stored in clear;
- retention: 2,000 logins refused by the limit add exactly one counter row per hour (and
  no audit row); rows older than the retention (audit_retention_days) and old failures and
  sessions are deleted at start.
"""

import os
import re
import socket
import sqlite3
import tempfile
import threading
import time

from lotse_harness import WAIT, main
from staff_harness import PASSWORDS, Staff, db_rows, staff_server

GENERIC = {"error": "login_failed", "message": "Anmeldung fehlgeschlagen"}


def db_exec(srv, sql, params=()):
    """Runs one statement on a connection of the test's own and commits it."""
    con = sqlite3.connect(srv.db, timeout=WAIT)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def login_async(srv, name, password, results, key, headers=None):
    """Runs a login in a thread; stores (status, headers, body) in results[key]."""
    def run():
        results[key] = Staff(srv).request("POST", "/api/login",
                                          {"name": name, "password": password},
                                          headers=headers)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_hashing_off_the_http_thread(args):
    tmp = tempfile.mkdtemp(prefix="lotse-gate-")
    gate = os.path.join(tmp, "gate")
    os.mkfifo(gate)
    # O_RDWR: opening does not wait for the reader; the server reads from it
    gfd = os.open(gate, os.O_RDWR)
    os.environ["LOTSE_TEST_HASH_GATE"] = gate
    srv = staff_server(args, config={"staff": {"login_workers": 1, "login_queue": 3}},
                       name="lotse-hashq")
    try:
        srv.start()
    finally:
        del os.environ["LOTSE_TEST_HASH_GATE"]
    try:
        results, threads = {}, []
        for i, (name, pw) in enumerate([("anna", PASSWORDS["anna"]), ("bert", "falsch-falsch"),
                                        ("vera", PASSWORDS["vera"])]):
            threads.append(login_async(srv, name, pw, results, name))
            # each one is queued before the next is sent
            srv.wait_stderr(r"login queued for a password check \(%d waiting or running\)"
                            % (i + 1))
        # one check is held in the only worker, two wait: the HTTP thread is free
        status, _, body = srv.http_get("staff", "/healthz")
        assert (status, body) == (200, b"ok\n"), (status, body)
        status, h, body = srv.http_get("staff", "/staff/index.html")
        assert status == 200 and h["content-type"].startswith("text/html"), (status, h)
        status, _, _ = srv.http_get("staff", "/metrics")
        assert status == 200
        assert results == {}, results
        # the queue is full: refused at once, nothing queued, not counted as a failure
        s = Staff(srv)
        status, h, body = s.request("POST", "/api/login",
                                    {"name": "anna", "password": PASSWORDS["anna"]})
        assert status == 503 and body["error"] == "busy", (status, body)
        assert h["retry-after"] == "2" and body["retry_after"] == 2, (h, body)
        assert "set-cookie" not in h
        assert results == {}, results
        # release the three checks
        os.write(gfd, b"xxx")
        for t in threads:
            t.join(WAIT)
        assert results["anna"][0] == 200 and results["anna"][2]["name"] == "anna", results
        assert results["bert"][0] == 401 and results["bert"][2] == GENERIC, results
        assert results["vera"][0] == 200 and results["vera"][2]["role"] == "viewer", results
        # only bert's failure is kept (anna's and vera's were taken back; the refused
        # one was never recorded)
        rows = db_rows(srv, "SELECT key FROM staff_login_failures ORDER BY key")
        assert [k.split(":")[0] for k, in rows] == ["account", "addr"], rows
        assert rows[0] == ("account:bert",), rows
        m = srv.wait_stderr(r"a login was refused: the password-check queue is full")
        assert m
        # the gate stays open for the rest: every further check may run
        os.write(gfd, b"x" * 16)
        srv.check_clean_exit(srv.stop())
    finally:
        srv.cleanup()
        os.close(gfd)
        os.unlink(gate)
        os.rmdir(tmp)


def test_fail_closed(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        # a real write failure inside the server's own sqlite connection: every INSERT
        # into the failure table is refused by a trigger (as a full disk would refuse it)
        db_exec(srv, "CREATE TRIGGER no_room BEFORE INSERT ON staff_login_failures "
                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        for i in range(30):
            name, pw = ("anna", PASSWORDS["anna"]) if i % 3 == 0 else ("anna", "rate-mal-%d" % i)
            status, h, body = s.request("POST", "/api/login", {"name": name, "password": pw})
            assert status == 503 and body["error"] == "unavailable", (i, status, body)
            assert h["retry-after"] == "60" and "set-cookie" not in h, h
        assert db_rows(srv, "SELECT count(*) FROM staff_login_failures") == [(0,)]
        # one log line, not thirty
        lines = [ln for ln in srv.stderr().split("\n") if "logins refused" in ln]
        assert len(lines) == 1, lines
        assert lines[0] == ("lotse: error: staff: logins refused: a failed login cannot be "
                            "recorded: cannot record a failed login: database or disk is full "
                            "(further refusals are counted and logged at most every 60 s)"), lines
        db_exec(srv, "DROP TRIGGER no_room")
        # the failures cannot be read: refused as well
        db_exec(srv, "ALTER TABLE staff_login_failures RENAME TO moved_away")
        status, _, body = s.request("POST", "/api/login",
                                    {"name": "anna", "password": PASSWORDS["anna"]})
        assert status == 503 and body["error"] == "unavailable", (status, body)
        db_exec(srv, "ALTER TABLE moved_away RENAME TO staff_login_failures")
        # a right password whose session cannot be stored: 503, not 500
        db_exec(srv, "CREATE TRIGGER no_session BEFORE INSERT ON staff_sessions "
                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        status, h, body = s.request("POST", "/api/login",
                                    {"name": "anna", "password": PASSWORDS["anna"]})
        assert status == 503 and body["error"] == "unavailable" and "set-cookie" not in h, body
        db_exec(srv, "DROP TRIGGER no_session")
        # back to normal
        s.login("anna", password="falsch-falsch", expect=401)
        s.login("anna")
        # the wrong guess counted before was cleared by the success
        assert db_rows(srv, "SELECT count(*) FROM staff_login_failures "
                            "WHERE key = 'account:anna'") == [(0,)]


def failures_by_key(srv):
    return sorted(n for n, in db_rows(srv, "SELECT count(*) FROM staff_login_failures "
                                           "WHERE key LIKE 'addr:%' GROUP BY key"))


def test_behind_a_proxy(args):
    with staff_server(args, config={"staff": {"trusted_proxies": ["127.0.0.1", "::1"]}},
                      name="lotse-proxy") as srv:
        s = Staff(srv)
        one = {"X-Forwarded-For": "192.0.2.1"}
        # the right-most untrusted address counts: 192.0.2.2 for both forms
        two = [{"X-Forwarded-For": "192.0.2.2"},
               {"X-Forwarded-For": "203.0.113.9, 192.0.2.2, 127.0.0.1"}]
        for i in range(20):
            status, _, _ = s.request("POST", "/api/login",
                                     {"name": "a%d" % i, "password": "falsch-falsch"},
                                     headers=one)
            assert status == 401, status
        status, _, body = s.request("POST", "/api/login",
                                    {"name": "anna", "password": PASSWORDS["anna"]},
                                    headers=one)
        assert status == 429 and body["error"] == "rate_limited", body
        # the other client behind the same proxy is not limited
        for i in range(2):
            status, _, _ = s.request("POST", "/api/login",
                                     {"name": "b%d" % i, "password": "falsch-falsch"},
                                     headers=two[i])
            assert status == 401, status
        s.login("bert", headers=two[1])
        assert failures_by_key(srv) == [2, 20]
        # malformed: the proxy's own address counts, logged once
        for bad in ("not-an-address", "192.0.2.1:8080", "192.0.2.1,,"):
            status, _, _ = s.request("POST", "/api/login",
                                     {"name": "c", "password": "falsch-falsch"},
                                     headers={"X-Forwarded-For": bad})
            assert status == 401, status
        assert failures_by_key(srv) == [2, 3, 20]
        lines = [ln for ln in srv.stderr().split("\n") if "malformed X-Forwarded-For" in ln]
        assert len(lines) == 1, lines
        # no address in clear anywhere in the database
        for table, col in (("staff_login_failures", "key"), ("audit_log", "detail"),
                           ("staff_login_refusals", "key")):
            assert db_rows(srv, "SELECT count(*) FROM %s WHERE %s LIKE '%%192.0.2.%%' "
                                "OR %s LIKE '%%127.0.0.1%%'" % (table, col, col)) == [(0,)]
    # without trusted_proxies the header is ignored: all count for 127.0.0.1
    with staff_server(args, name="lotse-noproxy") as srv:
        s = Staff(srv)
        for i in range(20):
            status, _, _ = s.request("POST", "/api/login",
                                     {"name": "a%d" % i, "password": "falsch-falsch"},
                                     headers={"X-Forwarded-For": "192.0.2.%d" % i})
            assert status == 401, status
        status, _, _ = s.request("POST", "/api/login",
                                 {"name": "anna", "password": PASSWORDS["anna"]},
                                 headers={"X-Forwarded-For": "198.51.100.1"})
        assert status == 429
        assert failures_by_key(srv) == [20]


def test_refusals_aggregated(args):
    with staff_server(args, name="lotse-refusals") as srv:
        s = Staff(srv)
        for _ in range(5):
            s.login("anna", password="falsch-falsch", expect=401)
        first_hour = int(time.time()) // 3600
        host, port = srv.hostport("staff")
        body = b'{"name":"anna","password":"anna-geheim-123"}'
        req = (b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        statuses = {}
        # 2,000 refused logins on keep-alive connections (100 per connection)
        for _ in range(20):
            with socket.create_connection((host, port), timeout=WAIT) as c:
                f = c.makefile("rb")
                for _ in range(100):
                    c.sendall(req)
                    status = int(f.readline().split()[1])
                    length = 0
                    while True:
                        line = f.readline()
                        if line in (b"\r\n", b""):
                            break
                        k, _, v = line.decode().partition(":")
                        if k.lower() == "content-length":
                            length = int(v)
                    f.read(length)
                    statuses[status] = statuses.get(status, 0) + 1
        last_hour = int(time.time()) // 3600
        assert statuses == {429: 2000}, statuses
        hours = last_hour - first_hour + 1
        rows = db_rows(srv, "SELECT key, hour, count FROM staff_login_refusals ORDER BY hour")
        assert len(rows) == hours, rows
        assert all(k == "account:anna" for k, _, _ in rows), rows
        assert sum(n for _, _, n in rows) == 2000, rows
        assert db_rows(srv, "SELECT count(*) FROM audit_log") == [(5,)]
        assert db_rows(srv, "SELECT count(*) FROM staff_login_failures") == [(10,)]
        lines = [ln for ln in srv.stderr().split("\n") if "refused over the limit" in ln]
        assert len(lines) < 20, len(lines)


def test_retention_at_start(args):
    day = 86400
    for retention, kept_age in ((None, 364), (30, 29)):
        config = {"staff": {"audit_retention_days": retention}} if retention else {}
        srv = staff_server(args, config=config, name="lotse-retention")
        try:
            now = int(time.time())
            old = (retention or 365) + 1
            db_exec(srv, "INSERT INTO audit_log (at, account, action, detail) VALUES "
                         "(?, 'anna', 'publish', 'old'), (?, 'anna', 'publish', 'kept')",
                    (now - old * day, now - kept_age * day))
            db_exec(srv, "INSERT INTO staff_login_failures (key, at) VALUES "
                         "('account:anna', ?), ('account:anna', ?)", (now - 3600, now - 60))
            db_exec(srv, "INSERT INTO staff_login_refusals (key, hour, count) VALUES "
                         "('account:anna', ?, 7), ('account:bert', ?, 3)",
                    ((now - old * day) // 3600, (now - kept_age * day) // 3600))
            db_exec(srv, "INSERT INTO staff_sessions (id_hash, account, csrf, created, last_seen)"
                         " SELECT 'old', id, 'c', ?, ? FROM staff_accounts WHERE name = 'anna'",
                    (now - 2 * day, now - 2 * day))
            srv.start()
            srv.wait_stderr(r"staff: pruned 4 rows")
            assert db_rows(srv, "SELECT detail FROM audit_log") == [("kept",)]
            assert db_rows(srv, "SELECT at FROM staff_login_failures") == [(now - 60,)]
            assert db_rows(srv, "SELECT key, count FROM staff_login_refusals") == \
                [("account:bert", 3)]
            assert db_rows(srv, "SELECT count(*) FROM staff_sessions") == [(0,)]
            srv.check_clean_exit(srv.stop())
        finally:
            srv.cleanup()


if __name__ == "__main__":
    main([test_hashing_off_the_http_thread, test_fail_closed, test_behind_a_proxy,
          test_refusals_aggregated, test_retention_at_start])
