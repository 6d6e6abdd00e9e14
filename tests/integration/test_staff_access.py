"""test_staff_access.py - staff accounts scoped to offices (issue 10, finding 11) over real HTTP,
with two offices (testamt = A, zweitamt = B): for EVERY route of the staff API, read from the
router's table in src/staff/api.c (a route added there without a case here fails), an editor of
A gets A's answer and 404 for B; a viewer of A gets 403 for writes; an admin reaches both; the
catalogues are read by all and written only by accounts of every office; the audit log of an
account of A shows only A's files and its own logins; the admin API and its checks.
"""

import os
import re

from lotse_harness import main
from staff_harness import Staff, add_account, staff_server

PW = "geheim-genug-123"
NOT_FOUND_OFFICE = {"error": "not_found", "message": "Dieses Bildungsbüro gibt es nicht."}


def route_table(source):
    """(method, pattern) of every row between ROUTES BEGIN and ROUTES END in api.c."""
    text = open(os.path.join(source, "src/staff/api.c"), encoding="utf-8").read()
    table = text.split("/* ROUTES BEGIN */", 1)[1].split("/* ROUTES END */", 1)[0]
    rows = re.findall(r'\{"([A-Z]+)", "([^"]+)", (ROUTE_[A-Z]+), ', table)
    assert len(rows) >= 25, rows
    return [(m, p, a) for m, p, a in rows]


def login(srv, name):
    s = Staff(srv)
    s.login(name, password=PW)
    return s


def latest_revision(s, path):
    status, _, body = s.get("/api/revisions?path=" + path)
    assert status == 200, body
    return body["revisions"][0]["id"]


