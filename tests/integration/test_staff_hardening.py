"""test_staff_hardening.py - small hardening fixes of the staff address (issue 10, items 8, 9
and 13) against a real server:
- a login name with a newline cannot forge a log line: it is logged as one line, escaped;
- an up-to-date catalogue is not recompiled at the next start (the .mo keeps its inode and
  modification time), while a .po newer than its .mo still is;
- a rejected .po upload shows no temporary path of the server, also in msgfmt's lines that do
  not start with the file name;
- HEAD on the staff API's GET routes answers like GET, without a body; methods a route does not
  take still get 405 with Allow.
"""

import os
import re
import socket

from lotse_harness import WAIT, main
from staff_harness import Staff, query, read, staff_server


def test_login_name_cannot_forge_a_log_line(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        s.login("anna", password="falsch-falsch-falsch", expect=401)
        name = "evil\nlotse: error: FORGED"
        status, _, body = s.request("POST", "/api/login", {"name": name, "password": "x" * 12})
        assert status == 401, (status, body)
        m = srv.wait_stderr(r"login_failed name=evil")
        assert re.fullmatch(r"lotse: info: staff: - login_failed "
                            r"name=evil\\nlotse: error: FORGED addr=[0-9a-f]{32}",
                            m.string), m.string
        lines = srv.stderr().split("\n")
        assert not [ln for ln in lines if ln.startswith("lotse: error: FORGED")], lines


def mo_state(path):
    st = os.stat(path)
    return st.st_ino, st.st_mtime_ns, st.st_size


def restart(srv):
    srv.check_clean_exit(srv.stop())
    srv.urls = {}
    srv.start()


def test_catalogue_not_recompiled_at_start(args):
    srv = staff_server(args, name="lotse-mo")
    try:
        srv.start()
        s = Staff(srv)
        s.login("anna")
        po_path = os.path.join(srv.po_dir, "en.po")
        mo_path = os.path.join(srv.mo_dir, "en.mo")
        _, h, _ = s.get("/api/po/en.po")
        good = read(po_path, "rb").replace(b'msgstr "Who are you looking for an offer for?"',
                                           b'msgstr "Whom are you looking for?"')
        status, _, got = s.request("PUT", "/api/po/en.po?" + query(
            base_revision=0, base_hash=h["x-lotse-hash"], message="kürzer"), good,
            content_type="text/x-gettext-translation")
        assert status == 200 and got["revision"] == 2, got
        before = mo_state(mo_path)
        assert b"Whom are you looking for?" in read(mo_path, "rb")
        # a start with an up-to-date catalogue leaves the .mo alone (it was rewritten every time)
        restart(srv)
        assert mo_state(mo_path) == before, (mo_state(mo_path), before)
        restart(srv)
        assert mo_state(mo_path) == before, (mo_state(mo_path), before)
        # a .po newer than its .mo (a publish stopped between the two) is compiled at the start
        st = os.stat(mo_path)
        os.utime(po_path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        restart(srv)
        after = mo_state(mo_path)
        assert after[0] != before[0], "the stale catalogue was not compiled again"
        assert b"Whom are you looking for?" in read(mo_path, "rb")
        srv.check_clean_exit(srv.stop())
    finally:
        srv.cleanup()


def test_rejected_po_shows_no_temporary_path(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        s.login("anna")
        _, h, _ = s.get("/api/po/en.po")
        tmp = os.environ.get("TMPDIR") or "/tmp"
        # no header: msgfmt names the file inside its own line ("msgfmt: <path>: warning: ...")
        bad = b'msgid "a"\nmsgstr "b"\n'
        status, _, got = s.request("PUT", "/api/po/en.po?" + query(base_hash=h["x-lotse-hash"]),
                                   bad, content_type="text/x-gettext-translation")
        assert status == 422 and got["error"] == "invalid", got
        assert got["errors"] == [
            {"file": "po/en.po", "line": 0, "col": 0,
             "message": "msgfmt: po/en.po: warning: PO file header missing or invalid"},
            {"file": "po/en.po", "line": 0, "col": 0,
             "message": "warning: charset conversion will not work"},
        ], got["errors"]
        assert "lotse-staff-" not in str(got) and tmp + "/" not in str(got), got


def raw_head(srv, path, cookie):
    """Sends HEAD with Connection: close; returns (status line, headers, bytes after them)."""
    host, port = srv.hostport("staff")
    req = ("HEAD %s HTTP/1.1\r\nHost: %s:%d\r\nCookie: lotse_staff=%s\r\nConnection: close\r\n\r\n"
           % (path, host, port, cookie)).encode()
    with socket.create_connection((host, port), timeout=WAIT) as sock:
        sock.sendall(req)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        headers[k.strip().lower()] = v.strip()
    return lines[0], headers, rest


def test_head_on_get_routes(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        s.login("anna")
        routes = ["/api/tenants", "/api/flows/testamt/main", "/api/po/en.po", "/api/session",
                  "/api/translations", "/api/offers/testamt", "/api/revisions?path=po/en.po"]
        for path in routes:
            gs, gh, gbody = s.request("GET", path, raw=True)
            assert gs == 200, (path, gs, gbody)
            line, hh, rest = raw_head(srv, path, s.cookie)
            assert line == "HTTP/1.1 200 OK", (path, line)
            assert rest == b"", (path, rest)
            assert hh["content-type"] == gh["content-type"], (path, hh, gh)
            assert hh["content-length"] == str(len(gbody)), (path, hh, len(gbody))
            assert hh.get("x-lotse-hash") == gh.get("x-lotse-hash"), (path, hh, gh)
        # without a session HEAD is refused as GET is
        gs, _, _ = Staff(srv).request("GET", "/api/tenants", raw=True)
        hs, _, _ = Staff(srv).request("HEAD", "/api/tenants", raw=True)
        assert gs == hs == 401, (gs, hs)
        # a POST-only route does not take HEAD; a GET route lists HEAD in Allow
        status, h, _ = s.request("HEAD", "/api/logout", raw=True)
        assert (status, h.get("allow")) == (405, "POST"), (status, h)
        status, h, _ = s.request("DELETE", "/api/audit")
        assert (status, h.get("allow")) == (405, "GET, HEAD"), (status, h)
        status, h, _ = s.request("DELETE", "/api/po/en.po")
        assert (status, h.get("allow")) == (405, "GET, PUT, HEAD"), (status, h)


if __name__ == "__main__":
    main([test_login_name_cannot_forge_a_log_line, test_catalogue_not_recompiled_at_start,
          test_rejected_po_shows_no_temporary_path, test_head_on_get_routes])
