"""test_net_limits.py - connection limits that hold under attack (issue 10,
items 1-3): beyond the per-address and total limits of the conversation
socket and the kiosk address, new connections are refused while other
addresses still connect, /healthz and the kiosk page still answer; every
refusal is counted exactly in /metrics, and hundreds of refusals leave only
a few log lines (with counts, never an address); clients that dribble their
request headers or body are closed at a deadline counted from the request's
start, not from their last byte.

Different client addresses are loopback addresses 127.0.0.N: the client
socket is bound to one before it connects. Small limits keep the counts
small. No timing thresholds: every wait is an upper bound (WAIT).
"""

import argparse
import os
import re
import socket
import tempfile
import threading
import time

from lotse_harness import WAIT, Client, Server, main, run

SMALL = {
    "socket_connections": 8, "socket_per_address": 4,
    "http_connections": 8, "http_per_address": 4,
    # no deadline and one log line per hour unless a test says otherwise:
    # line counts then do not depend on how long a test runs
    "header_timeout": 3600, "body_timeout": 3600, "http_idle_timeout": 3600,
    "log_interval": 3600,
}
# held socket connections complete their handshake and are never pinged
CONFIG = {"limits": SMALL, "ping_interval": 3600}


def connect_from(srv, which, source):
    """A TCP connection to srv's address `which` from 127.0.0.<source>."""
    host, port = srv.hostport(which)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(WAIT)
    s.bind(("127.0.0.%d" % source, 0))
    s.connect((host, port))
    return s


def ws_held(srv, source):
    """A conversation socket connection from 127.0.0.<source> that completes
    its handshake and then reads nothing."""
    s = connect_from(srv, "socket", source)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        assert chunk, "the handshake was refused"
        data += chunk
    assert data.startswith(b"HTTP/1.1 101 "), data
    return s


def closed_by_server(s, send=b""):
    """True when the server closes s (EOF or reset) without answering."""
    try:
        if send:
            s.sendall(send)
        return s.recv(4096) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        s.close()


def refused_metric(srv, listener, reason):
    key = 'lotse_connections_refused_total{listener="%s",reason="%s"}' % (listener, reason)
    return srv.metrics()[key]


def open_conns(srv, listener):
    return 'lotse_listener_connections{listener="%s"}' % listener


def refusal_lines(srv, listener, limit):
    """The log lines about refusals of one listener and limit, and the number
    of refusals they report together."""
    rx = re.compile(r"lotse: warning: %s: refused (\d+) connections? .*\(%s of \d+"
                    % (listener, re.escape(limit)))
    lines = [l for l in srv.stderr().splitlines() if rx.search(l)]
    return lines, sum(int(rx.search(l).group(1)) for l in lines)


def stop_and_check_log(srv, listener, limit, expected):
    """Stops srv (which flushes the counts held back) and checks that the
    refusals took at most two lines that add up to exactly `expected`, and
    that no client address appears in the log."""
    srv.check_clean_exit(srv.stop())
    lines, total = refusal_lines(srv, listener, limit)
    assert 1 <= len(lines) <= 2, lines
    assert total == expected, (total, expected, lines)
    for n in range(2, 10):
        assert "127.0.0.%d" % n not in srv.stderr()


def test_socket_per_address(args):
    srv = Server(args, config=CONFIG).start()
    try:
        held = [ws_held(srv, 2) for _ in range(4)]
        srv.wait_metric(open_conns(srv, "socket"), 4)
        handshake = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        for _ in range(300):
            assert closed_by_server(connect_from(srv, "socket", 2), handshake)
        assert refused_metric(srv, "socket", "per_address_limit") == 300
        assert refused_metric(srv, "socket", "total_limit") == 0
        lines, _ = refusal_lines(srv, "socket", "per-address limit")
        assert len(lines) == 1, lines   # one line for 300 refusals (log_interval 3600)

        # another address still holds a conversation
        async def converse():
            host, port = srv.hostport("socket")
            c = await Client.open("ws://%s:%d/" % (host, port), sock=bound(3, host, port))
            assert c.tenants
            await c.close()
        run(converse())
        # the kiosk page and /healthz answer
        status, _, _ = srv.http_get("kiosk", "/")
        assert status == 200
        status, _, body = srv.http_get("staff", "/healthz")
        assert status == 200 and body == b"ok\n"
        # a held connection closes: the address may connect again
        held.pop().close()
        srv.wait_metric(open_conns(srv, "socket"), 3)
        s = ws_held(srv, 2)
        srv.wait_metric(open_conns(srv, "socket"), 4)
        assert refused_metric(srv, "socket", "per_address_limit") == 300
        s.close()
        for h in held:
            h.close()
        stop_and_check_log(srv, "socket", "per-address limit", 300)
    finally:
        srv.cleanup()


