"""test_staff_flows.py - editing flows in the staff area against a real
server and real WebSocket conversations: invalid YAML is refused with line
and column while a live conversation keeps its flow; a publish during a
conversation (the running one keeps the old flow, a new one gets the new);
two editors saving over each other get a conflict, as does a file edited
on disk; history, diff and rollback; a preview conversation runs the draft;
the picture of a flow marks unreachable and untranslated steps.
"""

import asyncio
import json
import os
import re

from lotse_harness import Client, main, run
from staff_harness import Staff, db_rows, read, staff_server

OLD_Q = "Für wen suchen Sie ein Angebot?"
NEW_Q = "Für wen suchen Sie heute etwas?"


def main_yaml(srv):
    return read(os.path.join(srv.flows, "testamt", "main.yaml"))


def generation(srv):
    return srv.metrics()["lotse_content_generation"]


def test_invalid_yaml_keeps_serving(args):
    async def body(srv):
        s = Staff(srv)
        s.login("anna")
        conv = await Client.open(srv.urls["socket"])
        step = await conv.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == OLD_Q
        base = s.flow()
        assert base["yaml"] == main_yaml(srv) and base["revision"] is None
        assert base["changed_on_disk"] is False and len(base["hash"]) == 64
        # a YAML syntax error and a schema error, each at its line and column
        broken = base["yaml"].replace("    ask: Für wen", "    ask: [Für wen", 1)
        status, _, got = s.post("/api/flows/testamt/main/check", {"yaml": broken})
        assert status == 422 and got["ok"] is False and got["error"] == "invalid", got
        assert [(e["file"], e["line"], e["col"]) for e in got["errors"]] == \
            [("flows/testamt/main.yaml", 7, 12)], got
        assert got["errors"][0]["message"].startswith("YAML syntax error: did not find expected"), got
        typo = base["yaml"].replace("  child_age:\n    ask:", "  child_age:\n    asks:", 1)
        status, _, got = s.post("/api/flows/testamt/main/check", {"yaml": typo})
        assert status == 422, got
        assert [(e["file"], e["line"], e["col"], e["message"]) for e in got["errors"]] == \
            [("flows/testamt/main.yaml", 11, 3, 'node "child_age" has no kind (ask, say, branch, '
              'offers, person, end or goto)'),
             ("flows/testamt/main.yaml", 12, 5, 'unknown key "asks" in node')], got
        # the same refusal on publish; nothing changes anywhere
        for bad in (broken, typo):
            status, _, got = s.put("/api/flows/testamt/main",
                                   {"yaml": bad, "message": "kaputt",
                                    "base_revision": base["revision"], "base_hash": base["hash"]})
            assert status == 422 and got["errors"], got
        assert main_yaml(srv) == base["yaml"]
        assert db_rows(srv, "SELECT count(*) FROM revisions") == [(0,)]
        assert generation(srv) == 1
        # the live conversation goes on with the old flow; a new one starts on it too
        step = await conv.call({"type": "choose", "choice": "child"}, "step")
        assert step["text"] == "Wie alt ist Ihr Kind?", step
        other = await Client.open(srv.urls["socket"])
        step = await other.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == OLD_Q
        await conv.close()
        await other.close()
        _, _, audit = s.get("/api/audit")
        checks = [e["detail"] for e in audit["entries"] if e["action"] == "check"]
        assert checks == ["flows/testamt/main.yaml errors"] * 2, checks

    with staff_server(args) as srv:
        run(body(srv))


