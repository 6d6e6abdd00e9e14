"""test_stats_api.py - the statistics staff see (docs/staff.md, "Statistics") over real HTTP,
from conversations walked over the socket of the same `lotse serve` (recorder flushing every
second): one finished on a named kiosk with "helped", one that leaves mid-way (socket closed, the
conversation expires), one idle wipe (`forget`) mid-way, one "nothing fits" on the results step,
one with a language switch, five searches without hits and a "talk to a person" step. Then:
exact figures from GET /api/stats/<office> and the CSV export, "<3" exactly where due, the flow
picture with traffic, the access rules (an account of another office gets 404 as on every office
route, no session 401), bad ranges 400, the default range, and Chart.js served from the system's
copy (and a clear 404 with a log line when the configured file is missing).
"""

import datetime
import re
import time

from lotse_harness import WAIT, Client, main, run
from staff_harness import Staff, add_account, staff_server

PW = "geheim-genug-123"
NOT_FOUND_OFFICE = {"error": "not_found", "message": "Dieses Bildungsbüro gibt es nicht."}


def walk(url, srv):
    async def body():
        # 1: finished on the kiosk "foyer-1", "helped" on the results step
        c = await Client.open(url)
        await c.call({"type": "start", "tenant": "testamt", "kiosk": "foyer-1"}, "step")
        await c.call({"type": "choose", "choice": "child"}, "step")
        s = await c.call({"type": "choose", "choice": "kita"}, "step")
        assert (s["node"], [o["id"] for o in s["offers"]]) == ("results", ["sprachkita"]), s
        assert await c.call({"type": "event", "what": "helped"}) == {"type": "noted"}
        await c.call({"type": "forget"}, "forgotten")
        await c.close()
        # 2: leaves mid-way: the socket closes at child_age, the conversation expires
        c = await Client.open(url)
        await c.call({"type": "start", "tenant": "testamt"}, "step")
        await c.call({"type": "choose", "choice": "child"}, "step")
        await c.close()
        srv.wait_stderr("a detached conversation expired")
        # 3: idle wipe at child_age
        c = await Client.open(url)
        await c.call({"type": "start", "tenant": "testamt"}, "step")
        await c.call({"type": "choose", "choice": "child"}, "step")
        await c.call({"type": "forget"}, "forgotten")
        await c.close()
        # 4: nothing fits on the results step
        c = await Client.open(url)
        await c.call({"type": "start", "tenant": "testamt"}, "step")
        for ch in ("child", "small", "next"):
            s = await c.call({"type": "choose", "choice": ch}, "step")
        assert (s["node"], [o["id"] for o in s["offers"]]) == ("results", ["krippe-sonne"]), s
        assert await c.call({"type": "event", "what": "nothing_fits"}) == {"type": "noted"}
        await c.call({"type": "forget"}, "forgotten")
        await c.close()
        # 5: German, then English; five searches without hits; talk to a person
        c = await Client.open(url)
        await c.call({"type": "start", "tenant": "testamt", "lang": "de"}, "step")
        await c.call({"type": "language", "lang": "en"}, "step")
        for _ in range(5):
            a = await c.call({"type": "ask", "text": "Schwimmkurs für Kinder"}, "answer")
            assert a["offers"] == [], a
        hours = {time.strftime("%H")}
        s = await c.call({"type": "choose", "choice": "person"}, "step")
        hours.add(time.strftime("%H"))
        assert (s["node"], s["kind"], s["terminal"]) == ("contact", "person", True), s
        await c.call({"type": "forget"}, "forgotten")
        await c.close()
        return hours

    return run(body())


def wait_figures(s, path, want):
    """Polls the API until the totals in want are there (the recorder flushes every second)."""
    deadline = time.monotonic() + WAIT
    got = None
    while time.monotonic() < deadline:
        status, _, got = s.get(path)
        assert status == 200, got
        if all(got[k] == v for k, v in want.items()):
            return got
        time.sleep(0.2)
    raise AssertionError("never reached %r: %r" % (want, got))


