"""test_net_budget.py - one size budget for content and frames (issue 10,
finding 7; util/budget.h, docs/protocol.md "Sizes"): a flow whose step
would not fit the largest message is refused by the staff API (422, with
file:line:col naming the text and the limit) and the kiosk keeps serving;
a catalogue whose translation would not fit fails the reload and the old
content keeps serving. A client that sends faster than it reads, but reads,
gets every answer (the socket stops reading it while its queue is full
instead of closing it with 1008); one that never reads is hung up by the
keepalive, and the others are served meanwhile.
"""

import json
import os
import re
import struct
import subprocess
import threading

from lotse_harness import WAIT, Client, RawClient, Server, close_code, main, run
from staff_harness import Staff, staff_server

OLD_Q = "Für wen suchen Sie ein Angebot?"
LIMIT = 192 * 1024   # BUDGET_CONTENT_MAX


def test_staff_refuses_flow_too_big_to_send(args):
    async def body(srv):
        s = Staff(srv)
        s.login("anna")
        live = await Client.open(srv.urls["socket"])
        step = await live.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == OLD_Q
        base = s.flow()
        # 608 KB of '"': under the 1 MiB file limit, 1.2 MB as JSON
        big = base["yaml"].replace("    ask: " + OLD_Q, "    ask: '" + '"' * (608 * 1024) + "'")
        assert len(big.encode()) < 1024 * 1024
        for path, method in (("/api/flows/testamt/main/check", s.post),
                             ("/api/flows/testamt/main/preview", s.post)):
            status, _, got = method(path, {"yaml": big})
            assert status == 422 and got["error"] == "invalid", (path, status, got)
            errs = [(e["file"], e["line"], e["col"]) for e in got["errors"]]
            assert errs == [("flows/testamt/main.yaml", 6, 10)], got
            msg = got["errors"][0]["message"]
            assert re.fullmatch(
                r'step "who" is too big to send: its content takes \d+ bytes as JSON, more than '
                r'the limit of %d bytes per message; its longest text "%s\.\.\." takes %d'
                % (LIMIT, '"' * 24, 2 * 608 * 1024 + 2), msg), msg
        status, _, got = s.put("/api/flows/testamt/main",
                               {"yaml": big, "message": "zu groß",
                                "base_revision": base["revision"], "base_hash": base["hash"]})
        assert status == 422 and got["errors"][0]["line"] == 6, (status, got)
        # nothing changed; the running conversation and new ones go on
        assert s.flow()["yaml"] == base["yaml"]
        assert srv.metrics()["lotse_content_generation"] == 1
        step = await live.call({"type": "choose", "choice": "child"}, "step")
        assert step["node"] == "child_age", step
        other = await Client.open(srv.urls["socket"])
        step = await other.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == OLD_Q
        assert srv.metrics()['lotse_errors_total{code="internal"}'] == 0
        await live.close()
        await other.close()

    with staff_server(args) as srv:
        run(body(srv))


def test_reload_refuses_translation_too_big_to_send(args):
    async def body(srv):
        conv = await Client.open(srv.urls["socket"])
        step = await conv.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        assert step["text"] == "Who are you looking for an offer for?"
        po = os.path.join(srv.tmp, "po-big")
        os.makedirs(po)
        src = os.path.join(args.source, "tests/data/net/po")
        for name in os.listdir(src):
            with open(os.path.join(src, name), encoding="utf-8") as f:
                text = f.read()
            if name == "en.po":
                text = text.replace('msgstr "Who are you looking for an offer for?"',
                                    'msgstr "%s"' % ('\\"' * (LIMIT // 2)))
            with open(os.path.join(po, name), "w", encoding="utf-8") as f:
                f.write(text)
        subprocess.run(["msgfmt", "--check", "-o", os.path.join(srv.mo_dir, "en.mo"),
                        os.path.join(po, "en.po")], check=True)
        srv.reload()
        srv.wait_metric('lotse_reloads_total{result="failed"}', 1)
        line = srv.wait_stderr(r'main\.yaml:6:10: step "who" is too big to send in "en".*').group(0)
        assert "more than the limit of %d bytes per message" % LIMIT in line, line
        # the old content keeps serving, in English too
        step = await conv.call({"type": "restart"}, "step")
        assert step["text"] == "Who are you looking for an offer for?", step
        assert srv.metrics()["lotse_content_generation"] == 1
        await conv.close()

    with staff_server(args) as srv:
        run(body(srv))


ASKS = 3000


def ask_frames(n):
    """n masked text frames {"type":"ask","text":"Deutsch"} in one buffer."""
    payload = json.dumps({"type": "ask", "text": "Deutsch"}).encode()
    mask = b"\x01\x02\x03\x04"
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return (struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + masked) * n


def started(srv):
    c = RawClient(srv.urls["socket"])
    assert c.upgraded, c.status_line
    assert c.recv_json()["type"] == "tenants"
    c.send_text(json.dumps({"type": "start", "tenant": "testamt"}))
    assert c.recv_json()["type"] == "step"
    return c


def test_fast_sender_that_reads_is_served(args):
    for loop in ("libev", "poll"):
        fast_sender(args, loop)


def fast_sender(args, loop):
    with Server(args, config={"event_loop": loop}) as srv:
        c = started(srv)
        got = {"answers": 0, "bytes": 0, "other": []}

        def reader():
            try:
                while got["answers"] < ASKS:
                    op, data = c.recv_frame()
                    if op == 0x1 and json.loads(data)["type"] == "answer":
                        got["answers"] += 1
                        got["bytes"] += len(data)
                    else:
                        got["other"].append((op, close_code(data) if op == 0x8 else data[:80]))
                        if op == 0x8:
                            return
            except (EOFError, OSError) as e:
                got["other"].append(repr(e))

        t = threading.Thread(target=reader)
        t.start()
        c.sock.sendall(ask_frames(ASKS))   # all at once: far more than one read of the server
        t.join(WAIT * 4)
        assert not t.is_alive()
        assert got["other"] == [] and got["answers"] == ASKS, got
        assert got["bytes"] > 1024 * 1024, got   # more than the send queue holds
        m = srv.metrics()
        assert m['lotse_turns_total{lang="de"}'] == ASKS + 1, m
        assert m["lotse_connections_open"] == 1
        assert "does not read its messages" not in srv.stderr(), srv.stderr()
        c.close()


def test_client_that_never_reads_is_hung_up(args):
    with Server(args, config={"ping_interval": 1, "ping_timeout": 1}) as srv:
        deaf = started(srv)
        deaf.sock.sendall(ask_frames(ASKS))   # and never reads again
        srv.wait_metric("lotse_connections_open", 0)
        # by the keepalive, not by an overfull queue (never more than it holds)
        assert "does not read its messages" not in srv.stderr(), srv.stderr()
        # others are served all along
        other = started(srv)
        other.send_text(json.dumps({"type": "ask", "text": "Deutsch"}))
        assert other.recv_json()["type"] == "answer"
        other.close()
        deaf.close()


if __name__ == "__main__":
    main([test_staff_refuses_flow_too_big_to_send,
          test_reload_refuses_translation_too_big_to_send,
          test_fast_sender_that_reads_is_served, test_client_that_never_reads_is_hung_up])
