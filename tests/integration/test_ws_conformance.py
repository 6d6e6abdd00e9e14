"""test_ws_conformance.py - our own WebSocket conformance suite for the
conversation socket, in the spirit of the Autobahn testsuite's cases 1-7 and
9: the opening handshake, framing, control frames, the closing handshake,
limits and big messages, with raw sockets against the real `lotse serve`.

Every case asserts the exact behaviour: a status line and its headers, a
close code, echoed bytes. Where Lotse or libwebsockets is right, the
expectation is RFC 6455. Where libwebsockets 4.1.6 deviates and Lotse
cannot fix it at its layer, the case asserts TODAY's behaviour and is
marked "DEVIATION (lws 4.1.6)" (also listed in docs/protocol.md, "What
holds"), so that a library upgrade shows up here as a failing case to look
at. Set WS_PROBE=1 to print what each case observed instead of asserting.

Standard library only; loopback only; every read has a socket timeout.
"""

import json
import os
import socket
import struct

from lotse_harness import Server, main
from ws_raw import Conn, TIMEOUT, accept_of, close_payload, frame, handshake, request

PROBE = os.environ.get("WS_PROBE") == "1"

TEXT, BINARY, CLOSE, PING, PONG, CONT = 0x1, 0x2, 0x8, 0x9, 0xA, 0x0
START = json.dumps({"type": "start", "tenant": "testamt", "lang": "en"}).encode()
TENANTS = b'{"type":"tenants"}'


def check(name, seen, expected):
    if PROBE:
        print("PROBE %-40s %r" % (name, seen), flush=True)
        return
    assert seen == expected, "%s: saw %r, expected %r" % (name, seen, expected)


def code_of(close):
    """A close frame's payload as (code, reason) (None: no close frame)."""
    if close is None:
        return None
    if len(close) < 2:
        return ("no code", close)
    return (struct.unpack("!H", close[:2])[0], close[2:])


def fresh(url):
    """An upgraded connection that has read the tenants greeting."""
    c = Conn(url)
    assert json.loads(c.text())["type"] == "tenants"
    return c


def after(url, data):
    """Sends data on a fresh connection; returns what follows: (types of the
    text messages, pong payloads, (close code, reason) or None)."""
    c = fresh(url)
    try:
        c.send(data)
        texts, pongs, close = c.outcome()
        return [json.loads(t)["type"] for t in texts], pongs, code_of(close)
    finally:
        c.close()


MARK = b'{"type":"forget"}'   # answered with "forgotten": the end of a case's answers


def answered(url, data):
    """Sends data and then the marker; reads until the marker's answer,
    then closes with 1000 and expects it echoed. Returns (types of the text
    messages before the marker, pong payloads, (close code, reason))."""
    c = fresh(url)
    try:
        c.send(data + frame(TEXT, MARK))
        types, pongs = [], []
        while True:
            fin, rsv, op, payload, masked = c.frame()
            assert (fin, rsv, masked) == (True, 0, False), (fin, rsv, op, masked)
            if op == PONG:
                pongs.append(payload)
                continue
            assert op == TEXT, (op, payload[:80])
            t = json.loads(payload)["type"]
            if t == "forgotten":
                break
            types.append(t)
        c.send(frame(CLOSE, close_payload(1000)))
        texts, more_pongs, close = c.outcome()
        assert texts == [] and more_pongs == [], (texts, more_pongs)
        return types, pongs, code_of(close)
    finally:
        c.close()


# ---- 1. the opening handshake ----