def bound(source, host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.%d" % source, 0))
    s.connect((host, port))
    return s


def test_socket_total(args):
    srv = Server(args, config=CONFIG).start()
    try:
        held = [ws_held(srv, 2 + i // 4) for i in range(8)]   # .2 and .3
        srv.wait_metric(open_conns(srv, "socket"), 8)
        for i in range(200):
            assert closed_by_server(connect_from(srv, "socket", 4 + i % 4))
        assert refused_metric(srv, "socket", "total_limit") == 200
        assert refused_metric(srv, "socket", "per_address_limit") == 0
        status, _, _ = srv.http_get("kiosk", "/")
        assert status == 200
        held.pop().close()
        srv.wait_metric(open_conns(srv, "socket"), 7)

        async def converse():
            host, port = srv.hostport("socket")
            c = await Client.open("ws://%s:%d/" % (host, port), sock=bound(5, host, port))
            assert c.tenants
            await c.close()
        run(converse())
        for h in held:
            h.close()
        stop_and_check_log(srv, "socket", "total limit", 200)
    finally:
        srv.cleanup()


def test_kiosk_per_address_and_total(args):
    srv = Server(args, config=CONFIG).start()
    try:
        held = [connect_from(srv, "kiosk", 2) for _ in range(4)]
        srv.wait_metric(open_conns(srv, "kiosk"), 4)
        request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        for _ in range(200):
            assert closed_by_server(connect_from(srv, "kiosk", 2), request)
        assert refused_metric(srv, "kiosk", "per_address_limit") == 200
        # other addresses get the page; the staff address answers
        status, _, body = srv.http_get("kiosk", "/")
        assert status == 200 and b"<html" in body.lower()
        status, _, _ = srv.http_get("staff", "/healthz")
        assert status == 200
        # fill the total from .3, then .4 is refused for the total
        held += [connect_from(srv, "kiosk", 3) for _ in range(4)]
        srv.wait_metric(open_conns(srv, "kiosk"), 8)
        for _ in range(100):
            assert closed_by_server(connect_from(srv, "kiosk", 4), request)
        assert refused_metric(srv, "kiosk", "total_limit") == 100
        assert refused_metric(srv, "kiosk", "per_address_limit") == 200
        for h in held:
            h.close()
        srv.wait_metric(open_conns(srv, "kiosk"), 0)
        s = connect_from(srv, "kiosk", 4)
        s.sendall(request)
        assert s.recv(64).startswith(b"HTTP/1.1 200 ")
        s.close()
        srv.check_clean_exit(srv.stop())
        for limit, n in (("per-address limit", 200), ("total limit", 100)):
            lines, total = refusal_lines(srv, "kiosk", limit)
            assert 1 <= len(lines) <= 2 and total == n, (limit, lines)
        assert "libmicrohttpd" not in srv.stderr() and "reached connection limit" not in srv.stderr()
        for n in range(2, 6):
            assert "127.0.0.%d" % n not in srv.stderr()
    finally:
        srv.cleanup()


class Dribbler(threading.Thread):
    """Sends `head`, then one more byte of `tail` every 0.2 s until the
    server closes the connection (or WAIT passes); records whether it did."""

    def __init__(self, srv, source, head, tail):
        super().__init__(daemon=True)
        self.sock = connect_from(srv, "kiosk", source)
        self.head, self.tail = head, tail
        self.closed = False
        self.stop = threading.Event()

    def run(self):
        s = self.sock
        deadline = time.monotonic() + WAIT
        try:
            s.sendall(self.head)
            s.settimeout(0.2)
            i = 0
            while time.monotonic() < deadline and not self.stop.is_set():
                try:
                    if s.recv(4096) == b"":
                        self.closed = True
                        return
                except socket.timeout:
                    pass
                s.sendall(self.tail[i % len(self.tail):][:1])
                i += 1
        except (ConnectionResetError, BrokenPipeError):
            self.closed = True
        finally:
            s.close()


def test_slowloris(args):
    limits = dict(SMALL, http_connections=9, header_timeout=2, body_timeout=3)
    srv = Server(args, config={"limits": limits}).start()
    try:
        head = b"GET / HTTP/1.1\r\nHost: x\r\n"
        # four dribblers from one address: another address gets the page
        first = [Dribbler(srv, 2, head, b"X-a: b\r\n") for _ in range(4)]
        for d in first:
            d.start()
        srv.wait_metric(open_conns(srv, "kiosk"), 4)
        status, _, _ = srv.http_get("kiosk", "/")
        assert status == 200
        # four more from .3; one dribbles a body instead (one slot more than
        # the eight dribblers: the request above may still hold its slot for
        # a moment after its answer, and no dribbler may be refused)
        body_head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
        second = [Dribbler(srv, 3, head, b"X-a: b\r\n") for _ in range(3)]
        second.append(Dribbler(srv, 3, body_head, b"x"))
        for d in second:
            d.start()
        # however long they dribble, each is closed at its deadline
        for d in first + second:
            d.join(WAIT + 5)
            assert d.closed, "a dribbling client was never closed"
        # the client sees its connection closed a moment before the server's
        # completion callback counts it: wait for the counts, do not race them
        srv.wait_metric(open_conns(srv, "kiosk"), 0)
        srv.wait_metric('lotse_http_deadline_closed_total{listener="kiosk",phase="headers"}', 7)
        srv.wait_metric('lotse_http_deadline_closed_total{listener="kiosk",phase="body"}', 1)
        assert srv.metrics()['lotse_connections_refused_total{listener="kiosk",reason="total_limit"}'] == 0
        status, _, _ = srv.http_get("kiosk", "/")
        assert status == 200
        # the staff address's own requests were never cut
        assert srv.metrics()['lotse_http_deadline_closed_total{listener="staff",phase="headers"}'] == 0
        srv.check_clean_exit(srv.stop())
        lines = [l for l in srv.stderr().splitlines() if "did not arrive within" in l]
        assert 2 <= len(lines) <= 4, lines
    finally:
        srv.cleanup()


def test_file_limit(args):
    """With only 400 files allowed (hard limit), the totals are lowered so
    that connections are refused by the limits before files run out."""
    tmp = tempfile.mkdtemp(prefix="lotse-nofile-")
    wrapper = os.path.join(tmp, "lotse-400")
    with open(wrapper, "w") as f:   # dash: ulimit -n sets the soft and the hard limit
        f.write("#!/bin/sh\nulimit -n 400 || exit 99\nexec %s \"$@\"\n" % args.lotse)
    os.chmod(wrapper, 0o755)
    low = argparse.Namespace(**dict(vars(args), lotse=wrapper))
    srv = Server(low, config={"ping_interval": 3600}).start()
    try:
        # 400 - 128 kept = 272; HTTP gets a quarter each (68), the socket the rest
        srv.wait_stderr(r"lotse: warning: limits: the process may open only 400 files .*"
                        r"lowered socket_connections from 16000 to 136 and http_connections "
                        r"from 256 to 68, keeping 128 ")
        held = [ws_held(srv, 2 + i // 100) for i in range(136)]
        srv.wait_metric(open_conns(srv, "socket"), 136)
        for _ in range(50):
            assert closed_by_server(connect_from(srv, "socket", 5))
        m = srv.metrics()
        assert m['lotse_connections_refused_total{listener="socket",reason="total_limit"}'] == 50
        assert m['lotse_accept_errors_total{listener="socket"}'] == 0
        status, _, _ = srv.http_get("kiosk", "/")
        assert status == 200
        status, _, _ = srv.http_get("staff", "/healthz")
        assert status == 200
        for h in held:
            h.close()
        srv.check_clean_exit(srv.stop())
        assert "accept" not in srv.stderr() and "Too many open files" not in srv.stderr()
    finally:
        srv.cleanup()
        os.unlink(wrapper)
        os.rmdir(tmp)


if __name__ == "__main__":
    main([test_socket_per_address, test_socket_total, test_kiosk_per_address_and_total,
          test_slowloris, test_file_limit])