def test_every_route(args):
    with staff_server(args, accounts=()) as srv:
        for name, role, offices in [("anna", "editor", ["testamt"]), ("vera", "viewer", ["testamt"]),
                                    ("otto", "editor", ["*"]), ("root", "admin", [])]:
            r = add_account(args, srv.db, name, role, PW, offices=offices, flows=srv.flows)
            assert r.returncode == 0, r.stderr
        admin, anna, vera, otto = (login(srv, n) for n in ("root", "anna", "vera", "otto"))
        # a revision in each office, made by the admin
        revs = {}
        for t in ("testamt", "zweitamt"):
            cur = admin.flow(t)
            admin.publish(cur["yaml"] + "\n# geändert\n", cur, tenant=t)
            revs[t] = latest_revision(admin, "flows/%s/main.yaml" % t)
        offer = {t: admin.get("/api/offers/" + t)[2]["offers"][0]["id"] for t in ("testamt",
                                                                                 "zweitamt")}
        yaml = {t: admin.flow(t)["yaml"] for t in ("testamt", "zweitamt")}

        def office(method, pattern, t):
            path = "/api/" + pattern.replace("{t}", t).replace("{f}", "main")
            path = path.replace("/{id}", "/" + offer[t]) if "offers" in pattern else path
            path = path.replace("{lang}", "en")
            body = None
            if method in ("POST", "PUT"):
                body = {"yaml": yaml[t]} if pattern.endswith(("check", "preview", "graph.svg")) \
                    else {}
            return method, path, body

        def fixed(method, path, body=None):
            return lambda t: (method, path, body)

        # per route: how to call it for office t, and the status an editor of A gets for A
        cases = {
            ("POST", "login"): (lambda t: ("POST", "/api/login", {"name": "anna",
                                                                   "password": PW}), 200),
            ("POST", "logout"): None,   # below: ends anna's session
            ("GET", "session"): (fixed("GET", "/api/session"), 200),
            ("GET", "tenants"): (fixed("GET", "/api/tenants"), 200),
            ("GET", "flows/{t}/{f}"): (None, 200),
            ("PUT", "flows/{t}/{f}"): (None, 400),
            ("POST", "flows/{t}/{f}/check"): (None, 200),
            ("POST", "flows/{t}/{f}/preview"): (None, 201),
            ("GET", "flows/{t}/{f}/revisions"): (None, 200),
            ("GET", "flows/{t}/{f}/graph.svg"): (None, 200),
            ("POST", "flows/{t}/{f}/graph.svg"): (None, 200),
            ("GET", "revisions"): (lambda t: ("GET", "/api/revisions?path=flows/%s/main.yaml" % t,
                                              None), 200),
            ("GET", "revisions/{id}"): (lambda t: ("GET", "/api/revisions/%d" % revs[t], None),
                                        200),
            ("GET", "revisions/{id}/diff/{id}"): (lambda t: (
                "GET", "/api/revisions/%d/diff/%d" % (revs[t] - 1, revs[t]), None), 200),
            ("POST", "revisions/{id}/rollback"): (lambda t: (
                "POST", "/api/revisions/%d/rollback" % revs[t], {"base_revision": None}), 409),
            ("GET", "offers/{t}"): (None, 200),
            ("POST", "offers/{t}"): (None, 400),
            ("GET", "offers/{t}/{id}"): (None, 200),
            ("PUT", "offers/{t}/{id}"): (None, 400),
            ("POST", "offers/{t}/{id}/retire"): (None, 400),
            ("GET", "translations"): (fixed("GET", "/api/translations"), 200),
            ("GET", "translations/{t}/{lang}"): (None, 200),
            ("GET", "po/lotse.pot"): None,   # the template: read by all (404: none in this copy)
            ("GET", "po/{lang}.po"): (fixed("GET", "/api/po/en.po"), 200),
            ("PUT", "po/{lang}.po"): None,   # below: the catalogue rule
            ("GET", "audit"): (fixed("GET", "/api/audit"), 200),
            ("GET", "accounts"): (fixed("GET", "/api/accounts"), 403),
            ("POST", "accounts"): (fixed("POST", "/api/accounts", {}), 403),
            ("PUT", "accounts/{name}"): (fixed("PUT", "/api/accounts/vera", {}), 403),
            ("GET", "recordings/{t}"): (None, 200),
            ("GET", "recordings/{t}/{lang}"): (None, 200),
            ("POST", "recordings/{t}/{lang}"): (None, 400),      # no ?msgid=
            ("DELETE", "recordings/{t}/{lang}"): (None, 400),
            ("POST", "recordings/{t}/{lang}/confirm"): (None, 400),
            ("GET", "recordings/{t}/{lang}/history"): (None, 400),
            ("GET", "recordings/{t}/{lang}/{id}.opus"): (lambda t: (
                "GET", "/api/recordings/%s/en/1.opus" % t, None), 404),   # none recorded
            ("GET", "stats/{t}.csv"): (lambda t: (
                "GET", "/api/stats/%s.csv?table=steps" % t, None), 200),
            ("GET", "stats/{t}"): (None, 200),
            ("GET", "stats/{t}/flow/{f}.svg"): (None, 200),
        }
        table = route_table(args.source)
        assert sorted((m, p) for m, p, _ in table) == sorted(cases), \
            "routes without a case here: %s; cases without a route: %s" % (
                sorted(set((m, p) for m, p, _ in table) - set(cases)),
                sorted(set(cases) - set((m, p) for m, p, _ in table)))
        for method, pattern, access in table:
            case = cases[(method, pattern)]
            if case is None:
                continue
            make, want = case
            make = make or (lambda t, m=method, p=pattern: office(m, p, t))
            m, path, body = make("testamt")
            who = Staff(srv) if pattern == "login" else anna
            status, _, got = who.request(m, path, body)
            assert status == want, (method, pattern, path, status, got)
            if access == "ROUTE_OFFICE":
                m, path, body = make("zweitamt")
                status, _, got = anna.request(m, path, body)
                assert status == 404 and got == NOT_FOUND_OFFICE, (method, pattern, status, got)
                # the admin and an account of every office reach B
                for s in (admin, otto):
                    status, _, got = s.request(m, path, body)
                    assert status == want, (method, pattern, s.cookie and status, got)
            elif pattern.startswith("revisions"):
                m, path, body = make("zweitamt")
                status, _, got = anna.request(m, path, body)
                assert status == 404 and got["error"] == "not_found", (pattern, status, got)
                status, _, got = admin.request(m, path, body)
                assert status == want, (pattern, status, got)
        # lists show only A
        assert [t["id"] for t in anna.get("/api/tenants")[2]["tenants"]] == ["testamt"]
        assert [t["id"] for t in otto.get("/api/tenants")[2]["tenants"]] == ["testamt", "zweitamt"]
        assert [t["id"] for t in anna.get("/api/translations")[2]["tenants"]] == ["testamt"]
        # the audit log: A's files and anna's own logins only
        entries = anna.get("/api/audit")[2]["entries"]
        assert entries and all(e["account"] == "anna" or e["detail"].startswith("flows/testamt/")
                               for e in entries), entries
        assert any(e["detail"].startswith("flows/testamt/") and e["account"] == "root"
                   for e in entries), entries
        assert not any("zweitamt" in e["detail"] for e in entries), entries
        everything = admin.get("/api/audit")[2]["entries"]
        assert any("flows/zweitamt/" in e["detail"] for e in everything)
        # viewer of A: writes 403, B 404
        status, _, got = vera.put("/api/flows/testamt/main", {})
        assert status == 403 and got["error"] == "forbidden", got
        status, _, got = vera.put("/api/flows/zweitamt/main", {})
        assert status == 404 and got == NOT_FOUND_OFFICE, got
        # catalogues: read by all, written only with every office
        status, _, got = anna.request("PUT", "/api/po/en.po", b"x", content_type="text/plain")
        assert status == 403 and got["error"] == "forbidden", got
        status, _, got = otto.request("PUT", "/api/po/en.po", b"x", content_type="text/plain")
        assert status == 422 and got["error"] == "invalid", got
        status, _, _ = vera.get("/api/po/en.po")
        assert status == 200
        # logout (the last route)
        status, _, got = anna.post("/api/logout")
        assert status == 200 and got == {"ok": True}, got


