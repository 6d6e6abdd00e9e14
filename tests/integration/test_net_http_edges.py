"""test_net_http_edges.py - the HTTP addresses at their edges (issue 10,
finding 13): a long query string is answered 414 instead of a dropped
connection, long headers 431, and the kiosk address does not serve the
staff area's page (kiosk-ui/staff/), which only the staff address serves.
"""

import socket

from lotse_harness import WAIT, Server, main


def status_of(srv, which, request_bytes):
    """Sends raw request bytes; returns the status line ('' if the server
    closed without answering)."""
    host, port = srv.hostport(which)
    with socket.create_connection((host, port), timeout=WAIT) as s:
        s.sendall(request_bytes)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1")


def get(path_and_query, extra=b""):
    return b"GET " + path_and_query + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n"


def test_long_uri(args):
    with Server(args) as srv:
        for which in ("kiosk", "staff"):
            base = b"/?q=" if which == "kiosk" else b"/staff/?q="
            # up to 8192 bytes of URI: served as usual
            uri = base + b"a" * (8192 - len(base))
            assert len(uri) == 8192
            want = "HTTP/1.1 200 OK"
            assert status_of(srv, which, get(uri)) == want, which
            # longer: 414 from Lotse, also at 60 KB and close to libmicrohttpd's 64 KiB
            for n in (8193, 16384, 60000, 64000):
                uri = base + b"a" * (n - len(base))
                st = status_of(srv, which, get(uri))
                assert st == "HTTP/1.1 414 URI Too Long", (which, n, st)
            # above the memory limit: libmicrohttpd's own 414
            st = status_of(srv, which, get(base + b"a" * 70000))
            assert st == "HTTP/1.1 414 URI Too Long", (which, st)
        # long headers: 431 (libmicrohttpd)
        st = status_of(srv, "kiosk", get(b"/", b"X-Filler: " + b"a" * 70000 + b"\r\n"))
        assert st == "HTTP/1.1 431 Request Header Fields Too Large", st
        # the address still answers
        assert srv.http_get("kiosk", "/")[0] == 200
        assert srv.proc.poll() is None


def test_kiosk_does_not_serve_staff_files(args):
    with Server(args) as srv:
        for path in ("/staff", "/staff/", "/staff/index.html", "/staff/staff.css"):
            status, _, body = srv.http_get("kiosk", path)
            assert (status, body) == (404, b"not found\n"), (path, status)
        # the staff address serves them
        status, headers, body = srv.http_get("staff", "/staff/")
        assert status == 200 and headers["content-type"].startswith("text/html"), status
        assert srv.http_get("staff", "/staff/staff.css")[0] == 200
        # and the kiosk page is still there
        assert srv.http_get("kiosk", "/index.html")[0] == 200


if __name__ == "__main__":
    main([test_long_uri, test_kiosk_does_not_serve_staff_files])