def test_publish_during_conversation(args):
    async def body(srv):
        s = Staff(srv)
        s.login("anna")
        old = await Client.open(srv.urls["socket"])
        step = await old.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == OLD_Q
        base = s.flow()
        new_yaml = base["yaml"].replace(OLD_Q, NEW_Q)
        got = s.publish(new_yaml, base, message="Frage freundlicher")
        assert got["ok"] is True and got["revision"] == 2 and got["generation"] == 2, got
        assert main_yaml(srv) == new_yaml
        # the file as it was is revision 1 (author "disk"), the edit is revision 2
        rows = db_rows(srv, "SELECT id, author, message, parent FROM revisions ORDER BY id")
        assert [(r[0], r[1], r[3]) for r in rows] == [(1, "disk", None), (2, "anna", 1)], rows
        assert rows[1][2] == "Frage freundlicher"
        # the running conversation keeps its flow to the end ...
        step = await old.call({"type": "back"}, None)
        step = await old.call({"type": "choose", "choice": "child"}, "step")
        assert step["text"] == "Wie alt ist Ihr Kind?", step
        step = await old.call({"type": "back"}, "step")
        assert step["text"] == OLD_Q, step
        # ... a new one gets the new version
        new = await Client.open(srv.urls["socket"])
        step = await new.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == NEW_Q, step
        await old.close()
        await new.close()
        now = s.flow()
        assert now["revision"] == 2 and now["changed_on_disk"] is False
        assert now["yaml"] == new_yaml
        status, _, revs = s.get("/api/flows/testamt/main/revisions")
        assert [(r["id"], r["author"], r["parent"]) for r in revs["revisions"]] == \
            [(2, "anna", 1), (1, "disk", None)], revs
        _, _, audit = s.get("/api/audit")
        assert audit["entries"][0]["action"] == "publish"
        assert audit["entries"][0]["detail"] == \
            "flows/testamt/main.yaml revision 2: Frage freundlicher"
        srv.wait_stderr(r"reload: content generation 2 is live")

    with staff_server(args) as srv:
        run(body(srv))


def test_conflicts(args):
    with staff_server(args) as srv:
        anna, bert = Staff(srv), Staff(srv)
        anna.login("anna")
        bert.login("bert")
        base_a, base_b = anna.flow(), bert.flow()
        first = base_a["yaml"].replace(OLD_Q, NEW_Q)
        anna.publish(first, base_a)
        # bert saves over anna's change with his old base: 409, nothing lost
        second = base_b["yaml"].replace("Wie alt ist Ihr Kind?", "Wie alt ist das Kind?")
        got = bert.publish(second, base_b, expect=409)
        assert got["error"] == "conflict" and got["revision"] == 2, got
        assert got["hash"] == anna.flow()["hash"]
        assert main_yaml(srv) == first
        # the same file edited on disk (a git user): shown, and a stale hash conflicts
        on_disk = first.replace("Mit jemandem sprechen", "Jemanden fragen")
        with open(os.path.join(srv.flows, "testamt", "main.yaml"), "w") as f:
            f.write(on_disk)
        now = bert.flow()
        assert now["changed_on_disk"] is True and now["yaml"] == on_disk and now["revision"] == 2
        stale = dict(now, hash=base_b["hash"])
        got = bert.publish(now["yaml"], stale, expect=409)
        assert got["hash"] == now["hash"], got
        # with the current base the disk version is kept as its own revision first
        got = bert.publish(now["yaml"].replace("Wie alt ist Ihr Kind?", "Wie alt ist das Kind?"),
                           now)
        assert got["revision"] == 4, got
        rows = db_rows(srv, "SELECT id, author, parent FROM revisions ORDER BY id")
        assert rows == [(1, "disk", None), (2, "anna", 1), (3, "disk", 2), (4, "bert", 3)], rows
        assert "Jemanden fragen" in main_yaml(srv) and "das Kind" in main_yaml(srv)
        # a new file needs null bases; an existing one with null bases conflicts
        status, _, got = anna.put("/api/flows/testamt/main",
                                  {"yaml": first, "base_revision": None, "base_hash": None})
        assert status == 409, got
        status, _, got = anna.put("/api/flows/testamt/main", {"yaml": first})
        assert status == 400 and got["error"] == "bad_request", got


