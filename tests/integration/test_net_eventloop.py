"""test_net_eventloop.py - the conversation socket on both event loops
(`event_loop: libev`, the default, and `poll`): a conversation, keepalive
(a silent client is dropped, a polite one stays), the resume window's timer,
a conversation restored after a restart, and a prompt clean shutdown. The
other suites run on the default loop; this one makes sure poll() keeps
working and that lws's timers are served on libev (docs/benchmarks.md).
"""

import asyncio
import time

from lotse_harness import WAIT, Client, RawClient, Server, main, run


def conversation(url):
    async def body():
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "testamt"}, "step")
        assert s["node"] == "who", s
        s = await c.call({"type": "choose", "choice": "child"}, "step")
        assert (s["node"], s["can_back"]) == ("child_age", True), s
        await c.close()
    run(body())


def silent_client_dropped(url):
    r = RawClient(url)
    assert r.recv_json()["type"] == "tenants"
    pinged = closed = False
    deadline = time.monotonic() + WAIT
    try:
        while time.monotonic() < deadline and not closed:
            op, _ = r.recv_frame()          # never answered
            pinged |= op == 0x9
            closed = op == 0x8
    except (EOFError, ConnectionResetError):
        closed = True
    r.close()
    assert pinged and closed, (pinged, closed)


def polite_client_stays(url):
    async def body():
        c = await Client.open(url, ping_interval=None)   # the library answers PINGs
        await asyncio.sleep(4)                           # beyond ping_interval + ping_timeout
        s = await c.call({"type": "start"}, "step")
        assert s["node"] == "who", s
        await c.close()
    run(body())


def window_expires(srv):
    async def body():
        url = srv.urls["socket"]
        a = await Client.open(url)
        token = (await a.call({"type": "start"}, "step"))["token"]
        await a.close()
        # nothing else happens on the socket: only the timer can end it
        await asyncio.get_running_loop().run_in_executor(
            None, srv.wait_metric, "lotse_sessions_open", 0)
        b = await Client.open(url)
        e = await b.call({"type": "resume", "token": token}, "error")
        assert e["code"] == "bad_token", e
        await b.close()
    run(body())


def check_loop(args, loop):
    cfg = {"event_loop": loop, "ping_interval": 1, "ping_timeout": 2, "resume_window": 2}
    with Server(args, config=cfg) as srv:
        srv.wait_stderr(r"socket: event loop %s$" % loop)
        url = srv.urls["socket"]
        conversation(url)
        silent_client_dropped(url)
        polite_client_stays(url)
        window_expires(srv)
        srv.wait_metric("lotse_connections_open", 0)
        t0 = time.monotonic()
        rc = srv.stop()
        assert time.monotonic() - t0 < 5, "slow shutdown"   # ws_wake works (generous)
        srv.check_clean_exit(rc)


def check_restore(args, loop):
    """A conversation saved at shutdown continues after a restart on the
    same database (the restored conversation's timer lives on this loop)."""
    srv = Server(args, config={"event_loop": loop})
    srv.start()
    try:
        async def first():
            c = await Client.open(srv.urls["socket"])
            await c.call({"type": "start", "tenant": "testamt"}, "step")
            s = await c.call({"type": "choose", "choice": "child"}, "step")
            await c.close()
            return s["token"]
        token = run(first())
        srv.check_clean_exit(srv.stop())
        srv.proc = None
        srv.urls = {}
        srv.start()

        async def second():
            c = await Client.open(srv.urls["socket"])
            s = await c.call({"type": "resume", "token": token}, "step")
            assert (s["node"], s["can_back"]) == ("child_age", True), s
            await c.close()
        run(second())
        srv.check_clean_exit(srv.stop())
    finally:
        srv.cleanup()


def test_libev(args):
    check_loop(args, "libev")
    check_restore(args, "libev")


def test_poll(args):
    check_loop(args, "poll")
    check_restore(args, "poll")


if __name__ == "__main__":
    main([test_libev, test_poll])
