"""lotse_harness.py - shared helpers for the integration tests.

Starts a real `lotse serve` on free loopback ports (port 0) with a temporary
config, database and (optionally) a copy of a flows folder and catalogues
compiled with msgfmt, reads the printed URLs, and stops it. Also: JSON
WebSocket clients on Debian's python3-websockets 10.4 (asyncio; 10.4 has no
sync client) and a raw RFC 6455 client for what a polite library will not do
(binary frames, never answering a PING, hand-made fragments).

Only the standard library and python3-websockets are used.
"""

import argparse
import asyncio
import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import websockets

WAIT = 30.0  # generous upper bound for anything to happen (never a speed test)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--lotse", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--mo-dir", required=True)
    a = p.parse_args()
    # the server runs in its own temporary folder: make every path absolute
    a.lotse, a.source, a.mo_dir = (os.path.abspath(x) for x in (a.lotse, a.source, a.mo_dir))
    return a


def compile_catalogues(po_dir, out_dir):
    """msgfmt --check every po_dir/*.po into out_dir/<lang>.mo."""
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(os.listdir(po_dir)):
        if name.endswith(".po"):
            lang = name[:-3]
            subprocess.run(["msgfmt", "--check", "-o", os.path.join(out_dir, lang + ".mo"),
                            os.path.join(po_dir, name)], check=True)


