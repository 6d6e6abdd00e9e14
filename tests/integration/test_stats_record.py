"""test_stats_record.py - the anonymous statistics (docs/privacy.md) recorded
by a real `lotse serve` into a real sqlite file.

Known conversations are walked over the socket from the client address
127.0.0.7 (not 127.0.0.1, so that a scan for it means something): one
finished on a named kiosk (with "helped" and "print" from the page), one
that leaves mid-way by closing the socket and expiring (resume_window 1),
one idle wipe (forget) with a search that finds nothing asked once, one
with "nothing fits" that ends by closing on the results step, one with a
language switch, a "talk to a person" step, a restart and a search that
finds nothing asked five times. The counters are flushed every second
(stats.flush_seconds 1); once they are in, the database file and its -wal
are scanned for the client address, the search text typed once and the
resume tokens: none is there. After the stop every row of stats_counts is
compared with the expected rows exactly, and the searches and their one
kept text too. Then an event the page may not send is refused with
unknown_event, and with stats.enabled false nothing is recorded.
"""

import os
import sqlite3
import time

from lotse_harness import WAIT, Client, Server, main, run

CLIENT = ("127.0.0.7", 0)


def rows(db, sql, params=()):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def wait_lines(srv, needle, n):
    """Waits until stderr holds n lines containing needle."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if srv.stderr().count(needle) >= n:
            return
        time.sleep(0.05)
    raise AssertionError("fewer than %d lines with %r:\n%s" % (n, needle, srv.stderr()))


def wait_rows(db, sql, want):
    """Waits until sql (one value) gives want (the writer flushes every second)."""
    deadline = time.monotonic() + WAIT
    got = None
    while time.monotonic() < deadline:
        try:
            got = rows(db, sql)[0][0]
        except sqlite3.Error:
            got = None
        if got == want:
            return
        time.sleep(0.1)
    raise AssertionError("%s gave %r, not %r" % (sql, got, want))


def hour():
    return time.strftime("%H", time.localtime())


def counts_expected(person_hours):
    """(channel, kiosk, lang, flow, node, event, item) -> n for the walks below."""
    e = {}

    def add(ch, lang, node, event, item="", kiosk="", flow="main"):
        k = (ch, kiosk, lang, flow if node else "", node, event, item)
        e[k] = e.get(k, 0) + 1

    # 1: kiosk "foyer-1": who -> child -> kita -> results (one offer); helped, print; forget
    k = dict(kiosk="foyer-1")
    add("kiosk", "de", "", "start", **k)
    add("kiosk", "de", "who", "reach", **k)
    add("kiosk", "de", "who", "choose", "child", **k)
    add("kiosk", "de", "child_age", "reach", **k)
    add("kiosk", "de", "child_age", "choose", "kita", **k)
    add("kiosk", "de", "results", "reach", **k)
    add("kiosk", "de", "results", "offer_shown", "sprachkita", **k)
    add("kiosk", "de", "results", "helped", "age=3-6;audience=child", **k)
    add("kiosk", "de", "results", "print", **k)
    add("kiosk", "de", "results", "end_finished", **k)
    # 2: web: who -> child_age, then the socket closes and the conversation expires
    add("web", "de", "", "start")
    add("web", "de", "who", "reach")
    add("web", "de", "who", "choose", "child")
    add("web", "de", "child_age", "reach")
    add("web", "de", "child_age", "end_left", "closed")
    # 3: web: who, a search without hits, forget (idle wipe)
    add("web", "de", "", "start")
    add("web", "de", "who", "reach")
    add("web", "de", "", "search_miss")
    add("web", "de", "who", "end_left", "idle")
    # 4: web: who -> child -> small -> krippe_info -> results; nothing fits; closed
    add("web", "de", "", "start")
    add("web", "de", "who", "reach")
    add("web", "de", "who", "choose", "child")
    add("web", "de", "child_age", "reach")
    add("web", "de", "child_age", "choose", "small")
    add("web", "de", "krippe_info", "reach")
    add("web", "de", "krippe_info", "choose", "next")
    add("web", "de", "results", "reach")
    add("web", "de", "results", "offer_shown", "krippe-sonne")
    add("web", "de", "results", "nothing_fits", "age=0-2;audience=child")
    add("web", "de", "results", "end_finished")
    # 5: web: who (de), switch to en, 5 searches, person, restart, forget
    add("web", "de", "", "start")
    add("web", "de", "who", "reach")
    add("web", "de", "who", "lang_switch", "en")
    for _ in range(5):
        add("web", "en", "", "search_miss")
    add("web", "en", "who", "choose", "person")
    add("web", "en", "contact", "reach")
    add("web", "en", "contact", "person", person_hours)
    add("web", "en", "contact", "restart")
    add("web", "en", "contact", "end_restarted")
    add("web", "en", "who", "reach")
    add("web", "en", "who", "end_left", "idle")
    return e


def test_record(args):
    tokens = []
    person_hours = []

    async def walk(url, srv):
        # 1: finished on a kiosk
        c = await Client.open(url, local_addr=CLIENT)
        s = await c.call({"type": "start", "tenant": "testamt", "kiosk": "foyer-1"}, "step")
        tokens.append(s["token"])
        await c.call({"type": "choose", "choice": "child"}, "step")
        s = await c.call({"type": "choose", "choice": "kita"}, "step")
        assert (s["node"], [o["id"] for o in s["offers"]]) == ("results", ["sprachkita"]), s
        assert await c.call({"type": "event", "what": "helped"}) == {"type": "noted"}
        assert await c.call({"type": "event", "what": "print"}) == {"type": "noted"}
        await c.call({"type": "forget"}, "forgotten")
        await c.close()

        # 2: leaves mid-way: the socket closes, the conversation expires
        c = await Client.open(url, local_addr=CLIENT)
        s = await c.call({"type": "start", "tenant": "testamt"}, "step")
        tokens.append(s["token"])
        await c.call({"type": "choose", "choice": "child"}, "step")
        await c.close()
        wait_lines(srv, "a detached conversation expired", 1)

        # 3: idle wipe after a search typed once
        c = await Client.open(url, local_addr=CLIENT)
        s = await c.call({"type": "start", "tenant": "testamt"}, "step")
        tokens.append(s["token"])
        a = await c.call({"type": "ask", "text": "Zebrastreifen"}, "answer")
        assert a["offers"] == [], a
        await c.call({"type": "forget"}, "forgotten")
        await c.close()

        # 4: nothing fits, then closed on the results step
        c = await Client.open(url, local_addr=CLIENT)
        s = await c.call({"type": "start", "tenant": "testamt"}, "step")
        tokens.append(s["token"])
        for ch in ("child", "small", "next"):
            s = await c.call({"type": "choose", "choice": ch}, "step")
        assert (s["node"], [o["id"] for o in s["offers"]]) == ("results", ["krippe-sonne"]), s
        assert await c.call({"type": "event", "what": "nothing_fits"}) == {"type": "noted"}
        await c.close()
        wait_lines(srv, "a detached conversation expired", 2)

        # 5: language switch, five searches, a person, a restart, forget
        c = await Client.open(url, local_addr=CLIENT)
        s = await c.call({"type": "start", "tenant": "testamt", "lang": "de"}, "step")
        tokens.append(s["token"])
        s = await c.call({"type": "language", "lang": "en"}, "step")
        assert s["lang"] == "en", s
        for text in ("Schwimmkurs für Kinder", "schwimmkurs fur kinder", "Schwimmkurs  für Kinder!",
                     "SCHWIMMKURS FÜR KINDER", "Schwimmkurs für Kinder"):
            a = await c.call({"type": "ask", "text": text}, "answer")
            assert a["offers"] == [], a
        before = hour()
        s = await c.call({"type": "choose", "choice": "person"}, "step")
        person_hours.extend({before, hour()})
        assert (s["node"], s["kind"]) == ("contact", "person"), s
        s = await c.call({"type": "restart"}, "step")
        assert (s["node"], s["lang"]) == ("who", "en"), s
        await c.call({"type": "forget"}, "forgotten")
        await c.close()

    with Server(args, config={"resume_window": 1,
                              "stats": {"flush_seconds": 1, "retention_days": 400}}) as srv:
        db = os.path.join(srv.tmp, "lotse.db")
        days = {time.strftime("%Y-%m-%d")}   # the server's local date (same time zone)
        run(walk(srv.urls["socket"], srv))
        days.add(time.strftime("%Y-%m-%d"))
        # the writer flushes every second: wait for the last conversation's end
        wait_rows(db, "SELECT count(*) FROM stats_counts WHERE event = 'end_left' AND item = 'idle'"
                      " AND lang = 'en'", 1)
        wait_rows(db, "SELECT sum(n) FROM stats_searches", 6)
        # the database and its write-ahead log while the server runs
        scan(db, tokens, must_exist_wal=True)
        rc = srv.stop()
        srv.check_clean_exit(rc)
        scan(db, tokens, must_exist_wal=False)

        got = {}
        for day, ch, kiosk, lang, flow, node, event, item, n in rows(
                db, "SELECT day, channel, kiosk, lang, flow, node, event, item, n FROM stats_counts"):
            assert day in days, (day, days)
            k = (ch, kiosk, lang, flow, node, event, item)
            got[k] = got.get(k, 0) + n
        person = [k for k in got if k[5] == "person"]
        assert len(person) == 1 and person[0][6] in person_hours, (person, person_hours)
        want = counts_expected(person[0][6])
        assert got == want, "\n".join(
            "%r: got %r, want %r" % (k, got.get(k), want.get(k))
            for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k))
        # conversations: 5 starts, 1 on the kiosk
        assert rows(db, "SELECT sum(n) FROM stats_counts WHERE event = 'start'") == [(5,)]
        # searches: one hash asked once (de), one asked five times (en); only its text kept
        srch = sorted((lang, n) for lang, n in rows(db, "SELECT lang, n FROM stats_searches"))
        assert srch == [("de", 1), ("en", 5)], srch
        assert rows(db, "SELECT tenant, text FROM stats_search_texts") == [
            ("testamt", "schwimmkurs fur kinder")]
        assert rows(db, "SELECT length(hash) FROM stats_searches") == [(32,), (32,)]
        assert rows(db, "SELECT length(key) FROM stats_key") == [(32,)]
        assert rows(db, "SELECT count(*) FROM saved_sessions") == [(0,)]


def scan(db, tokens, must_exist_wal):
    """No client address, no text typed once, no token (nor its id) in the files."""
    files = [db, db + "-wal"]
    if must_exist_wal:
        assert os.path.exists(db + "-wal")
    needles = [b"127.0.0.7", "Zebrastreifen".encode(), b"zebrastreifen"]
    for t in tokens:
        needles.append(t.encode())
        needles.append(t.split(".", 1)[0].encode())
    for f in files:
        if not os.path.exists(f):
            continue
        with open(f, "rb") as fh:
            data = fh.read()
        for n in needles:
            assert n not in data, "%r found in %s" % (n, f)
            assert n.upper() not in data, "%r found in %s" % (n.upper(), f)


def test_unknown_event(args):
    async def body(url):
        c = await Client.open(url)
        e = await c.call({"type": "event", "what": "print"}, "error")
        assert e["code"] == "no_session", e
        await c.call({"type": "start", "tenant": "testamt"}, "step")
        e = await c.call({"type": "event", "what": "dance"}, "error")
        assert e["code"] == "unknown_event", e
        assert e["message"] == "Diese Art von Nachricht kennen wir nicht.", e
        e = await c.call({"type": "event"}, "error")
        assert e["code"] == "missing_field", e
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"]))


def test_disabled(args):
    async def body(url):
        c = await Client.open(url)
        await c.call({"type": "start", "tenant": "testamt"}, "step")
        await c.call({"type": "choose", "choice": "child"}, "step")
        assert await c.call({"type": "event", "what": "qr"}) == {"type": "noted"}
        await c.call({"type": "forget"}, "forgotten")
        await c.close()

    with Server(args, config={"stats": {"enabled": False, "flush_seconds": 1}}) as srv:
        db = os.path.join(srv.tmp, "lotse.db")
        run(body(srv.urls["socket"]))
        srv.wait_stderr(r"statistics: off")
        rc = srv.stop()
        srv.check_clean_exit(rc)
        assert rows(db, "SELECT count(*) FROM stats_counts") == [(0,)]
        assert rows(db, "SELECT count(*) FROM stats_key") == [(0,)]


if __name__ == "__main__":
    main([test_record, test_unknown_event, test_disabled])