def test_history_diff_rollback(args):
    async def body(srv):
        s = Staff(srv)
        s.login("anna")
        original = s.flow()
        v2 = original["yaml"].replace(OLD_Q, NEW_Q)
        s.publish(v2, original)
        v3 = v2.replace("Wie alt ist Ihr Kind?", "Wie alt ist das Kind?")
        s.publish(v3, s.flow())
        status, _, d = s.get("/api/revisions/1/diff/3")
        assert status == 200 and d["from"] == 1 and d["to"] == 3, d
        lines = d["diff"].splitlines()
        assert lines[0] == "--- flows/testamt/main.yaml\tRevision 1"
        assert lines[1] == "+++ flows/testamt/main.yaml\tRevision 3"
        assert "-    ask: " + OLD_Q in lines and "+    ask: " + NEW_Q in lines, lines
        assert "-    ask: Wie alt ist Ihr Kind?" in lines, lines
        assert lines[2] == "@@ -3,13 +3,13 @@", lines
        status, _, d = s.get("/api/revisions/3/diff/3")
        assert d["diff"] == ""
        status, _, rv = s.get("/api/revisions/1")
        assert rv["content"] == original["yaml"] and rv["author"] == "disk" and rv["parent"] is None
        status, _, _ = s.get("/api/revisions/99")
        assert status == 404
        # rollback to revision 1: a new revision with its content, conflict-checked
        latest = s.flow()
        status, _, got = s.post("/api/revisions/1/rollback",
                                {"base_revision": 2, "base_hash": latest["hash"]})
        assert status == 409 and got["revision"] == 3, got
        status, _, got = s.post("/api/revisions/1/rollback",
                                {"base_revision": 3, "base_hash": latest["hash"]})
        assert status == 200 and got["revision"] == 4, got
        assert main_yaml(srv) == original["yaml"]
        status, _, rv = s.get("/api/revisions/4")
        assert rv["content"] == original["yaml"] and rv["message"] == "Zurückgesetzt auf Revision 1"
        assert rv["parent"] == 3
        conv = await Client.open(srv.urls["socket"])
        step = await conv.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == OLD_Q
        await conv.close()
        _, _, audit = s.get("/api/audit")
        assert audit["entries"][0]["action"] == "rollback"

    with staff_server(args) as srv:
        run(body(srv))


def test_preview(args):
    async def body(srv):
        s = Staff(srv)
        s.login("vera")   # a viewer may preview: it changes nothing
        base = s.flow()
        draft = base["yaml"].replace(OLD_Q, NEW_Q)
        status, _, got = s.post("/api/flows/testamt/main/preview", {"yaml": draft})
        assert status == 201, got
        token = got["preview"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token), token
        assert got["languages"] == ["de", "en", "ar"]
        assert got["url"] == "%s?preview=%s&tenant=testamt" % (srv.urls["kiosk"], token), got
        # the kiosk page lets the staff pages frame it; the staff pages allow it
        status, h, _ = srv.http_get("kiosk", "/?preview=" + token)
        assert status == 200
        staff_origin = srv.urls["staff"].rstrip("/")
        assert "frame-ancestors 'self' " in h["content-security-policy"], h
        assert staff_origin in h["content-security-policy"], h
        # the preview conversation runs the draft, in any language; restart stays on it
        conv = await Client.open(srv.urls["socket"], origin=srv.urls["kiosk"].rstrip("/"))
        step = await conv.call({"type": "start", "tenant": "testamt", "preview": token}, "step")
        assert step["text"] == NEW_Q, step
        step = await conv.call({"type": "choose", "choice": "child"}, "step")
        step = await conv.call({"type": "restart"}, "step")
        assert step["text"] == NEW_Q, step
        live = await Client.open(srv.urls["socket"])
        step = await live.call({"type": "start", "tenant": "testamt"}, "step")
        assert step["text"] == OLD_Q, step
        err = await live.call({"type": "start", "tenant": "testamt", "preview": "x" * 43},
                              "error")
        assert err["code"] == "bad_token", err
        await conv.close()
        await live.close()
        # nothing was published
        assert main_yaml(srv) == base["yaml"] and generation(srv) == 1
        assert db_rows(srv, "SELECT count(*) FROM revisions") == [(0,)]
        # a broken draft gets no preview
        status, _, got = s.post("/api/flows/testamt/main/preview", {"yaml": "flow: [x"})
        assert status == 422 and got["errors"][0]["file"] == "flows/testamt/main.yaml", got
        _, _, audit = s.get("/api/audit")
        assert audit["entries"][0]["action"] == "preview"

    with staff_server(args) as srv:
        run(body(srv))