def test_handshake(args):
    with Server(args) as srv:
        url = srv.urls["socket"]
        kport = srv.hostport("kiosk")[1]

        def status(name, raw, expected, headers=()):
            st, h, body = handshake(url, raw)
            seen = (st, {k: h.get(k) for k in headers})
            check(name, seen, expected)
            return h, body

        # the reference: a right request is upgraded, with the right accept
        raw, key = request(url)
        st, h, _ = handshake(url, raw)
        check("handshake ok", (st, h.get("sec-websocket-accept"), h.get("sec-websocket-protocol")),
              ("HTTP/1.1 101 Switching Protocols", accept_of(key), None))
        # ... also with an allowed Origin
        raw, _ = request(url, extra=[("Origin", "http://127.0.0.1:%d" % kport)])
        status("origin allowed", raw, ("HTTP/1.1 101 Switching Protocols", {}))

        bad = ("HTTP/1.1 400 Bad Request", {"connection": "close"})
        upgrade_required = ("HTTP/1.1 426 Upgrade Required",
                            {"sec-websocket-version": "13", "connection": "close"})
        forbidden = ("HTTP/1.1 403 Forbidden", {"connection": "close"})
        forbidden_lws = ("HTTP/1.0 403 Forbidden", {"connection": None})
        hdrs = ("connection",)
        vhdrs = ("sec-websocket-version", "connection")
        # RFC 6455 4.1/4.2.1: the method must be GET, the version at least 1.1
        status("POST", request(url, method="POST")[0], bad, hdrs)
        status("HTTP/1.0", request(url, version="HTTP/1.0")[0], bad, hdrs)
        # 4.2.2/4.4: a version other than 13 (or none) gets 426 naming 13
        status("no version", request(url, ws_version=None)[0], upgrade_required, vhdrs)
        status("version 8", request(url, ws_version="8")[0], upgrade_required, vhdrs)
        status("version 14", request(url, ws_version="14")[0], upgrade_required, vhdrs)
        status("version 13x", request(url, ws_version="13x")[0], upgrade_required, vhdrs)
        # the key: 24 characters of base64 that decode to 16 bytes
        status("no key", request(url, key=None)[0], bad, hdrs)
        status("key short", request(url, key="dGhlIHNhbXBsZQ==")[0], bad, hdrs)
        status("key 17 bytes", request(url, key="AAAAAAAAAAAAAAAAAAAAAAA=")[0], bad, hdrs)
        status("key not base64", request(url, key="!!!!!!!!!!!!!!!!!!!!!!==")[0], bad, hdrs)
        status("key long", request(url, key="dGhlIHNhbXBsZSBub25jZQ==dGhl")[0], bad, hdrs)
        # Host, Upgrade and Connection: upgrade are required
        status("no Host", request(url, host=None)[0], bad, hdrs)
        status("no Upgrade", request(url, upgrade=None)[0], bad, hdrs)
        status("no Connection", request(url, connection=None)[0], bad, hdrs)
        status("Connection keep-alive", request(url, connection="keep-alive")[0], bad, hdrs)
        status("Upgrade h2c", request(url, upgrade="h2c")[0], bad, hdrs)
        # a plain HTTP request to the socket's address
        status("plain GET", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", bad, hdrs)
        # Origin: only the allow-list; never one with a control byte inside
        status("origin foreign", request(url, extra=[("Origin", "http://evil.example")])[0],
               forbidden, hdrs)
        nul = ("http://127.0.0.1:%d" % kport).encode() + b"\0.evil.example"
        status("origin with NUL", request(url, extra=[("Origin", nul)])[0], forbidden, hdrs)
        tab = ("http://127.0.0.1:%d" % kport).encode() + b"\x01"
        status("origin with ^A", request(url, extra=[("Origin", tab)])[0], forbidden, hdrs)
        # a sub-protocol: the socket has none; a clear 400 (see docs/protocol.md)
        h, body = status("sub-protocol", request(url, extra=[("Sec-WebSocket-Protocol", "chat")])[0],
                         ("HTTP/1.1 400 Bad Request",
                          {"connection": "close", "sec-websocket-protocol": None}),
                         ("connection", "sec-websocket-protocol"))
        check("sub-protocol body", b"sub-protocol" in body, True)
        status("sub-protocol lotse",
               request(url, extra=[("Sec-WebSocket-Protocol", "lotse")])[0], bad, hdrs)
        # DEVIATION (lws 4.1.6): an Upgrade lws does not know is answered by lws itself,
        # 403 with an HTTP/1.0 status line, before Lotse's check sees it (not counted)
        status("Upgrade foo", request(url, upgrade="foo")[0], forbidden_lws, ("connection",))
        # after all of that the server still upgrades a right request
        raw, key = request(url)
        check("handshake ok after", handshake(url, raw)[0], "HTTP/1.1 101 Switching Protocols")
        m = srv.metrics()
        check("metrics", (m['lotse_errors_total{code="bad_handshake"}'],
                          m['lotse_errors_total{code="origin_refused"}']), (19, 3))
        assert srv.proc.poll() is None


# ---- 2. framing (Autobahn 1-5) ----

def test_framing(args):
    with Server(args, config={"max_message": 4096}) as srv:
        url = srv.urls["socket"]
        proto_err = lambda why: ([], [], (1002, why))  # noqa: E731

        # 1.x: an empty text (not JSON: an error message) and a 218-byte one, each in one frame
        check("text 0 bytes", answered(url, frame(TEXT, b"")), (["error"], [], (1000, b"")))
        pad = b'{"type":"tenants"' + b" " * 200 + b"}"
        check("text 218 bytes", answered(url, frame(TEXT, pad)), (["tenants"], [], (1000, b"")))
        # 5.x: fragmented text, also with empty fragments
        check("fragmented", answered(url, frame(TEXT, START[:5], fin=False) + frame(CONT, b"", fin=False)
                                     + frame(CONT, START[5:])),
              (["step"], [], (1000, b"")))
        # 5.6: a ping between fragments is answered, the message completes
        check("ping inside fragments",
              answered(url, frame(TEXT, START[:5], fin=False) + frame(PING, b"mid")
                       + frame(CONT, START[5:])),
              (["step"], [b"mid"], (1000, b"")))
        # 5.x: continuation without a start, a new message inside a fragmented one
        check("continuation first", after(url, frame(CONT, b"{}")), proto_err(b"bad cont"))
        check("text inside fragments",
              after(url, frame(TEXT, b"{", fin=False) + frame(TEXT, b"}")), proto_err(b"bad cont"))
        # 3.x: reserved bits without an extension
        for rsv in (1, 2, 4, 7):
            check("rsv %d" % rsv, after(url, frame(TEXT, TENANTS, rsv=rsv)), proto_err(b"rsv bits"))
        # 4.x: reserved opcodes
        for op in (3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF):
            check("opcode %#x" % op, after(url, frame(op, b"x")), proto_err(b"bad opc"))
        # binary: ours is a text protocol (docs/protocol.md)
        check("binary", after(url, frame(BINARY, TENANTS)), ([], [], (1003, b"text frames only")))
        # 6.x: invalid UTF-8, in one frame, split across fragments, cut at the end
        inval = ([], [], (1007, b"bad utf8"))
        check("utf8 invalid", after(url, frame(TEXT, b'"\xce\xba\xe1\xbd\xb9\xed\xa0\x80"')), inval)
        check("utf8 split invalid",
              after(url, frame(TEXT, b'"\xce', fin=False) + frame(CONT, b'\x41"')), inval)
        check("utf8 split valid",
              answered(url, frame(TEXT, b'"\xce', fin=False) + frame(CONT, b'\xba"')),
              (["error"], [], (1000, b"")))
        check("utf8 cut at the end", after(url, frame(TEXT, b'"\xe1\xbd')),
              ([], [], (1007, b"partial utf8")))
        # 9.x at our size limit (max_message 4096): exactly at it answered, one more 1009
        at = b'{"type":"tenants"' + b" " * (4096 - 18) + b"}"
        assert len(at) == 4096
        check("at max_message", answered(url, frame(TEXT, at)), (["tenants"], [], (1000, b"")))
        check("max_message + 1", after(url, frame(TEXT, at + b" ")),
              ([], [], (1009, b"message too big")))
        check("max_message + 1 fragmented",
              after(url, frame(TEXT, at[:2000], fin=False) + frame(CONT, at[2000:] + b" ")),
              ([], [], (1009, b"message too big")))
        # a frame claiming 2^62 bytes: refused from its header, nothing is read
        check("huge length", after(url, frame(TEXT, b"", length=1 << 62, mask=False) + b"{}"),
              ([], [], (1009, b"message too big")))
        # DEVIATION (lws 4.1.6): unmasked client frames are accepted (RFC 6455 5.1: MUST close)
        check("unmasked", answered(url, frame(TEXT, TENANTS, mask=False)),
              (["tenants"], [], (1000, b"")))
        assert srv.proc.poll() is None


# ---- 3. control frames (Autobahn 2) ----

def test_control(args):
    with Server(args) as srv:
        url = srv.urls["socket"]
        check("ping empty", answered(url, frame(PING, b"")), ([], [b""], (1000, b"")))
        p125 = bytes(range(125))
        check("ping 125", answered(url, frame(PING, p125)), ([], [p125], (1000, b"")))
        check("ping binary payload", answered(url, frame(PING, b"\x00\xff\xfe")),
              ([], [b"\x00\xff\xfe"], (1000, b"")))
        # an unsolicited pong is ignored
        check("pong unsolicited", answered(url, frame(PONG, b"x")), ([], [], (1000, b"")))
        # a fragmented control frame
        check("ping not final", after(url, frame(PING, b"x", fin=False)),
              ([], [], (1002, b"frag ctl")))
        # DEVIATION (lws 4.1.6): a ping of 126 bytes ends the connection without a close
        # frame (RFC 6455 5.5: control frames are <= 125 bytes; Autobahn 2.5 wants 1002)
        check("ping 126", after(url, frame(PING, bytes(126))), ([], [], None))
        # DEVIATION (lws 4.1.6): of several pings in one read only the first is answered
        # (Autobahn 2.10/2.11 want each answered, or at least the last)
        three = frame(PING, b"a") + frame(PING, b"b") + frame(PING, b"c")
        check("three pings", answered(url, three), ([], [b"a"], (1000, b"")))
        assert srv.proc.poll() is None


# ---- 4. the closing handshake (Autobahn 7) ----

def test_close(args):
    with Server(args) as srv:
        url = srv.urls["socket"]
        # valid codes are echoed, with their reason
        for code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999):
            check("close %d" % code, after(url, frame(CLOSE, close_payload(code, b"bye"))),
                  ([], [], (code, b"bye")))
        check("close empty", after(url, frame(CLOSE, b"")), ([], [], ("no code", b"")))
        reason = "é".encode() * 60 + b"xyz"
        assert len(reason) == 123
        check("close reason 123", after(url, frame(CLOSE, close_payload(1000, reason))),
              ([], [], (1000, reason)))
        # invalid codes: 1002
        for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535):
            check("close %d" % code, after(url, frame(CLOSE, close_payload(code))),
                  ([], [], (1002, b"")))
        # a 1-byte close payload: 1002
        check("close 1 byte", after(url, frame(CLOSE, b"\x03")),
              ([], [], (1002, b"")))
        # DEVIATION (lws 4.1.6): a reason that is not UTF-8 ends the connection
        # without a close frame (RFC 6455 8.1/7.1.7: fail with 1007)
        check("close bad utf8", after(url, frame(CLOSE, close_payload(1000, b"\xff\xfe"))),
              ([], [], None))
        # after the close, nothing more is read: a text behind it gets no answer
        check("text after close", after(url, frame(CLOSE, close_payload(1000)) + frame(TEXT, TENANTS)),
              ([], [], (1000, b"")))
        assert srv.proc.poll() is None


