#!/usr/bin/python3
"""test_net_scaleout.py - several `lotse serve` instances behind Debian's HAProxy (docs/scaling.md).

Three real instances share a resume key file (32 random bytes) and the same content; HAProxy
(/usr/sbin/haproxy, run from docs/examples/haproxy-lotse.cfg with the addresses filled in) spreads
conversations over them. One instance is killed with SIGKILL while conversations are in progress:
every page that lost its connection reconnects through HAProxy, resumes with its last token on
another instance and continues at the same step, with its history (back works) and its language.
Also: a server refuses to start with a key file of the wrong size, with a clear message.
"""
import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from lotse_harness import WAIT, Client, Server, main, run, token_id

HAPROXY = "/usr/sbin/haproxy"
STEP_KEYS = ("tenant", "lang", "dir", "flow", "node", "kind", "text", "can_back", "choices")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_of(url):
    return int(re.search(r":(\d+)/?", url.split("//", 1)[1]).group(1))


class HAProxy:
    def __init__(self, args, servers, tmp):
        if not os.path.exists(HAPROXY):
            raise AssertionError("%s is missing: apt-get install haproxy (scripts/quickstart test "
                                 "installs it)" % HAPROXY)
        self.port = free_port()
        with open(os.path.join(args.source, "docs/examples/haproxy-lotse.cfg"), encoding="utf-8") as f:
            cfg = f.read()
        sock = "\n".join("    server i%d 127.0.0.1:%d check port %d inter 300 fall 1 rise 1"
                         % (i, port_of(s.urls["socket"]), port_of(s.urls["staff"]))
                         for i, s in enumerate(servers))
        page = "\n".join("    server i%d 127.0.0.1:%d check inter 300 fall 1 rise 1"
                         % (i, port_of(s.urls["kiosk"])) for i, s in enumerate(servers))
        cfg = (cfg.replace("@BIND@", "127.0.0.1:%d" % self.port)
               .replace("@SOCKET_SERVERS@", sock).replace("@PAGE_SERVERS@", page))
        for field in ("@BIND@", "@SOCKET_SERVERS@", "@PAGE_SERVERS@"):
            assert field not in cfg
        self.cfg = os.path.join(tmp, "haproxy.cfg")
        with open(self.cfg, "w", encoding="utf-8") as f:
            f.write(cfg)
        check = subprocess.run([HAPROXY, "-c", "-f", self.cfg], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        self.proc = subprocess.Popen([HAPROXY, "-db", "-f", self.cfg],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WAIT
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert self.proc.poll() is None, self.proc.stdout.read().decode()
                assert time.monotonic() < deadline, "HAProxy did not listen"
                time.sleep(0.05)
        self.url = "ws://127.0.0.1:%d/socket" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(WAIT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


async def open_retrying(url):
    """A page reconnecting: HAProxy may still route one attempt to the dead instance before its
    health check marks it down (then redispatch answers); a few tries, as the page's backoff."""
    last = None
    for _ in range(20):
        try:
            return await Client.open(url)
        except Exception as e:   # refused or closed during the handshake
            last = e
            await asyncio.sleep(0.2)
    raise AssertionError("could not reconnect through HAProxy: %r" % (last,))


def test_kill_one_instance(args):
    tmp = tempfile.mkdtemp(prefix="lotse-scaleout-")
    key = os.path.join(tmp, "resume.key")
    with open(key, "wb") as f:
        f.write(os.urandom(32))
    servers = [Server(args, config={"resume_key_file": key}, name="lotse-i%d" % i)
               for i in range(3)]
    proxy = None
    try:
        for s in servers:
            s.start()
        proxy = HAProxy(args, servers, tmp)

        async def body():
            # 1. 24 conversations in progress, at different steps and in two languages
            clients, last = [], []
            for i in range(24):
                c = await Client.open(proxy.url)
                lang = "en" if i % 2 else "de"
                s = await c.call({"type": "start", "tenant": "testamt", "lang": lang}, "step")
                s = await c.call({"type": "choose", "choice": "child"}, "step")
                if i % 3 == 0:
                    s = await c.call({"type": "choose", "choice": "small"}, "step")
                    assert s["node"] == "krippe_info", s
                else:
                    assert s["node"] == "child_age", s
                assert re.match(r"^[0-9a-f]{32}\.[A-Za-z0-9_-]{40,8192}$", s["token"]), s["token"]
                clients.append(c)
                last.append(s)
            per = [int(s.metrics()["lotse_connections_open"]) for s in servers]
            assert sum(per) == 24 and min(per) > 0, per   # HAProxy spread them
            victim = per.index(max(per))
            lost = per[victim]

            # 2. kill -9 one instance: its pages lose their connection
            servers[victim].proc.send_signal(signal.SIGKILL)
            servers[victim].proc.wait(WAIT)
            deadline = time.monotonic() + WAIT
            while sum(1 for c in clients if c.ws.closed) < lost:
                assert time.monotonic() < deadline, "HAProxy did not close the lost connections"
                await asyncio.sleep(0.05)
            closed = [i for i, c in enumerate(clients) if c.ws.closed]
            assert len(closed) == lost, (closed, per)

            # 3. each reconnects through HAProxy and resumes where it was
            for i in closed:
                c = await open_retrying(proxy.url)
                s = await c.call({"type": "resume", "token": last[i]["token"]}, "step")
                for k in STEP_KEYS:
                    assert s[k] == last[i][k], (i, k, s[k], last[i][k])
                assert token_id(s["token"]) == token_id(last[i]["token"])
                b = await c.call({"type": "back"}, "step")   # the history came along
                assert b["node"] == ("child_age" if last[i]["node"] == "krippe_info" else "who"), b
                assert b["lang"] == last[i]["lang"]
                clients[i] = c
                last[i] = b
            # 4. every conversation goes on (the others on their own connections)
            for i, c in enumerate(clients):
                if last[i]["node"] == "who":
                    s = await c.call({"type": "choose", "choice": "child"}, "step")
                    assert s["node"] == "child_age", s
                s = await c.call({"type": "choose", "choice": "kita"}, "step")
                assert s["node"] == "results" and s["lang"] == last[i]["lang"], s
            alive = [s for j, s in enumerate(servers) if j != victim]
            unsealed = sum(int(s.metrics()["lotse_sessions_unsealed_total"]) for s in alive)
            assert unsealed == lost, (unsealed, lost)

            # 5. a sealed part under another id (one no instance holds) is refused
            t = last[0]["token"]
            c = await Client.open(proxy.url)
            for bad in ("0" * 32 + t[32:], "0" * 32 + t[32:-3] + ("AAA" if t[-3:] != "AAA" else "BBB")):
                e = await c.call({"type": "resume", "token": bad}, "error")
                assert e["code"] == "bad_token", e
            await c.close()
            for c in clients:
                await c.close()

        run(body())
        for j, s in enumerate(servers):
            if s.proc.poll() is None:
                s.check_clean_exit(s.stop())
    finally:
        if proxy:
            proxy.stop()
        for s in servers:
            s.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


def test_bad_key_file(args):
    tmp = tempfile.mkdtemp(prefix="lotse-badkey-")
    key = os.path.join(tmp, "resume.key")
    with open(key, "wb") as f:
        f.write(b"too short")
    srv = Server(args, config={"resume_key_file": key})
    try:
        cfg = srv._write_config()
        p = subprocess.run([args.lotse, "serve", "--config", cfg], capture_output=True, text=True,
                           timeout=WAIT, cwd=srv.tmp)
        assert p.returncode != 0, p
        want = ("%s: the resume key file must hold exactly 32 bytes (it holds 9); make one with: "
                "head -c 32 /dev/urandom > %s" % (key, key))
        assert want in p.stderr, p.stderr
        assert "conversation socket:" not in p.stdout, p.stdout
    finally:
        srv.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main([test_kill_one_instance, test_bad_key_file])
