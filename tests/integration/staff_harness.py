"""staff_harness.py - helpers for the staff area's integration tests
(test_staff_*.py): a real `lotse serve` (lotse_harness.Server) with staff
accounts made by `lotse staff add`, a copy of the .po files, and a small
HTTP client that keeps the session cookie and the CSRF token.

Only the standard library (http.client, sqlite3) is used.
"""

import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import urllib.parse

from lotse_harness import WAIT, Server

PASSWORDS = {"anna": "anna-geheim-123", "bert": "bert-geheim-456", "vera": "vera-liest-789"}
ROLES = {"anna": "editor", "bert": "editor", "vera": "viewer"}


def add_account(args, db, name, role, password, offices=("*",), flows=None):
    """Runs `lotse staff add NAME --role ROLE --office T...` with the password on stdin."""
    cmd = [args.lotse, "staff", "add", name, "--role", role, "--database", db]
    for o in offices:
        cmd += ["--office", o]
    if flows:
        cmd += ["--flows", flows]
    return subprocess.run(cmd, input=(password + "\n").encode(), capture_output=True,
                          timeout=WAIT)


def staff_server(args, config=None, accounts=("anna", "bert", "vera"), name="lotse-staff"):
    """A Server (not started) with a po/ copy and the given accounts."""
    po = os.path.join(args.source, "tests/data/net/po")
    srv = Server(args, po=po, config=config, name=name)
    srv.po_dir = os.path.join(srv.tmp, "po")
    shutil.copytree(po, srv.po_dir)
    srv.config.setdefault("po", srv.po_dir)
    srv.db = os.path.join(srv.tmp, "lotse.db")
    for a in accounts:
        r = add_account(args, srv.db, a, ROLES[a], PASSWORDS[a])
        assert r.returncode == 0, r.stderr
    return srv


def db_rows(srv, sql, params=()):
    con = sqlite3.connect(srv.db, timeout=WAIT)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


class Staff:
    """One browser: a cookie jar of one cookie and the CSRF token."""

    def __init__(self, srv):
        self.srv = srv
        self.cookie = None
        self.csrf = None
        self.last_headers = {}

    def request(self, method, path, body=None, headers=None, raw=False, csrf=True,
                content_type="application/json"):
        """Returns (status, headers, decoded JSON or bytes)."""
        host, port = self.srv.hostport("staff")
        h = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode("utf-8")
            if content_type:
                h.setdefault("Content-Type", content_type)
        if self.cookie:
            h.setdefault("Cookie", "lotse_staff=" + self.cookie)
        if csrf and self.csrf and method in ("POST", "PUT", "DELETE"):
            h.setdefault("X-CSRF-Token", self.csrf)
        conn = http.client.HTTPConnection(host, port, timeout=WAIT)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            raw_body = r.read()
            hdrs = {}
            for k, v in r.getheaders():
                k = k.lower()
                hdrs[k] = hdrs[k] + "\n" + v if k in hdrs else v
            self.last_headers = hdrs
            ctype = hdrs.get("content-type", "")
            if not raw and ctype.startswith("application/json"):
                return r.status, hdrs, json.loads(raw_body.decode("utf-8"))
            return r.status, hdrs, raw_body
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body if body is not None else {}, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body if body is not None else {}, **kw)

    def login(self, name, password=None, expect=200, headers=None):
        status, hdrs, body = self.request(
            "POST", "/api/login",
            {"name": name, "password": PASSWORDS[name] if password is None else password},
            headers=headers)
        assert status == expect, (status, body)
        if status == 200:
            cookie = hdrs["set-cookie"]
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1]
            self.csrf = body["csrf"]
        return status, hdrs, body

    # ---- flows ----

    def flow(self, tenant="testamt", flow="main"):
        status, _, body = self.get("/api/flows/%s/%s" % (tenant, flow))
        assert status == 200, (status, body)
        return body

    def publish(self, yaml, base, tenant="testamt", flow="main", message="", expect=200):
        status, _, body = self.put("/api/flows/%s/%s" % (tenant, flow),
                                   {"yaml": yaml, "message": message,
                                    "base_revision": base["revision"], "base_hash": base["hash"]})
        assert status == expect, (status, body)
        return body


def query(**kw):
    return urllib.parse.urlencode(kw)