# ---- 5. limits and big messages (Autobahn 9) ----

def test_big(args):
    limit = 32 * 1024   # the largest max_message the configuration allows (util/budget.h)
    with Server(args, config={"max_message": limit}) as srv:
        url = srv.urls["socket"]
        for size in (4 * 1024, 16 * 1024, limit):
            msg = b'{"type":"tenants"' + b" " * (size - 18) + b"}"
            check("text %d" % size, answered(url, frame(TEXT, msg)),
                  (["tenants"], [], (1000, b"")))
            # the same in fragments of 1 KiB (9.3/9.4 style)
            parts = [msg[i:i + 1024] for i in range(0, size, 1024)]
            data = frame(TEXT, parts[0], fin=False) + b"".join(
                frame(CONT, p, fin=(i == len(parts) - 1)) for i, p in enumerate(parts[1:], 1))
            check("text %d in 1 KiB" % size, answered(url, data),
                  (["tenants"], [], (1000, b"")))
        over = b'{"type":"tenants"' + b" " * (limit - 17) + b"}"
        check("text limit+1", after(url, frame(TEXT, over)), ([], [], (1009, b"message too big")))
        assert srv.proc.poll() is None


def test_slow_reader(args):
    """A client that sends faster than it reads: the server answers while it
    can; above half of its send queue it stops reading that client (back-
    pressure, docs/protocol.md) instead of closing it, so the sender's own
    writes stall once the loopback buffers are full. Nothing is closed with
    1008, and the server keeps serving others. (test_net_budget.py checks
    that a fast sender that reads gets every answer.)"""
    with Server(args) as srv:
        url = srv.urls["socket"]
        c = Conn(url)
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        n = 0
        batch = frame(TEXT, TENANTS) * 200
        stalled = None
        # send without reading until the server stops taking requests
        c.sock.settimeout(5.0)
        try:
            while n < 200 * 400:
                c.sock.sendall(batch)
                n += 200
        except (socket.timeout, ConnectionResetError, BrokenPipeError) as e:
            stalled = type(e).__name__
        c.sock.settimeout(TIMEOUT)
        texts, pongs, close = c.outcome()
        c.close()
        # loopback buffers may absorb all it sends (then nothing stalls);
        # either way it is never closed with 1008 and it got answers
        check("slow reader", (stalled in (None, "timeout", "TimeoutError"), len(texts) > 0, pongs,
                              code_of(close)), (True, True, [], None))
        # another client is served meanwhile
        check("other client", answered(url, frame(TEXT, TENANTS)), (["tenants"], [], (1000, b"")))
        assert srv.proc.poll() is None


if __name__ == "__main__":
    main([test_handshake, test_framing, test_control, test_close, test_big, test_slow_reader])