def test_stats_api(args):
    config = {"resume_window": 1, "stats": {"flush_seconds": 1}}
    with staff_server(args, config=config) as srv:
        r = add_account(args, srv.db, "zora", "viewer", PW, offices=["zweitamt"], flows=srv.flows)
        assert r.returncode == 0, r.stderr
        day0 = time.strftime("%Y-%m-%d")
        hours = walk(srv.urls["socket"], srv)
        day1 = time.strftime("%Y-%m-%d")
        vera = Staff(srv)
        vera.login("vera")   # a viewer of every office
        rng = "from=%s&to=%s" % (day0, day1)
        got = wait_figures(vera, "/api/stats/testamt?" + rng,
                           {"conversations": 5, "finished": 3, "left": 2, "help_requests": 1,
                            "searches_total": 5})   # counters and searches: two transactions
        assert (got["office"], got["from"], got["to"]) == ("testamt", day0, day1)
        assert {k: got[k] for k in ("conversations", "finished", "left", "restarted",
                                    "preview_conversations", "nothing_fits", "not_helpful",
                                    "helped", "none_fitted", "help_requests", "prints", "qr",
                                    "read_aloud", "language_switches", "searches_total",
                                    "searches_other")} == {
            "conversations": 5, "finished": 3, "left": 2, "restarted": 0,
            "preview_conversations": 0, "nothing_fits": 1, "not_helpful": 0, "helped": 1,
            "none_fitted": 0, "help_requests": 1, "prints": 0, "qr": 0, "read_aloud": 0,
            "language_switches": 1, "searches_total": 5, "searches_other": 0}, got
        assert got["languages"] == {"de": 5, "en": 0}, got["languages"]
        assert got["channels"] == {"kiosk": 1, "web": 4}, got["channels"]
        assert got["kiosks"] == {"foyer-1": 1}, got["kiosks"]
        assert got["by_language"] == [
            {"lang": "de", "conversations": 5, "finished": 2, "left": 2},
            {"lang": "en", "conversations": 0, "finished": 1, "left": 0}], got["by_language"]
        step = lambda node, reached, left, idle=0, closed=0: {
            "flow": "main", "node": node, "reached": reached, "left": left, "left_idle": idle,
            "left_closed": closed}
        assert got["steps"] == [step("who", 5, 0), step("child_age", 4, 2, 1, 1),
                                step("results", 2, 0), step("contact", 1, 0),
                                step("krippe_info", 1, 0)], got["steps"]
        # language x step: 1 and 2 are "<3", office-wide per step they are exact
        sl = lambda node, lang, reached, left: {"flow": "main", "node": node, "lang": lang,
                                                "reached": reached, "left": left}
        assert got["step_languages"] == [sl("child_age", "de", 4, "<3"),
                                         sl("contact", "en", "<3", 0),
                                         sl("krippe_info", "de", "<3", 0),
                                         sl("results", "de", "<3", 0),
                                         sl("who", "de", 5, 0)], got["step_languages"]
        ch = lambda node, choice, n: {"flow": "main", "node": node, "choice": choice, "taken": n}
        assert got["choices"] == [ch("child_age", "kita", 1), ch("child_age", "small", 1),
                                  ch("krippe_info", "next", 1), ch("who", "child", 4),
                                  ch("who", "person", 1)], got["choices"]
        assert got["offers"] == [{"id": "krippe-sonne", "shown": 1},
                                 {"id": "sprachkita", "shown": 1},
                                 {"id": "deutschkurs", "shown": 0}], got["offers"]   # never shown
        assert got["feedback"] == [{"flow": "main", "node": "results", "helped": 1,
                                    "not_helpful": 0, "nothing_fits": 1, "none_fitted": 0}]
        assert got["unmet"] == [{"kind": "nothing_fits", "flow": "main", "node": "results",
                                 "facts": "age=0-2;audience=child", "count": "<3"}], got["unmet"]
        assert len(got["help"]) == 1 and got["help"][0]["lang"] == "en" and \
            got["help"][0]["hour"] in hours and got["help"][0]["requests"] == "<3", got["help"]
        assert len(got["searches_without_hits"]) == 1 and \
            got["searches_without_hits"][0]["count"] == 5, got["searches_without_hits"]
        assert "Schwimmkurs" not in got["searches_without_hits"][0]["text"]   # normalised
        if day0 == day1:
            assert got["days"] == [{"day": day0, "conversations": 5, "finished": 3, "left": 2,
                                    "restarted": 0}], got["days"]
            assert got["day_languages"] == [{"day": day0, "lang": "de", "conversations": 5}]
            assert got["day_channels"] == [{"day": day0, "channel": "kiosk", "conversations": "<3"},
                                           {"day": day0, "channel": "web", "conversations": 4}]
            assert len(got["weeks"]) == 1 and got["weeks"][0]["conversations"] == 5
        assert got["tables"][0] == "days" and "searches_without_hits" in got["tables"]

        # CSV of every table; exact for two
        for table in got["tables"]:
            status, hdrs, body = vera.get("/api/stats/testamt.csv?table=%s&%s" % (table, rng))
            assert status == 200, (table, body)
            assert hdrs["content-type"] == "text/csv; charset=utf-8; header=present"
            assert hdrs["content-disposition"] == \
                'attachment; filename="lotse-testamt-%s-%s-%s.csv"' % (table, day0, day1)
            assert body.endswith(b"\r\n")
        status, _, body = vera.get("/api/stats/testamt.csv?table=steps&" + rng)
        assert body.decode() == ("flow,node,reached,left,left_idle,left_closed\r\n"
                                 "main,who,5,0,0,0\r\nmain,child_age,4,2,1,1\r\n"
                                 "main,results,2,0,0,0\r\nmain,contact,1,0,0,0\r\n"
                                 "main,krippe_info,1,0,0,0\r\n"), body
        status, _, body = vera.get("/api/stats/testamt.csv?table=step_languages&" + rng)
        assert body.decode() == ("flow,node,lang,reached,left\r\n"
                                 "main,child_age,de,4,< 3\r\nmain,contact,en,< 3,0\r\n"
                                 "main,krippe_info,de,< 3,0\r\nmain,results,de,< 3,0\r\n"
                                 "main,who,de,5,0\r\n"), body
        status, _, got_err = vera.get("/api/stats/testamt.csv?" + rng)
        assert status == 400 and got_err["error"] == "bad_request" and \
            got_err["message"].startswith("?table= fehlt. Tabellen: days, weeks,"), got_err
        status, _, got_err = vera.get("/api/stats/testamt.csv?table=nope&" + rng)
        assert status == 404 and got_err["message"].startswith("Diese Tabelle gibt es nicht."), \
            got_err

        # the flow picture with traffic
        status, hdrs, svg = vera.get("/api/stats/testamt/flow/main.svg?" + rng)
        assert status == 200 and hdrs["content-type"] == "image/svg+xml", svg
        svg = svg.decode()
        # dot writes "-" as &#45;
        for mark in ("erreicht: 5", "verlassen: 2 (50 %)", "4× (80 %)",
                     'class="node step drop&#45;high"', 'class="edge choice"'):
            assert mark in svg, mark
        status, _, got_err = vera.get("/api/stats/testamt/flow/nope.svg")
        assert status == 404 and got_err["message"] == "Diesen Ablauf gibt es nicht.", got_err

        # bad ranges; the default: the last 30 days up to today
        for q, msg in [("from=2026-02-30&to=2026-03-01",
                        'Das Datum "2026-02-30" ist ungültig (erwartet: JJJJ-MM-TT, z. B. '
                        '2026-03-01).'),
                       ("from=2026-03-09&to=2026-03-02",
                        "Der Beginn (2026-03-09) liegt nach dem Ende (2026-03-02)."),
                       ("from=1.3.2026", 'Das Datum "1.3.2026" ist ungültig (erwartet: '
                                         'JJJJ-MM-TT, z. B. 2026-03-01).')]:
            for path in ("/api/stats/testamt?", "/api/stats/testamt.csv?table=days&",
                         "/api/stats/testamt/flow/main.svg?"):
                status, _, got_err = vera.get(path + q)
                assert status == 400 and got_err == {"error": "bad_range", "message": msg}, \
                    (path, q, got_err)
        status, _, dflt = vera.get("/api/stats/testamt")
        today = datetime.date.today()
        assert status == 200 and dflt["to"] == today.isoformat() and \
            dflt["from"] == (today - datetime.timedelta(days=29)).isoformat(), dflt
        assert dflt["conversations"] == 5
        status, _, dflt = vera.get("/api/stats/testamt?to=2026-03-09")
        assert (dflt["from"], dflt["to"], dflt["conversations"]) == \
            ("2026-02-08", "2026-03-09", 0), dflt

        # another office's viewer: 404 like every office route; no session: 401
        zora = Staff(srv)
        zora.login("zora", password=PW)
        for path in ("/api/stats/testamt", "/api/stats/testamt.csv?table=days",
                     "/api/stats/testamt/flow/main.svg"):
            status, _, got_err = zora.get(path)
            assert status == 404 and got_err == NOT_FOUND_OFFICE, (path, got_err)
            status, _, _ = Staff(srv).get(path)
            assert status == 401, path
        status, _, own = zora.get("/api/stats/zweitamt")
        assert status == 200 and own["conversations"] == 0, own

        # Chart.js from the system's copy (libjs-chart.js)
        status, hdrs, js = vera.get("/staff/js/chart.js")
        assert status == 200 and hdrs["content-type"] == "text/javascript; charset=utf-8"
        assert js == open("/usr/share/javascript/chart.js/chart.min.js", "rb").read()

    missing = "/nonexistent/chart.min.js"
    with staff_server(args, config={"staff": {"chartjs": missing}}) as srv:
        status, _, _ = Staff(srv).get("/staff/js/chart.js")
        assert status == 404
        srv.wait_stderr(re.escape("staff: Chart.js for the statistics page is missing: %s: No "
                                  "such file or directory (install libjs-chart.js or set "
                                  "staff.chartjs)" % missing))


if __name__ == "__main__":
    main([test_stats_api])
