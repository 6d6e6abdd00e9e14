"""test_staff_root.py - the staff address answers its root: GET and HEAD `/`
redirect (302) to `/staff/`, where the staff pages are; other methods get
405 with Allow; the kiosk address's `/` is still the kiosk page, not a
redirect (docs/staff.md, docs/nginx.md).
"""

from lotse_harness import Server, main


def test_staff_root_redirects(args):
    with Server(args) as srv:
        for method in ("GET", "HEAD"):
            status, h, body = srv.http_get("staff", "/", method=method)
            assert (status, h.get("location"), body) == (302, "/staff/", b""), (method, status, h)
        # where it points: the staff pages' index.html
        status, h, body = srv.http_get("staff", "/staff/")
        assert status == 200 and h["content-type"] == "text/html; charset=utf-8", (status, h)
        assert b"<html" in body
        status, h, _ = srv.http_get("staff", "/", method="POST")
        assert (status, h.get("allow"), h.get("location")) == (405, "GET, HEAD", None), (status, h)
        # the existing redirect and the ops routes are unchanged
        status, h, _ = srv.http_get("staff", "/staff")
        assert (status, h.get("location")) == (302, "/staff/"), (status, h)
        assert srv.http_get("staff", "/healthz")[::2] == (200, b"ok\n")
        # only the root: other unknown paths on the staff address stay "not found"
        assert srv.http_get("staff", "/index.html")[0] == 404
        assert srv.http_get("staff", "/config.json")[0] == 404


def test_kiosk_root_is_the_page(args):
    with Server(args) as srv:
        status, h, body = srv.http_get("kiosk", "/")
        assert status == 200 and "location" not in h, (status, h)
        assert h["content-type"] == "text/html; charset=utf-8"
        assert b'src="/app.js"' in body


if __name__ == "__main__":
    main([test_staff_root_redirects, test_kiosk_root_is_the_page])
