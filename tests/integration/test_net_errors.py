"""test_net_errors.py - bad input over a real socket never crashes or wedges
`lotse serve`: every bad message gets an error frame in the session's
language and the conversation stays usable; oversize messages close with
1009, binary frames with 1003, invalid UTF-8 with 1007; a foreign Origin is
refused at the handshake; a client that never answers PINGs is dropped.
"""

import asyncio
import json
import time

import websockets

from lotse_harness import WAIT, Client, RawClient, Server, close_code, main, run, token_id

ERR_DE = {
    "bad_json": "Die Nachricht konnte nicht gelesen werden.",
    "unknown_type": "Diese Art von Nachricht kennen wir nicht.",
    "missing_field": "In der Nachricht fehlt eine Angabe oder sie hat die falsche Form.",
    "no_session": "Bitte beginnen Sie zuerst ein Gespräch.",
}


def test_bad_messages(args):
    async def body(url):
        c = await Client.open(url)
        # before any conversation: errors in the default office's language
        for raw, code in [("{nope", "bad_json"), ("", "bad_json"), ("[1,2]", "bad_json"),
                          ('"start"', "bad_json"), ('{"type":"start","type":"back"}', "bad_json"),
                          ('{"type":"ask","text":"a\\u0000b"}', "bad_json"),
                          ('{"type":"dance"}', "unknown_type"), ("{}", "missing_field"),
                          ('{"type":5}', "missing_field"),
                          ('{"type":"choose"}', "missing_field"),
                          ('{"type":"choose","choice":1}', "missing_field"),
                          ('{"type":"choose","choice":"child"}', "no_session"),
                          ('{"type":"back"}', "no_session"), ('{"type":"restart"}', "no_session"),
                          ('{"type":"language","lang":"en"}', "no_session"),
                          ('{"type":"ask","text":"kurs"}', "no_session")]:
            e = await c.call(raw, "error")
            assert e == {"type": "error", "code": code, "message": ERR_DE[code]}, (raw, e)

        # unknown office: the message is in the language asked for, if known
        e = await c.call({"type": "start", "tenant": "nope", "lang": "ar"}, "error")
        assert e == {"type": "error", "code": "unknown_tenant",
                     "message": "مكتب التعليم هذا غير موجود هنا."}, e
        e = await c.call({"type": "start", "tenant": "testamt", "lang": "fa"}, "error")
        assert e["code"] == "unknown_language", e
        e = await c.call({"type": "start", "tenant": "testamt", "lang": "xx-very-long"}, "error")
        assert e["code"] == "unknown_language", e

        s = await c.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        # in a conversation: errors in its language, and it goes on
        e = await c.call("{nope", "error")
        assert e == {"type": "error", "code": "bad_json",
                     "message": "The message could not be read."}
        e = await c.call({"type": "choose", "choice": "dragon"}, "error")
        assert e == {"type": "error", "code": "unknown_choice",
                     "message": "This answer does not exist here."}
        e = await c.call({"type": "language", "lang": "fa"}, "error")
        assert e == {"type": "error", "code": "unknown_language",
                     "message": "This language is not available here."}
        e = await c.call({"type": "language", "lang": "xx"}, "error")
        assert e["code"] == "unknown_language"
        e = await c.call({"type": "back"}, "error")
        assert e == {"type": "error", "code": "cannot_back",
                     "message": "You are already at the beginning."}
        e = await c.call({"type": "dance"}, "error")
        assert e["message"] == "We do not know this kind of message."
        e = await c.call({"type": "start", "tenant": "nope"}, "error")
        assert e == {"type": "error", "code": "unknown_tenant",
                     "message": "This education office does not exist here."}
        # a failed start keeps the running conversation
        s2 = await c.call({"type": "choose", "choice": "child"}, "step")
        assert (s2["node"], token_id(s2["token"]), s2["lang"]) == ("child_age", token_id(s["token"]), "en")
        # unknown fields are ignored
        s2 = await c.call({"type": "back", "why": [1, {"x": None}]}, "step")
        assert s2["node"] == "who"
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"]))
        m = srv.metrics()
        assert m['lotse_errors_total{code="bad_json"}'] == 7, m
        assert m['lotse_errors_total{code="no_session"}'] == 5, m
        assert m['lotse_errors_total{code="unknown_choice"}'] == 1, m
        assert srv.proc.poll() is None


