"""ws_raw.py - raw-socket helpers for test_ws_conformance.py: hand-made
handshakes and frames (any opcode, reserved bits, masked or not), and
readers that tell a close frame from a connection that just ends.

Standard library only. Every read is bounded by the socket's timeout.
"""

import base64
import hashlib
import os
import socket
import struct
import urllib.parse

TIMEOUT = 20.0  # upper bound for any single read (never a speed test)
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_of(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def new_key():
    return base64.b64encode(os.urandom(16)).decode()


def request(url, method="GET", version="HTTP/1.1", host=True, upgrade="websocket",
            connection="Upgrade", key=True, ws_version="13", extra=()):
    """Builds handshake request bytes. Pass None to leave a header out,
    key=True for a fresh valid key, or a str/bytes for an exact value.
    extra: (name, value) pairs, values as str or bytes."""
    u = urllib.parse.urlsplit(url)
    if key is True:
        key = new_key()
    lines = [("%s %s %s" % (method, u.path or "/", version)).encode()]

    def add(name, value):
        if value is None:
            return
        if isinstance(value, str):
            value = value.encode("latin-1")
        lines.append(name.encode() + b": " + value)

    add("Host", "%s:%d" % (u.hostname, u.port) if host is True else host)
    add("Upgrade", upgrade)
    add("Connection", connection)
    add("Sec-WebSocket-Key", key)
    add("Sec-WebSocket-Version", ws_version)
    for name, value in extra:
        add(name, value)
    return b"\r\n".join(lines) + b"\r\n\r\n", key


def connect(url):
    u = urllib.parse.urlsplit(url)
    return socket.create_connection((u.hostname, u.port), timeout=TIMEOUT)


def read_head(sock):
    """Reads an HTTP response head. Returns (status_line, headers, body_start)
    with headers as a dict of lower-case names, or (None, {}, b"") when the
    server closed the connection without answering."""
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(4096)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            break
        data += chunk
    if b"\r\n\r\n" not in data:
        assert data == b"", "a partial answer: %r" % data
        return None, {}, b""
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers, rest


def read_to_eof(sock, already=b""):
    """Reads until the server closes the connection; returns all bytes."""
    data = already
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def handshake(url, raw):
    """Sends raw request bytes. Returns (status_line, headers, body) where
    body is what followed the head up to the end of the connection (for a
    refusal), or (None, {}, b"") if the server just closed."""
    with connect(url) as s:
        s.sendall(raw)
        status, headers, rest = read_head(s)
        if status is None or " 101 " in status:
            return status, headers, rest
        return status, headers, read_to_eof(s, rest)


def frame(opcode, payload=b"", fin=True, rsv=0, mask=True, length=None):
    """One frame as bytes. rsv: the three reserved bits (0-7); length: a
    length field to claim instead of len(payload)."""
    b0 = (0x80 if fin else 0) | (rsv & 7) << 4 | opcode
    n = len(payload) if length is None else length
    mbit = 0x80 if mask else 0
    if n < 126:
        hdr = struct.pack("!BB", b0, mbit | n)
    elif n < 65536:
        hdr = struct.pack("!BBH", b0, mbit | 126, n)
    else:
        hdr = struct.pack("!BBQ", b0, mbit | 127, n)
    if not mask:
        return hdr + payload
    key = os.urandom(4)
    return hdr + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


class Conn:
    """An upgraded connection: send bytes, read frames."""

    def __init__(self, url, extra=()):
        self.sock = connect(url)
        raw, key = request(url, extra=extra)
        self.sock.sendall(raw)
        status, headers, self.buf = read_head(self.sock)
        assert status is not None and " 101 " in status, status
        assert headers.get("sec-websocket-accept") == accept_of(key), headers

    def send(self, data):
        self.sock.sendall(data)

    def _read(self, n):
        while len(self.buf) < n:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise EOFError("the connection ended")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def frame(self):
        """(fin, rsv, opcode, payload, masked) of the next frame."""
        b0, b1 = self._read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read(8))[0]
        masked = bool(b1 & 0x80)
        key = self._read(4) if masked else b"\0\0\0\0"
        data = bytes(b ^ key[i % 4] for i, b in enumerate(self._read(n)))
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, data, masked

    def text(self):
        """The next frame, which must be a whole text frame; its payload."""
        fin, rsv, op, data, masked = self.frame()
        assert (fin, rsv, op, masked) == (True, 0, 0x1, False), (fin, rsv, op, data[:80])
        return data.decode("utf-8")

    def outcome(self):
        """Reads what the server sends until the connection ends. Returns
        (texts, pongs, close) where close is the close frame's payload or
        None when the connection ended without one."""
        texts, pongs = [], []
        while True:
            try:
                fin, rsv, op, data, masked = self.frame()
            except EOFError:
                return texts, pongs, None
            assert not masked and rsv == 0 and fin, (fin, rsv, op, masked)
            if op == 0x1:
                texts.append(data.decode("utf-8"))
            elif op == 0xA:
                pongs.append(data)
            elif op == 0x8:
                assert self.buf == b"", "bytes after the close frame: %r" % self.buf[:40]
                # answer the server's close (RFC 6455 5.5.1), or lws waits 5 s
                # for it; if the close was the echo of ours, the server has
                # already ended the connection and this is lost
                try:
                    self.send(frame(0x8, data[:2]))
                except OSError:
                    pass
                self.eof_after_close()
                return texts, pongs, data
            else:
                raise AssertionError("unexpected opcode %#x" % op)

    def eof_after_close(self):
        """After a close frame the server ends the TCP connection."""
        try:
            rest = self.sock.recv(4096)
        except ConnectionResetError:
            rest = b""
        assert rest == b"", "data after the close frame: %r" % rest[:40]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