def test_english_preview(args):
    async def body(srv):
        s = Staff(srv)
        s.login("anna")
        draft = s.flow()["yaml"].replace("Mit jemandem sprechen", "Bitte rufen Sie uns an")
        _, _, got = s.post("/api/flows/testamt/main/preview", {"yaml": draft})
        conv = await Client.open(srv.urls["socket"])
        step = await conv.call({"type": "start", "tenant": "testamt", "lang": "en",
                                "preview": got["preview"]}, "step")
        assert step["lang"] == "en" and step["text"] == "Who are you looking for an offer for?"
        labels = [c["label"] for c in step["choices"]]
        assert "Bitte rufen Sie uns an" in labels, labels   # not translated yet: German
        await conv.close()

    with staff_server(args) as srv:
        run(body(srv))


def test_graph(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        s.login("vera")
        status, h, svg = s.get("/api/flows/testamt/main/graph.svg")
        assert status == 200 and h["content-type"] == "image/svg+xml", h
        assert h["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        text = svg.decode("utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text
        for node in ["who", "child_age", "krippe_info", "results", "contact"]:
            assert ">%s" % node in text, node
        for kind in ["ask", "say", "offers", "person"]:   # dot writes '-' as &#45;
            assert 'class="node kind&#45;%s"' % kind in text, kind
        assert "unreachable" not in text and "unerreichbar" not in text
        # a draft with an unreachable node whose text no catalogue has yet
        base = s.flow()
        draft = base["yaml"] + "  lost:\n    end: Ein ganz neuer Text.\n"
        status, h, svg = s.post("/api/flows/testamt/main/graph.svg", {"yaml": draft})
        assert status == 200, svg
        text = svg.decode("utf-8")
        assert "unerreichbar" in text and "nicht übersetzt: en, ar" in text, text
        assert 'class="node kind&#45;end unreachable untranslated"' in text, text
        # a draft that does not parse: 422 with positions
        status, _, got = s.post("/api/flows/testamt/main/graph.svg", {"yaml": "flow: [x"})
        assert status == 422 and (got["errors"][0]["line"], got["errors"][0]["col"]) == (2, 1), got
        status, _, _ = s.get("/api/flows/testamt/nosuch/graph.svg")
        assert status == 404
        status, _, _ = s.get("/api/flows/nosuch/main")
        assert status == 404


def test_tenants_and_pages(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        s.login("vera")
        status, _, got = s.get("/api/tenants")
        assert status == 200
        ids = [(t["id"], [f["id"] for f in t["flows"]], t["languages"]) for t in got["tenants"]]
        assert ids == [("testamt", ["main"], ["de", "en", "ar"]),
                       ("zweitamt", ["main"], ["en", "de"])], ids
        assert got["tenants"][0]["flows"][0] == {"id": "main", "file": "main.yaml",
                                                  "title": "Angebote finden"}
        # the staff pages come from <ui>/staff/ with a strict policy
        status, h, body = srv.http_get("staff", "/staff/")
        assert status == 200 and h["content-type"] == "text/html; charset=utf-8", h
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "frame-src 'self' " + srv.urls["kiosk"].rstrip("/") in h["content-security-policy"]
        status, h, _ = srv.http_get("staff", "/staff")
        assert status == 302 and h["location"] == "/staff/"
        # ("/" redirects to /staff/: test_staff_root.py)
        for path in ["/staff/../lotse.yaml", "/staff/.hidden", "/index.html"]:
            status, _, _ = srv.http_get("staff", path)
            assert status == 404, path


if __name__ == "__main__":
    main([test_invalid_yaml_keeps_serving, test_publish_during_conversation, test_conflicts,
          test_history_diff_rollback, test_preview, test_english_preview, test_graph,
          test_tenants_and_pages])
