"""test_net_reload.py - SIGHUP reloads the content while conversations run:
a running conversation finishes on the version it started on, a new one
(and `restart`) gets the new version; a broken flow is refused with every
error logged as file:line:col and the previous content keeps serving.
Also: SIGTERM/SIGINT stop the server cleanly, and broken content at start
is refused.
"""

import asyncio
import os
import shutil

from lotse_harness import Client, Server, main, run


def replace_main(srv, args, name):
    shutil.copyfile(os.path.join(args.source, "tests/data/net/reload", name),
                    os.path.join(srv.flows, "testamt", "main.yaml"))


def test_reload_during_conversation(args):
    async def body(srv):
        url = srv.urls["socket"]
        old = await Client.open(url)
        s = await old.call({"type": "start"}, "step")
        assert s["text"] == "Für wen suchen Sie ein Angebot?"

        replace_main(srv, args, "main-v2.yaml")
        srv.reload()
        await asyncio.get_running_loop().run_in_executor(
            None, srv.wait_metric, 'lotse_reloads_total{result="ok"}', 1)
        assert srv.metrics()["lotse_content_generation"] == 2

        # the running conversation stays on version 1 to its end
        s = await old.call({"type": "choose", "choice": "child"}, "step")
        assert s["text"] == "Wie alt ist Ihr Kind?", s
        # a new one gets version 2
        new = await Client.open(url)
        s = await new.call({"type": "start"}, "step")
        assert s["text"] == "Für wen suchen Sie etwas?", s
        s = await new.call({"type": "choose", "choice": "child"}, "step")
        assert s["text"] == "Wie alt ist das Kind?", s
        s = await old.call({"type": "choose", "choice": "kita"}, "step")
        assert s["node"] == "results" and s["offers"][0]["id"] == "sprachkita"
        # restart moves the old conversation to the current version
        s = await old.call({"type": "restart"}, "step")
        assert s["text"] == "Für wen suchen Sie etwas?", s
        await old.close()
        await new.close()

    with Server(args) as srv:
        run(body(srv))
        srv.wait_stderr(r"reload: content generation 2 is live")


def test_reload_broken(args):
    async def body(srv):
        url = srv.urls["socket"]
        c = await Client.open(url)
        await c.call({"type": "start"}, "step")
        replace_main(srv, args, "main-broken.yaml")
        srv.reload()
        await asyncio.get_running_loop().run_in_executor(
            None, srv.wait_metric, 'lotse_reloads_total{result="failed"}', 1)
        m = srv.metrics()
        assert m["lotse_content_generation"] == 1 and m['lotse_reloads_total{result="ok"}'] == 0
        # the error is logged with its position in the file
        line = srv.wait_stderr(r"reload: (\S*)/testamt/main\.yaml:(\d+):(\d+): .*nirgendwo")
        assert (line.group(1), line.group(2), line.group(3)) == (srv.flows, "14", "69"), \
            line.group(0)
        srv.wait_stderr(r"the previous content keeps serving")
        # the old version keeps serving, old and new conversations alike
        s = await c.call({"type": "choose", "choice": "child"}, "step")
        s = await c.call({"type": "choose", "choice": "small"}, "step")
        assert s["node"] == "krippe_info"
        other = await Client.open(url)
        s = await other.call({"type": "start", "lang": "en"}, "step")
        assert s["text"] == "Who are you looking for an offer for?"
        status, _, body_ = srv.http_get("kiosk", "/healthz")
        assert status == 200 and body_ == b"ok\n"
        # fixing the file and reloading again works
        replace_main(srv, args, "main-v2.yaml")
        srv.reload()
        await asyncio.get_running_loop().run_in_executor(
            None, srv.wait_metric, 'lotse_reloads_total{result="ok"}', 1)
        s = await other.call({"type": "restart"}, "step")
        assert (s["lang"], s["text"]) == ("en", "Für wen suchen Sie etwas?"), s
        await c.close()
        await other.close()

    with Server(args) as srv:
        run(body(srv))


def test_clean_shutdown(args):
    async def talk(url):
        c = await Client.open(url)
        await c.call({"type": "start"}, "step")
        return c

    import signal
    for sig in (signal.SIGTERM, signal.SIGINT):
        srv = Server(args)
        try:
            srv.start()
            loop = asyncio.new_event_loop()
            c = loop.run_until_complete(talk(srv.urls["socket"]))
            assert srv.stop(sig) == 0, srv.stderr()
            loop.run_until_complete(c.ws.wait_closed())
            loop.close()
        finally:
            srv.cleanup()


def test_broken_at_start(args):
    srv = Server(args)
    try:
        replace_main(srv, args, "main-broken.yaml")
        try:
            srv.start()
            raise AssertionError("started with a broken flow")
        except RuntimeError:
            pass
        assert srv.proc.wait(30) == 1
        srv.wait_stderr(r"start: \S*/testamt/main\.yaml:14:69: .*nirgendwo")
    finally:
        srv.cleanup()


def test_port_in_use(args):
    with Server(args) as first:
        for which, what in (("kiosk", "HTTP"), ("socket", "socket"), ("staff", "HTTP")):
            port = first.hostport(which)[1]
            srv = Server(args, config={"listen": {
                "kiosk": "127.0.0.1:0", "socket": "127.0.0.1:0", "staff": "127.0.0.1:0",
                which: "127.0.0.1:%d" % port}})
            try:
                try:
                    srv.start()
                    raise AssertionError("started on a port in use")
                except RuntimeError:
                    pass
                assert srv.proc.wait(30) == 1
                srv.wait_stderr(r"cannot listen on 127\.0\.0\.1:%d \(%s\)" % (port, what))
            finally:
                srv.cleanup()


if __name__ == "__main__":
    main([test_reload_during_conversation, test_reload_broken, test_clean_shutdown,
          test_broken_at_start, test_port_in_use])