def test_message_size(args):
    async def body(url):
        c = await Client.open(url)
        await c.call({"type": "start"}, "step")
        # exactly at the cap (1024 bytes): accepted
        msg = json.dumps({"type": "ask", "text": "kurs"})
        msg = msg[:-1] + " " * (1024 - len(msg)) + "}"
        assert len(msg.encode()) == 1024
        a = await c.call(msg, "answer")
        assert a["query"] == "kurs"
        # one byte more: closed with 1009
        await c.send(msg[:-1] + " }")
        try:
            await c.recv()
            raise AssertionError("an oversize message was answered")
        except websockets.exceptions.ConnectionClosed as e:
            assert e.rcvd is not None and e.rcvd.code == 1009, e

    def fragments(url):
        # a message in three fragments is reassembled ...
        r = RawClient(url)
        assert r.recv_json()["type"] == "tenants"
        text = json.dumps({"type": "start", "tenant": "testamt", "lang": "en"}).encode()
        r.send_frame(0x1, text[:10], fin=False)
        r.send_frame(0x0, text[10:20], fin=False)
        r.send_frame(0x0, text[20:], fin=True)
        s = r.recv_json()
        assert (s["type"], s["lang"]) == ("step", "en"), s
        # ... and fragments adding up to more than the cap are refused
        r.send_frame(0x1, b"[" + b" " * 599, fin=False)
        r.send_frame(0x0, b" " * 600, fin=False)
        op, data = r.recv_frame()
        assert op == 0x8 and close_code(data) == 1009, (op, data)
        r.close()

    with Server(args, config={"max_message": 1024}) as srv:
        run(body(srv.urls["socket"]))
        fragments(srv.urls["socket"])
        assert srv.metrics()['lotse_errors_total{code="message_too_big"}'] == 2


def test_binary_and_utf8(args):
    def body(url):
        r = RawClient(url)
        assert r.recv_json()["type"] == "tenants"
        r.send_frame(0x2, b'{"type":"start"}')
        op, data = r.recv_frame()
        assert op == 0x8 and close_code(data) == 1003, (op, data)
        r.close()
        r = RawClient(url)
        assert r.recv_json()["type"] == "tenants"
        r.send_frame(0x1, b'{"type":"ask","text":"\xff\xfe"}')
        op, data = r.recv_frame()
        assert op == 0x8 and close_code(data) == 1007, (op, data)
        r.close()

    async def still_fine(url):
        c = await Client.open(url)
        s = await c.call({"type": "start"}, "step")
        assert s["node"] == "who"
        await c.close()

    with Server(args) as srv:
        body(srv.urls["socket"])
        run(still_fine(srv.urls["socket"]))
        assert srv.metrics()['lotse_errors_total{code="binary_frame"}'] == 1


def refused(url, origin):
    async def go():
        try:
            ws = await websockets.connect(url, origin=origin)
        except websockets.exceptions.InvalidHandshake:
            return True
        await ws.close()
        return False
    return run(go())


def test_origin(args):
    with Server(args) as srv:
        url = srv.urls["socket"]
        kport = srv.hostport("kiosk")[1]
        assert refused(url, "http://evil.example")
        assert refused(url, "http://127.0.0.1:%d" % (kport + 1 if kport < 65535 else kport - 1))
        assert refused(url, "null")
        assert not refused(url, "http://127.0.0.1:%d" % kport)
        assert not refused(url, "http://localhost:%d" % kport)
        assert not refused(url, None)      # no Origin header: not a browser
        raw = RawClient(url, origin="https://evil.example")
        assert not raw.upgraded, raw.status_line
        raw.close()
        assert srv.metrics()['lotse_errors_total{code="origin_refused"}'] == 4
    # a configured allow-list replaces the page's own origins
    with Server(args, config={"origins": ["https://kiosk.example.org"]}) as srv:
        url = srv.urls["socket"]
        kport = srv.hostport("kiosk")[1]
        assert not refused(url, "https://kiosk.example.org")
        assert refused(url, "http://127.0.0.1:%d" % kport)


def test_keepalive(args):
    def silent(url):
        r = RawClient(url)
        assert r.recv_json()["type"] == "tenants"
        pinged = False
        deadline = time.monotonic() + WAIT
        try:
            while time.monotonic() < deadline:
                op, _ = r.recv_frame()          # never answered
                if op == 0x9:
                    pinged = True
                if op == 0x8:
                    break
            else:
                raise AssertionError("a silent client was not dropped")
        except (EOFError, ConnectionResetError):
            pass
        r.close()
        assert pinged

    async def polite(url):
        # the library answers PINGs: the connection outlives the hangup time
        c = await Client.open(url, ping_interval=None)
        await asyncio.sleep(6)
        s = await c.call({"type": "start"}, "step")
        assert s["node"] == "who"
        await c.close()

    with Server(args, config={"ping_interval": 1, "ping_timeout": 2}) as srv:
        silent(srv.urls["socket"])
        run(polite(srv.urls["socket"]))
        srv.wait_metric("lotse_connections_open", 0)


if __name__ == "__main__":
    main([test_bad_messages, test_message_size, test_binary_and_utf8, test_origin,
          test_keepalive])
