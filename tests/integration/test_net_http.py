"""test_net_http.py - the HTTP addresses of `lotse serve`: the kiosk page's
files (with Content-Type, never outside the page folder, never through a
symbolic link), /config.json pointing at the conversation socket, /healthz;
the staff/ops address with /healthz and /metrics (Prometheus text).
"""

import json
import os
import shutil
import tempfile

from lotse_harness import Server, main


def test_kiosk_files(args):
    with Server(args) as srv:
        status, h, body = srv.http_get("kiosk", "/")
        assert status == 200 and h["content-type"] == "text/html; charset=utf-8", (status, h)
        assert b'src="/app.js"' in body
        assert "default-src 'self'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"
        with open(os.path.join(args.source, "kiosk-ui", "index.html"), "rb") as f:
            assert body == f.read()
        status, h, _ = srv.http_get("kiosk", "/app.js")
        assert status == 200 and h["content-type"] == "text/javascript; charset=utf-8"
        status, h, _ = srv.http_get("kiosk", "/style.css")
        assert status == 200 and h["content-type"] == "text/css; charset=utf-8"
        status, h, body = srv.http_get("kiosk", "/", method="HEAD")
        assert status == 200 and body == b""
        for path in ["/missing.js", "/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt",
                     "/..%2fCMakeLists.txt", "/index.html%00.js", "/.hidden.js", "//etc/passwd",
                     "/metrics", "/README"]:
            status, _, _ = srv.http_get("kiosk", path)
            assert status == 404, (path, status)
        line = srv.raw_http("kiosk", b"GET /../../../../etc/passwd HTTP/1.0\r\n\r\n")
        assert " 404 " in line, line
        status, h, _ = srv.http_get("kiosk", "/", method="POST")
        assert status == 405 and h["allow"] == "GET, HEAD"


def test_config_and_health(args):
    with Server(args) as srv:
        status, h, body = srv.http_get("kiosk", "/config.json")
        assert status == 200 and h["content-type"] == "application/json"
        cfg = json.loads(body)
        host, port = srv.hostport("socket")
        assert cfg["socket"] == {"host": host, "port": port, "path": "/"}, cfg
        assert srv.urls["socket"] == "ws://127.0.0.1:%d/" % port
        assert srv.urls["kiosk"] == "http://127.0.0.1:%d/" % srv.hostport("kiosk")[1]
        assert srv.urls["staff"] == "http://127.0.0.1:%d/" % srv.hostport("staff")[1]
        for which in ("kiosk", "staff"):
            status, h, body = srv.http_get(which, "/healthz")
            assert (status, body) == (200, b"ok\n"), (which, status, body)


def test_metrics(args):
    with Server(args) as srv:
        status, h, body = srv.http_get("staff", "/metrics")
        assert status == 200
        assert h["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
        text = body.decode()
        for line in ["# TYPE lotse_sessions_open gauge", "lotse_sessions_open 0",
                     "lotse_content_generation 1", 'lotse_reloads_total{result="ok"} 0',
                     'lotse_reloads_total{result="failed"} 0',
                     'lotse_errors_total{code="bad_json"} 0']:
            assert line + "\n" in text, line
        for name in ["lotse_turns_total", "lotse_lookups_total", "lotse_fallback_lookups_total"]:
            assert "# TYPE %s counter\n" % name in text, name
        # (the staff address's "/" redirects to /staff/: test_staff_root.py)
        for path in ["/index.html", "/config.json"]:
            status, _, _ = srv.http_get("staff", path)
            assert status == 404, path


def test_symlinks_refused(args):
    ui = tempfile.mkdtemp(prefix="lotse-ui-")
    outside = tempfile.mkdtemp(prefix="lotse-outside-")
    try:
        with open(os.path.join(ui, "index.html"), "w") as f:
            f.write("<p>hi</p>")
        with open(os.path.join(outside, "secret.js"), "w") as f:
            f.write("secret")
        os.symlink(os.path.join(outside, "secret.js"), os.path.join(ui, "link.js"))
        os.symlink(outside, os.path.join(ui, "dir"))
        with Server(args, config={"ui": ui}) as srv:
            assert srv.http_get("kiosk", "/")[2] == b"<p>hi</p>"
            assert srv.http_get("kiosk", "/link.js")[0] == 404
            assert srv.http_get("kiosk", "/dir/secret.js")[0] == 404
    finally:
        shutil.rmtree(ui, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)


if __name__ == "__main__":
    main([test_kiosk_files, test_config_and_health, test_metrics, test_symlinks_refused])
