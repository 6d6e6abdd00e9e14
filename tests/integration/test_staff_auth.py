"""test_staff_auth.py - the staff area's access rules over real HTTP:
nothing without a login (401 on every /api route), one generic message for
an unknown name, a wrong password and a disabled account, the failed-login
limit per account and per address (429 with Retry-After, even for the right
password), the session cookie (HttpOnly, SameSite=Strict, Secure behind
TLS, a new id at every login, stored only as a hash, ended by logout, by
inactivity, by a new password), CSRF tokens on every write, viewers who
cannot write, the audit log, and the `lotse staff` commands.
"""

import os
import re
import subprocess
import time

from lotse_harness import WAIT, main
from staff_harness import PASSWORDS, Staff, add_account, db_rows, staff_server

GENERIC = {"error": "login_failed", "message": "Anmeldung fehlgeschlagen"}


def test_nothing_without_login(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        routes = [("GET", "/api/tenants"), ("GET", "/api/session"), ("GET", "/api/audit"),
                  ("GET", "/api/flows/testamt/main"), ("GET", "/api/flows/testamt/main/revisions"),
                  ("GET", "/api/flows/testamt/main/graph.svg"), ("GET", "/api/offers/testamt"),
                  ("GET", "/api/translations"), ("GET", "/api/translations/testamt/ar"),
                  ("GET", "/api/po/en.po"), ("GET", "/api/po/lotse.pot"),
                  ("GET", "/api/revisions/1"), ("GET", "/api/revisions/1/diff/2"),
                  ("GET", "/api/revisions?path=flows/testamt/main.yaml"),
                  ("GET", "/api/no/such/route"), ("GET", "/api/"), ("GET", "/api"),
                  ("POST", "/api/logout"), ("POST", "/api/flows/testamt/main/check"),
                  ("POST", "/api/flows/testamt/main/preview"), ("PUT", "/api/flows/testamt/main"),
                  ("POST", "/api/revisions/1/rollback"), ("POST", "/api/offers/testamt"),
                  ("PUT", "/api/offers/testamt/sprachkita"), ("PUT", "/api/po/en.po"),
                  ("DELETE", "/api/flows/testamt/main")]
        for method, path in routes:
            body = {"yaml": "x"} if method in ("POST", "PUT", "DELETE") else None
            status, h, got = s.request(method, path, body)
            assert status == 401, (method, path, status, got)
            assert got == {"error": "unauthorized", "message": "Bitte melden Sie sich an."}, got
            assert h["cache-control"] == "no-store" and h["x-content-type-options"] == "nosniff"
        # a made-up or malformed cookie is no better
        for cookie in ["A" * 43, "x", "A" * 43 + "; lotse_staff=" + "B" * 43]:
            s.cookie = cookie
            status, _, _ = s.get("/api/tenants")
            assert status == 401, cookie
        # nothing was changed: no revisions, no sessions
        assert db_rows(srv, "SELECT count(*) FROM revisions") == [(0,)]
        assert db_rows(srv, "SELECT count(*) FROM staff_sessions") == [(0,)]
        # the staff/ops address still has its own routes
        status, _, body = srv.http_get("staff", "/healthz")
        assert status == 200 and body == b"ok\n"


def test_generic_failure(args):
    with staff_server(args) as srv:
        r = subprocess.run([args.lotse, "staff", "disable", "bert", "--database", srv.db],
                           capture_output=True, timeout=WAIT)
        assert r.returncode == 0, r.stderr
        s = Staff(srv)
        answers = []
        for name, pw in [("nobody", "irgendein-passwort"), ("anna", "falsches-passwort"),
                         ("bert", PASSWORDS["bert"]), ("anna", "")]:
            status, h, body = s.request("POST", "/api/login", {"name": name, "password": pw})
            assert status == 401 and "set-cookie" not in h, (name, status, h)
            answers.append(body)
        assert answers == [GENERIC] * 4, answers
        # not JSON, or not a JSON body: refused before any check
        status, _, body = s.request("POST", "/api/login", "name=anna&password=x",
                                    content_type="application/x-www-form-urlencoded")
        assert status == 415 and body["error"] == "media_type", body
        status, _, body = s.request("POST", "/api/login", "[1,2")
        assert status == 400 and body["error"] == "bad_request", body
        status, _, body = s.request("GET", "/api/login")
        assert status == 405 and body["error"] == "method", body
        s.login("anna")
        status, _, audit = s.get("/api/audit")
        actions = [(e["action"], e["account"]) for e in audit["entries"]]
        assert actions[0] == ("login", "anna"), actions
        assert actions.count(("login_failed", None)) == 4, actions
        details = [e["detail"] for e in audit["entries"] if e["action"] == "login_failed"]
        # the address is kept only as a keyed hash (the same one for every
        # request from 127.0.0.1 of this process), never in clear
        addrs = {d.split(" addr=", 1)[1] for d in details}
        assert len(addrs) == 1 and re.fullmatch(r"[0-9a-f]{32}", addrs.pop()), details
        assert any(d.startswith("name=nobody addr=") for d in details), details
        assert db_rows(srv, "SELECT count(*) FROM audit_log WHERE detail LIKE '%127.0.0.1%'") \
            == [(0,)]


def test_rate_limit(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        for _ in range(5):
            status, _, body = s.request("POST", "/api/login",
                                        {"name": "anna", "password": "falsch-falsch"})
            assert status == 401 and body == GENERIC, body
        # the sixth try is refused even with the right password
        status, h, body = s.request("POST", "/api/login",
                                    {"name": "anna", "password": PASSWORDS["anna"]})
        assert status == 429 and body["error"] == "rate_limited", (status, body)
        wait = int(h["retry-after"])
        assert 1 <= wait <= 900 and body["retry_after"] == wait, (h, body)
        assert "set-cookie" not in h
        # an unknown name is limited the same way (no way to tell names apart)
        for _ in range(5):
            s.request("POST", "/api/login", {"name": "niemand", "password": "falsch-falsch"})
        status, _, body = s.request("POST", "/api/login",
                                    {"name": "niemand", "password": "falsch-falsch"})
        assert status == 429, body
        # another account from the same address still works (10 failures < 20) ...
        s.login("bert")
        # ... until the address has 20 failures
        for i in range(10):
            status, _, _ = s.request("POST", "/api/login",
                                     {"name": "x%d" % i, "password": "falsch-falsch"})
            assert status == 401
        status, h, body = s.request("POST", "/api/login",
                                    {"name": "vera", "password": PASSWORDS["vera"]})
        assert status == 429 and int(h["retry-after"]) >= 1, body
        assert db_rows(srv, "SELECT count(*) FROM staff_login_failures WHERE key LIKE 'addr:%'"
                       " GROUP BY key") == [(20,)]
        assert db_rows(srv, "SELECT count(*) FROM staff_login_failures"
                       " WHERE key LIKE '%127.0.0.1%'") == [(0,)]
        # the session that existed keeps working
        status, _, _ = s.get("/api/tenants")
        assert status == 200


def test_session_cookie(args):
    with staff_server(args) as srv:
        a, b = Staff(srv), Staff(srv)
        _, h, body = a.login("anna")
        cookie = h["set-cookie"]
        parts = [p.strip() for p in cookie.split(";")]
        assert parts[0].startswith("lotse_staff=") and len(parts[0]) == len("lotse_staff=") + 43
        assert set(parts[1:]) == {"Path=/", "HttpOnly", "SameSite=Strict"}, parts
        assert body["name"] == "anna" and body["role"] == "editor" and len(body["csrf"]) == 43
        # a new id at every login
        b.login("anna")
        assert a.cookie != b.cookie and a.csrf != b.csrf
        # only hashes are stored, never the cookie value
        hashes = [r[0] for r in db_rows(srv, "SELECT id_hash FROM staff_sessions")]
        assert len(hashes) == 2 and a.cookie not in hashes and b.cookie not in hashes
        with open(srv.db, "rb") as f:
            raw = f.read()
        for path in (srv.db + "-wal",):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    raw += f.read()
        assert a.cookie.encode() not in raw and PASSWORDS["anna"].encode() not in raw
        # Secure behind TLS (the proxy says so)
        c = Staff(srv)
        _, h, _ = c.login("vera", headers={"X-Forwarded-Proto": "https"})
        assert "; Secure" in h["set-cookie"], h["set-cookie"]
        # logout ends exactly that session and clears the cookie
        status, h, body = a.post("/api/logout")
        assert status == 200 and body == {"ok": True}, body
        assert h["set-cookie"].startswith("lotse_staff=; Path=/; HttpOnly; SameSite=Strict")
        assert "Max-Age=0" in h["set-cookie"]
        status, _, _ = a.get("/api/session")
        assert status == 401
        status, _, body = b.get("/api/session")
        assert status == 200 and body["csrf"] == b.csrf
        # a new password ends the sessions of that account
        r = subprocess.run([args.lotse, "staff", "passwd", "anna", "--database", srv.db],
                           input=b"ganz-neues-passwort\n", capture_output=True, timeout=WAIT)
        assert r.returncode == 0, r.stderr
        status, _, _ = b.get("/api/session")
        assert status == 401
        b.login("anna", expect=401)
        b.login("anna", password="ganz-neues-passwort")
        status, _, audit = b.get("/api/audit")
        assert [e["action"] for e in audit["entries"]][:3] == ["login", "login_failed", "logout"]


def test_inactivity_timeout(args):
    with staff_server(args, config={"staff_session_timeout": 1}) as srv:
        s = Staff(srv)
        _, _, body = s.login("anna")
        assert body["timeout"] == 1
        time.sleep(2.5)   # longer than the timeout: must have ended (no upper bound tested)
        status, _, _ = s.get("/api/tenants")
        assert status == 401
        assert db_rows(srv, "SELECT count(*) FROM staff_sessions") == [(0,)]


def test_csrf_and_roles(args):
    with staff_server(args) as srv:
        ed, vw = Staff(srv), Staff(srv)
        ed.login("anna")
        vw.login("vera")
        yaml = ed.flow()["yaml"]
        # writes without the token, or with someone else's, are refused
        status, _, body = ed.post("/api/flows/testamt/main/check", {"yaml": yaml}, csrf=False)
        assert status == 403 and body["error"] == "csrf", body
        status, _, body = ed.post("/api/flows/testamt/main/check", {"yaml": yaml},
                                  headers={"X-CSRF-Token": vw.csrf})
        assert status == 403 and body["error"] == "csrf", body
        status, _, body = ed.post("/api/logout", csrf=False)
        assert status == 403
        status, _, body = ed.post("/api/flows/testamt/main/check", {"yaml": yaml})
        assert status == 200 and body == {"ok": True, "errors": []}, body
        # a viewer reads and checks, but cannot write
        base = vw.flow()
        status, _, body = vw.post("/api/flows/testamt/main/check", {"yaml": yaml})
        assert status == 200, body
        status, _, body = vw.put("/api/flows/testamt/main",
                                 {"yaml": yaml + "\n", "base_revision": base["revision"],
                                  "base_hash": base["hash"]})
        assert status == 403 and body["error"] == "forbidden", body
        for path, payload in [("/api/offers/testamt", {"offer": {}, "base_revision": None}),
                              ("/api/offers/testamt/sprachkita/retire", {"base_revision": None}),
                              ("/api/revisions/1/rollback", {"base_revision": None})]:
            status, _, body = vw.post(path, payload)
            assert status == 403 and body["error"] == "forbidden", (path, body)
        status, _, body = vw.request("PUT", "/api/po/en.po", b"x", content_type="text/plain")
        assert status == 403 and body["error"] == "forbidden", body
        assert db_rows(srv, "SELECT count(*) FROM revisions") == [(0,)]
        with open(os.path.join(srv.flows, "testamt", "main.yaml")) as f:
            assert f.read() == yaml


def test_cli(args):
    with staff_server(args, accounts=()) as srv:
        def staff(*argv, stdin=b""):
            return subprocess.run([args.lotse, "staff", *argv, "--database", srv.db],
                                  input=stdin, capture_output=True, timeout=WAIT)
        r = staff("add", "anna", "--role", "editor", stdin=b"kurz\n")
        assert r.returncode == 1 and b"at least 10 characters" in r.stderr, r.stderr
        r = staff("add", "anna", "--role", "chef", stdin=b"lang-genug-123\n")
        assert r.returncode == 2, r.stderr
        r = staff("add", "an na", "--role", "editor", stdin=b"lang-genug-123\n")
        assert r.returncode == 2, r.stderr
        r = staff("add", "anna", "--role", "editor", stdin=b"")
        assert r.returncode == 1 and b"no password" in r.stderr, r.stderr
        assert add_account(args, srv.db, "anna", "editor", "lang-genug-123").returncode == 0
        r = staff("add", "anna", "--role", "viewer", stdin=b"lang-genug-123\n")
        assert r.returncode == 1 and b"exists already" in r.stderr, r.stderr
        assert add_account(args, srv.db, "vera", "viewer", "lang-genug-456").returncode == 0
        r = staff("list")
        lines = r.stdout.decode().splitlines()
        assert [l.split()[:2] for l in lines] == [["anna", "editor"], ["vera", "viewer"]], lines
        # the hash is argon2id, never the password
        rows = db_rows(srv, "SELECT name, hash FROM staff_accounts ORDER BY name")
        assert all(h.startswith("$argon2id$") for _, h in rows), rows
        assert b"lang-genug-123" not in open(srv.db, "rb").read()
        s = Staff(srv)
        s.login("anna", password="lang-genug-123")
        r = staff("disable", "anna")
        assert r.returncode == 0, r.stderr
        assert "disabled" in staff("list").stdout.decode().splitlines()[0]
        status, _, _ = s.get("/api/session")
        assert status == 401
        status, _, body = s.request("POST", "/api/login",
                                    {"name": "anna", "password": "lang-genug-123"})
        assert status == 401 and body == GENERIC
        assert staff("enable", "anna").returncode == 0
        s.login("anna", password="lang-genug-123")
        assert staff("disable", "nobody").returncode == 1
        assert staff("frobnicate").returncode == 2


if __name__ == "__main__":
    main([test_nothing_without_login, test_generic_failure, test_rate_limit, test_session_cookie,
          test_inactivity_timeout, test_csrf_and_roles, test_cli])
