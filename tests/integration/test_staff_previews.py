"""test_staff_previews.py - staff previews cannot pin memory (issue 10,
finding 6): previews of the same draft share one snapshot, an account keeps
at most `preview_per_account` preview tokens (its oldest is dropped, and the
conversations on it end), the table at most `preview_max` (then 429), and a
detached preview conversation waits only `preview_resume_window` seconds.
Counts come from /metrics (lotse_preview_snapshots, lotse_preview_sessions);
memory per preview is measured in bench/ (docs/benchmarks.md).
"""

from lotse_harness import Client, main, run, token_id
from staff_harness import Staff, staff_server

OLD_Q = "Für wen suchen Sie ein Angebot?"
PER_ACCOUNT = 4
TOTAL = 6
N = 24   # previews started, well above both caps


def draft(base, i):
    return base.replace(OLD_Q, "Frage Nummer %d?" % i)


def counts(srv):
    m = srv.metrics()
    return m["lotse_preview_snapshots"], m["lotse_preview_sessions"]


def test_caps_and_retirement(args):
    async def body(srv, origin):
        anna, bert, vera = Staff(srv), Staff(srv), Staff(srv)
        anna.login("anna")
        bert.login("bert")
        vera.login("vera")
        base = anna.flow()["yaml"]
        assert counts(srv) == (0, 0)
        tokens = []
        for i in range(N):   # each: a preview, a conversation on it, the page goes away
            status, _, got = anna.post("/api/flows/testamt/main/preview", {"yaml": draft(base, i)})
            assert status == 201, (i, got)
            tokens.append(got["preview"])
            conv = await Client.open(srv.urls["socket"], origin=origin)
            step = await conv.call({"type": "start", "tenant": "testamt",
                                    "preview": got["preview"]}, "step")
            assert step["text"] == "Frage Nummer %d?" % i, step
            await conv.close()
        # only the account's newest PER_ACCOUNT previews live, each with its one conversation
        assert counts(srv) == (PER_ACCOUNT, PER_ACCOUNT), srv.metrics()
        probe = await Client.open(srv.urls["socket"], origin=origin)
        for i, token in enumerate(tokens):
            got = await probe.call({"type": "start", "tenant": "testamt", "preview": token})
            if i < N - PER_ACCOUNT:
                assert got["type"] == "error" and got["code"] == "bad_token", (i, got)
            else:
                assert got["type"] == "step" and got["text"] == "Frage Nummer %d?" % i, (i, got)
        await probe.close()
        # a second account fills the table up to TOTAL, then drops its own oldest
        bert_tokens = []
        for i in range(N, N + 4):
            status, _, got = bert.post("/api/flows/testamt/main/preview", {"yaml": draft(base, i)})
            assert status == 201, (i, got)
            bert_tokens.append(got["preview"])
        assert srv.metrics()["lotse_preview_snapshots"] == TOTAL, srv.metrics()
        # a third account finds the table full of other accounts' previews: 429, nothing kept
        status, _, got = vera.post("/api/flows/testamt/main/preview", {"yaml": draft(base, 99)})
        assert status == 429 and got["error"] == "too_many_previews", (status, got)
        assert srv.metrics()["lotse_preview_snapshots"] == TOTAL, srv.metrics()
        c = await Client.open(srv.urls["socket"], origin=origin)
        live = [t for t in bert_tokens[-(TOTAL - PER_ACCOUNT):]]
        for t in bert_tokens:
            got = await c.call({"type": "start", "tenant": "testamt", "preview": t})
            assert got["type"] == ("step" if t in live else "error"), (t in live, got)
        await c.close()

    with staff_server(args, config={"preview_per_account": PER_ACCOUNT, "preview_max": TOTAL,
                                    "preview_resume_window": 3600}) as srv:
        run(body(srv, srv.urls["kiosk"].rstrip("/")))


