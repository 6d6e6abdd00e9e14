"""test_net_public_socket.py - `public_socket` (docs/nginx.md): a page
loaded through the proxy is told to open the conversation socket at that
path on its own origin (/config.json: host and port null), a page loaded
from the kiosk address itself (its Host names the kiosk port) the socket's
own port; the socket upgrades on that path with the proxy's public Origin
from `origins`; a bad value stops the server with file:line:col. Without
the key /config.json is as before.
"""

import json
import os
import subprocess
import tempfile

from lotse_harness import WAIT, Client, Server, main, run

from test_net_errors import refused


def test_config_json(args):
    with Server(args, config={"public_socket": "/socket",
                              "origins": ["https://lotse.example.org"]}) as srv:
        kport, wport = srv.hostport("kiosk")[1], srv.hostport("socket")[1]
        public = {"host": None, "port": None, "path": "/socket"}
        direct = {"host": "127.0.0.1", "port": wport, "path": "/"}
        # through a proxy (its Host: no port, or another port than the kiosk address's)
        for host in ["lotse.example.org", "127.0.0.1", "127.0.0.1:%d" % (kport ^ 1),
                     "[::1]:%d" % (kport ^ 1)]:
            status, h, body = srv.http_get("kiosk", "/config.json", headers={"Host": host})
            assert status == 200 and h["content-type"] == "application/json"
            cfg = json.loads(body)
            assert cfg["socket"] == public, (host, cfg)
            assert cfg["max_message"] == 16384, cfg
        # straight to the kiosk address (a staff preview, a kiosk PC on the server): its port
        for host in ["127.0.0.1:%d" % kport, "localhost:%d" % kport, "[::1]:%d" % kport]:
            cfg = json.loads(srv.http_get("kiosk", "/config.json", headers={"Host": host})[2])
            assert cfg["socket"] == direct, (host, cfg)
        cfg = json.loads(srv.http_get("kiosk", "/config.json")[2])
        assert cfg["socket"] == direct, cfg
        # the listener itself is unchanged: the proxy forwards to it
        assert srv.urls["socket"] == "ws://127.0.0.1:%d/" % srv.hostport("socket")[1]
        srv.wait_stderr(r"socket: pages connect to /socket on their own origin \(public_socket\)")
    with Server(args, config={"public_socket": "/lotse/ws"}) as srv:
        cfg = json.loads(srv.http_get("kiosk", "/config.json",
                                      headers={"Host": "lotse.example.org"})[2])
        assert cfg["socket"] == {"host": None, "port": None, "path": "/lotse/ws"}, cfg
        srv.wait_stderr(r"public_socket is set but origins is empty")
    # without the key: one answer, whatever the Host
    with Server(args) as srv:
        want = {"host": "127.0.0.1", "port": srv.hostport("socket")[1], "path": "/"}
        for host in ["lotse.example.org", "127.0.0.1:%d" % srv.hostport("kiosk")[1]]:
            cfg = json.loads(srv.http_get("kiosk", "/config.json", headers={"Host": host})[2])
            assert cfg["socket"] == want, (host, cfg)
        assert "public_socket" not in srv.stderr()


def test_upgrade_on_the_path(args):
    async def talk(url):
        c = await Client.open(url, origin="https://lotse.example.org")
        s = await c.call({"type": "start", "tenant": "testamt", "lang": "de"}, "step")
        assert s["node"] == "who", s
        s = await c.call({"type": "choose", "choice": "child"}, "step")
        assert s["node"] == "child_age", s
        await c.close()

    with Server(args, config={"public_socket": "/socket",
                              "origins": ["https://lotse.example.org"]}) as srv:
        port = srv.hostport("socket")[1]
        url = "ws://127.0.0.1:%d/socket" % port
        run(talk(url))
        assert refused(url, "https://evil.example.org")
        assert refused(url, "http://127.0.0.1:%d" % srv.hostport("kiosk")[1])


def test_bad_values(args):
    for value, col in [("socket", 16), ("/so cket", 16), ("//socket", 16), ("/a?b=1", 16),
                       ("", 16), ("/" + "a" * 200, 16)]:
        with tempfile.TemporaryDirectory(prefix="lotse-public-socket-") as tmp:
            path = os.path.join(tmp, "lotse.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write("log_level: info\npublic_socket: %s\n" % json.dumps(value))
            r = subprocess.run([args.lotse, "serve", "--config", path], cwd=tmp,
                               capture_output=True, text=True, timeout=WAIT)
            want = ("%s:2:%d: \"public_socket\" must be a path on the page's own origin like "
                    "/socket (at most 200 of a-z A-Z 0-9 / . _ ~ -)" % (path, col))
            assert r.returncode != 0 and want in r.stderr, (value, r.returncode, r.stderr)
            assert "kiosk page:" not in r.stdout, r.stdout


if __name__ == "__main__":
    main([test_config_json, test_upgrade_on_the_path, test_bad_values])