class Server:
    """One `lotse serve` process on free loopback ports."""

    def __init__(self, args, flows=None, po=None, config=None, name="lotse"):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix=name + "-")
        self.flows = os.path.join(self.tmp, "flows")
        shutil.copytree(flows or os.path.join(args.source, "tests/data/net/flows"), self.flows)
        if po is None:
            po = os.path.join(args.source, "tests/data/net/po")
        if po:
            self.mo_dir = os.path.join(self.tmp, "mo")
            compile_catalogues(po, self.mo_dir)
        else:
            self.mo_dir = args.mo_dir
        self.config = dict(config or {})
        self.env = None  # environment of `lotse serve` (None: this process's)
        self.proc = None
        self._pump = None
        self.urls = {}
        self._stderr_lines = []
        self._stderr_lock = threading.Lock()

    # ---- lifecycle ----

    def _write_config(self):
        cfg = {
            "flows": self.flows,
            "catalogues": self.mo_dir,
            "ui": os.path.join(self.args.source, "kiosk-ui"),
            "database": os.path.join(self.tmp, "lotse.db"),
            "listen": {"kiosk": "127.0.0.1:0", "socket": "127.0.0.1:0", "staff": "127.0.0.1:0"},
            "log_level": "debug",
        }
        cfg.update(self.config)
        path = os.path.join(self.tmp, "lotse.yaml")
        with open(path, "w", encoding="utf-8") as f:
            # JSON is YAML: no YAML writer needed.
            json.dump(cfg, f, ensure_ascii=False, indent=1)
        return path

    def _pump_stderr(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._stderr_lock:
                self._stderr_lines.append(line)
            sys.stderr.write("[server] " + line + "\n")

    def start(self):
        path = self._write_config()
        self.proc = subprocess.Popen([self.args.lotse, "serve", "--config", path],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     cwd=self.tmp, env=self.env)
        self._pump = threading.Thread(target=self._pump_stderr, daemon=True)
        self._pump.start()
        wanted = {"kiosk page": "kiosk", "conversation socket": "socket", "staff/ops": "staff"}
        deadline = time.monotonic() + WAIT
        while len(self.urls) < 3:
            line = self._readline(deadline)
            if line is None:
                raise RuntimeError("lotse serve did not print its URLs; stderr:\n"
                                   + self.stderr())
            label, _, url = line.partition(": ")
            if label not in wanted:
                raise RuntimeError("unexpected output line: %r" % line)
            self.urls[wanted[label]] = url
        return self

    def _readline(self, deadline):
        result = []

        def read():
            result.append(self.proc.stdout.readline())

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(max(0.0, deadline - time.monotonic()))
        if not result or not result[0]:
            return None
        return result[0].decode("utf-8").rstrip("\n")

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; returns its exit status."""
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise RuntimeError("lotse serve did not stop on %s" % sig)
        return rc

    def cleanup(self):
        try:
            if self.proc and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, *exc):
        try:
            if self.proc and self.proc.poll() is None:
                rc = self.stop()
                if exc_type is None:
                    self.check_clean_exit(rc)
        finally:
            self.cleanup()

    def check_clean_exit(self, rc):
        """A clean shutdown: status 0 and no sanitizer report."""
        self._pump.join(WAIT)  # the process is gone: read its last lines
        text = self.stderr()
        assert "Sanitizer" not in text and "runtime error" not in text, text
        assert rc == 0, "exit status %s; stderr:\n%s" % (rc, text)

    # ---- observing ----

    def stderr(self):
        with self._stderr_lock:
            return "\n".join(self._stderr_lines)

    def wait_stderr(self, pattern, timeout=WAIT):
        """Waits until a stderr line matches the regex; returns the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._stderr_lock:
                for line in self._stderr_lines:
                    m = rx.search(line)
                    if m:
                        return m
            time.sleep(0.05)
        raise AssertionError("no stderr line matches %r; stderr:\n%s" % (pattern, self.stderr()))

    def hostport(self, which):
        u = urllib.parse.urlsplit(self.urls[which])
        return u.hostname, u.port

    def http_get(self, which, path, headers=None, method="GET"):
        host, port = self.hostport(which)
        conn = http.client.HTTPConnection(host, port, timeout=WAIT)
        try:
            conn.request(method, path, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def raw_http(self, which, request_bytes):
        """Sends raw bytes to an HTTP address; returns the status line."""
        host, port = self.hostport(which)
        with socket.create_connection((host, port), timeout=WAIT) as s:
            s.sendall(request_bytes)
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        return data.split(b"\r\n", 1)[0].decode("latin-1")

    def metrics(self):
        status, _, body = self.http_get("staff", "/metrics")
        assert status == 200, status
        out = {}
        for line in body.decode("utf-8").splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out

    def wait_metric(self, name, value, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.metrics().get(name) == value:
                return
            time.sleep(0.05)
        raise AssertionError("metric %s never became %s: %r" % (name, value, self.metrics()))

    def reload(self):
        self.proc.send_signal(signal.SIGHUP)


# ---- JSON WebSocket client (python3-websockets, asyncio) ----

class Client:
    """A conversation client: JSON in, JSON out."""

    def __init__(self, ws):
        self.ws = ws
        self.tenants = None

    @classmethod
    async def open(cls, url, origin=None, **kw):
        ws = await websockets.connect(url, origin=origin, max_size=None, **kw)
        c = cls(ws)
        first = await c.recv()
        assert first["type"] == "tenants", first
        c.tenants = first["tenants"]
        return c

    async def send(self, obj):
        await self.ws.send(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False))

    async def recv(self, timeout=WAIT):
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        assert isinstance(raw, str), raw
        return json.loads(raw)

    async def call(self, obj, expect=None):
        """Sends obj and returns the answer; checks its type if expect."""
        await self.send(obj)
        m = await self.recv()
        if expect is not None:
            assert m["type"] == expect, m
        return m

    async def close(self):
        await self.ws.close()


def token_id(token):
    """The session id of a resume token: the part before the dot (net/token.h). The sealed part
    after it changes with every step; the id stays for the whole conversation."""
    return token.split(".", 1)[0]


def run(coro):
    return asyncio.run(coro)


# ---- raw RFC 6455 client ----

class RawClient:
    """A minimal WebSocket client over a plain socket: does only what it is
    told (never answers a PING by itself)."""

    def __init__(self, url, origin=None, timeout=WAIT):
        u = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET %s HTTP/1.1" % (u.path or "/"), "Host: %s:%d" % (u.hostname, u.port),
                 "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: " + key,
                 "Sec-WebSocket-Version: 13"]
        if origin:
            lines.append("Origin: " + origin)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                break
            head += chunk
        self.status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        self.upgraded = " 101 " in self.status_line
        if self.upgraded:
            accept = base64.b64encode(hashlib.sha1(
                (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            assert accept.encode() in head, head
        self.buf = b""

    def send_frame(self, opcode, payload, fin=True):
        mask = os.urandom(4)
        b0 = (0x80 if fin else 0) | opcode
        n = len(payload)
        if n < 126:
            hdr = struct.pack("!BB", b0, 0x80 | n)
        elif n < 65536:
            hdr = struct.pack("!BBH", b0, 0x80 | 126, n)
        else:
            hdr = struct.pack("!BBQ", b0, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(hdr + mask + masked)

    def send_text(self, text):
        self.send_frame(0x1, text.encode("utf-8"))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_frame(self):
        """Returns (opcode, payload); raises EOFError when the TCP stream ends."""
        b0, b1 = self._read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read(8))[0]
        if b1 & 0x80:
            mask = self._read(4)
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(n)))
        else:
            data = self._read(n)
        return b0 & 0x0F, data

    def recv_json(self):
        while True:
            op, data = self.recv_frame()
            if op == 0x1:
                return json.loads(data.decode("utf-8"))
            if op == 0x8:
                raise EOFError("close frame %r" % (data,))

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def close_code(data):
    """The status code of a close frame's payload (None if empty)."""
    return struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None


# ---- a tiny test runner ----

def main(tests):
    """Runs each test function(args); prints a line per test; exits 1 on any
    failure."""
    args = parse_args()
    failed = 0
    for t in tests:
        try:
            t(args)
            print("ok   %s" % t.__name__, flush=True)
        except Exception:  # noqa: BLE001 - report every failure and go on
            failed += 1
            import traceback
            print("FAIL %s" % t.__name__, flush=True)
            traceback.print_exc()
    if failed:
        print("%d test(s) failed" % failed)
        sys.exit(1)
    print("all %d passed" % len(tests))