def test_shared_snapshot(args):
    async def body(srv, origin):
        anna, vera = Staff(srv), Staff(srv)
        anna.login("anna")
        vera.login("vera")
        base = anna.flow()["yaml"]
        same = draft(base, 1)
        tokens = []
        for s in (anna, anna, vera):   # the same draft three times, by two accounts
            status, _, got = s.post("/api/flows/testamt/main/preview", {"yaml": same})
            assert status == 201, got
            tokens.append(got["preview"])
        assert len(set(tokens)) == 3
        convs = []
        for t in tokens + tokens:   # two conversations on each token
            conv = await Client.open(srv.urls["socket"], origin=origin)
            step = await conv.call({"type": "start", "tenant": "testamt", "preview": t}, "step")
            assert step["text"] == "Frage Nummer 1?", step
            convs.append(conv)
        assert counts(srv) == (1, 6), srv.metrics()
        # another draft is another snapshot
        status, _, got = anna.post("/api/flows/testamt/main/preview", {"yaml": draft(base, 2)})
        assert status == 201 and srv.metrics()["lotse_preview_snapshots"] == 2
        for conv in convs:
            await conv.close()

    with staff_server(args, config={"preview_resume_window": 3600}) as srv:
        run(body(srv, srv.urls["kiosk"].rstrip("/")))


def test_attached_conversation_ends_with_its_preview(args):
    async def body(srv, origin):
        anna = Staff(srv)
        anna.login("anna")
        base = anna.flow()["yaml"]
        _, _, got = anna.post("/api/flows/testamt/main/preview", {"yaml": draft(base, 0)})
        conv = await Client.open(srv.urls["socket"], origin=origin)
        step = await conv.call({"type": "start", "tenant": "testamt", "preview": got["preview"]},
                               "step")
        assert step["text"] == "Frage Nummer 0?"
        _, _, got = anna.post("/api/flows/testamt/main/preview", {"yaml": draft(base, 1)})
        # the first preview was dropped (cap 1); the page still holds its conversation
        assert counts(srv) == (2, 1), srv.metrics()
        err = await conv.call({"type": "choose", "choice": "child"}, "error")
        assert err["code"] == "bad_token", err
        got = await conv.recv()
        assert got["type"] == "error" and got["code"] == "no_session", got
        assert counts(srv) == (1, 0), srv.metrics()
        await conv.close()

    with staff_server(args, config={"preview_per_account": 1,
                                    "preview_resume_window": 3600}) as srv:
        run(body(srv, srv.urls["kiosk"].rstrip("/")))


def test_short_resume_window(args):
    async def body(srv, origin):
        anna = Staff(srv)
        anna.login("anna")
        _, _, got = anna.post("/api/flows/testamt/main/preview",
                              {"yaml": draft(anna.flow()["yaml"], 0)})
        conv = await Client.open(srv.urls["socket"], origin=origin)
        step = await conv.call({"type": "start", "tenant": "testamt", "preview": got["preview"]},
                               "step")
        normal = await Client.open(srv.urls["socket"], origin=origin)
        await normal.call({"type": "start", "tenant": "testamt"}, "step")
        assert srv.metrics()["lotse_sessions_open"] == 2
        await conv.close()
        await normal.close()
        # the preview's conversation ends when its page goes; the other waits for resume
        srv.wait_metric("lotse_preview_sessions", 0)
        srv.wait_metric("lotse_sessions_open", 1)
        again = await Client.open(srv.urls["socket"], origin=origin)
        err = await again.call({"type": "resume", "token": step["token"]}, "error")
        assert err["code"] == "bad_token", err
        assert token_id(step["token"]) == step["token"]   # a preview's token is never sealed
        await again.close()
        # the snapshot stays for new conversations while its token lives
        assert srv.metrics()["lotse_preview_snapshots"] == 1

    with staff_server(args, config={"preview_resume_window": 0}) as srv:
        run(body(srv, srv.urls["kiosk"].rstrip("/")))


if __name__ == "__main__":
    main([test_caps_and_retirement, test_shared_snapshot,
          test_attached_conversation_ends_with_its_preview, test_short_resume_window])