def test_admin_api(args):
    with staff_server(args, accounts=()) as srv:
        r = add_account(args, srv.db, "root", "admin", PW, offices=[], flows=srv.flows)
        assert r.returncode == 0, r.stderr
        admin = login(srv, "root")
        status, _, got = admin.post("/api/accounts", {"name": "emil", "role": "editor",
                                                      "password": PW, "offices": ["zweitamt"]})
        assert status == 201 and got == {"ok": True, "name": "emil", "role": "editor",
                                         "offices": ["zweitamt"]}, got
        status, _, got = admin.post("/api/accounts", {"name": "emma", "role": "editor",
                                                      "password": PW, "offices": ["nirgends"]})
        assert status == 422 and "testamt, zweitamt" in got["detail"], got
        status, _, got = admin.post("/api/accounts", {"name": "emma", "role": "viewer",
                                                      "password": PW, "offices": []})
        assert status == 422, got
        emil = login(srv, "emil")
        assert [t["id"] for t in emil.get("/api/tenants")[2]["tenants"]] == ["zweitamt"]
        status, _, got = admin.put("/api/accounts/emil", {"offices": ["testamt"]})
        assert status == 200 and got["offices"] == ["testamt"], got
        assert [t["id"] for t in emil.get("/api/tenants")[2]["tenants"]] == ["testamt"]
        status, _, got = admin.put("/api/accounts/emil", {"disabled": True})
        assert status == 200 and got["disabled"] is True, got
        assert emil.get("/api/session")[0] == 401
        status, _, got = admin.get("/api/accounts")
        assert [(a["name"], a["role"], a["offices"], a["disabled"]) for a in got["accounts"]] == [
            ("emil", "editor", ["testamt"], True), ("root", "admin", ["*"], False)], got
        # CSRF as every write
        status, _, got = admin.request("POST", "/api/accounts", {}, csrf=False)
        assert status == 403 and got["error"] == "csrf", got
        actions = [e["action"] for e in admin.get("/api/audit")[2]["entries"]]
        assert actions.count("account_create") == 1 and actions.count("account_change") == 2


def test_cli_offices(args):
    with staff_server(args, accounts=()) as srv:
        import subprocess

        def staff(*argv, stdin=b""):
            return subprocess.run([args.lotse, "staff", *argv, "--database", srv.db,
                                   "--flows", srv.flows], input=stdin, capture_output=True)
        r = staff("add", "anna", "--role", "editor", stdin=(PW + "\n").encode())
        assert r.returncode == 2 and b"at least one office" in r.stderr, r.stderr
        r = staff("add", "anna", "--role", "editor", "--office", "nirgends",
                  stdin=(PW + "\n").encode())
        assert r.returncode == 2 and b"the offices are: testamt, zweitamt" in r.stderr, r.stderr
        r = staff("add", "anna", "--role", "editor", "--office", "testamt",
                  stdin=(PW + "\n").encode())
        assert r.returncode == 0, r.stderr
        r = staff("offices", "anna", "testamt", "zweitamt")
        assert r.returncode == 0, r.stderr
        lines = staff("list").stdout.decode().splitlines()
        assert len(lines) == 1 and lines[0].split()[:2] == ["anna", "editor"] and \
            lines[0].endswith("offices: testamt,zweitamt"), lines


if __name__ == "__main__":
    main([test_every_route, test_admin_api, test_cli_offices])
