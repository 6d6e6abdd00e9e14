"""test_staff_content.py - offers and translations in the staff area against
a real server: offers are listed, created, edited and retired with the
offers validator, revisions and conflict checks, and the live search finds
a new offer; translation coverage and the untranslated texts with their
references; downloading a .po; a good .po upload changes what a new English
conversation says (a running one keeps its words); a broken one is refused
with msgfmt's error lines and changes nothing.
"""

import hashlib
import os
import re

from lotse_harness import Client, main, run
from staff_harness import Staff, db_rows, query, read, staff_server

NEW_OFFER = {
    "id": "lesepaten", "title": "Lesepaten Süd", "description": "Vorlesen für Kinder.",
    "facts": {"audience": ["child"], "age": ["6-10"]}, "district": "Süd",
    "address": "Leseweg 3, 12345 Teststadt", "hours": "Di 15–17 Uhr",
    "email": "lesen@example.org", "languages": ["de", "uk"],
    "cost": {"text": "kostenlos", "note": "Preis"}, "sample": True,
}


def offers_file(srv):
    return read(os.path.join(srv.flows, "testamt", "offers.yaml"))


def test_offers(args):
    async def body(srv):
        s = Staff(srv)
        s.login("anna")
        status, _, got = s.get("/api/offers/testamt")
        assert status == 200 and [o["id"] for o in got["offers"]] == \
            ["krippe-sonne", "sprachkita", "deutschkurs"], got
        assert got["offers"][1]["facts"] == {"audience": ["child"], "age": ["3-6"]}
        assert got["revision"] is None and got["changed_on_disk"] is False
        status, _, one = s.get("/api/offers/testamt/sprachkita")
        assert status == 200 and one["title"] == "Sprach-Kita Regenbogen" and "email" not in one
        base = {"base_revision": got["revision"], "base_hash": got["hash"]}
        # the validator's errors come back with positions in the written file
        bad = dict(NEW_OFFER, email="lesen-at-example")
        status, _, err = s.post("/api/offers/testamt", dict(base, offer=bad))
        assert status == 422, err
        assert [(e["file"], e["message"]) for e in err["errors"]] == \
            [("flows/testamt/offers.yaml", 'invalid email address "lesen-at-example"')], err
        assert err["errors"][0]["line"] > 30
        status, _, err = s.post("/api/offers/testamt", dict(base, offer=dict(NEW_OFFER, title=7)))
        assert status == 400 and err["message"] == '"title" muss ein Text oder {"text", ' \
            '"context", "note"} sein', err
        status, _, err = s.post("/api/offers/testamt", dict(base, offer=dict(NEW_OFFER, prize=1)))
        assert status == 400 and "prize" in err["message"], err
        missing = {k: v for k, v in NEW_OFFER.items() if k != "district"}
        status, _, err = s.post("/api/offers/testamt", dict(base, offer=missing))
        assert status == 422 and "district" in err["errors"][0]["message"], err
        assert db_rows(srv, "SELECT count(*) FROM revisions") == [(0,)]
        # create
        status, _, got = s.post("/api/offers/testamt",
                                dict(base, offer=NEW_OFFER, message="Lesepaten neu"))
        assert status == 201 and got["revision"] == 2, got
        text = offers_file(srv)
        assert text.startswith("# offers.yaml - the offers of this education office"), text
        assert '  - id: "lesepaten"\n    title: "Lesepaten Süd"\n' in text, text
        assert '    cost: { text: "kostenlos", note: "Preis" }\n' in text, text
        status, _, got = s.get("/api/offers/testamt/lesepaten")
        assert got == NEW_OFFER, got
        # the live content has it: the search finds it
        conv = await Client.open(srv.urls["socket"])
        await conv.call({"type": "start", "tenant": "testamt"}, "step")
        answer = await conv.call({"type": "ask", "text": "Lesepaten"}, "answer")
        assert [o["id"] for o in answer["offers"]] == ["lesepaten"], answer
        await conv.close()
        # edit (the id stays), conflict with a stale base, retire
        cur = s.get("/api/offers/testamt")[2]
        base2 = {"base_revision": cur["revision"], "base_hash": cur["hash"]}
        status, _, got = s.put("/api/offers/testamt/lesepaten",
                               dict(base2, offer=dict(NEW_OFFER, hours="Mi 16–18 Uhr")))
        assert status == 200 and got["revision"] == 3, got
        assert '    hours: "Mi 16–18 Uhr"\n' in offers_file(srv)
        status, _, got = s.put("/api/offers/testamt/lesepaten",
                               dict(base2, offer=dict(NEW_OFFER, hours="Do")))
        assert status == 409 and got["revision"] == 3, got
        status, _, got = s.put("/api/offers/testamt/lesepaten",
                               dict(base2, offer=dict(NEW_OFFER, id="anders")))
        assert status == 400, got
        status, _, got = s.put("/api/offers/testamt/gibtsnicht", dict(base2, offer=NEW_OFFER))
        assert status == 404, got
        cur = s.get("/api/offers/testamt")[2]
        status, _, got = s.post("/api/offers/testamt/lesepaten/retire",
                                {"base_revision": cur["revision"], "base_hash": cur["hash"]})
        assert status == 200 and got["revision"] == 4, got
        assert "lesepaten" not in offers_file(srv)
        status, _, revs = s.get("/api/revisions?" + query(path="flows/testamt/offers.yaml"))
        assert [(r["id"], r["author"], r["message"]) for r in revs["revisions"]] == [
            (4, "anna", "Angebot lesepaten zurückgezogen"),
            (3, "anna", "Angebot lesepaten geändert"), (2, "anna", "Lesepaten neu"),
            (1, "disk", "Stand vor der ersten Änderung im Mitarbeiterbereich")], revs
        # kept in the revisions
        status, _, rv = s.get("/api/revisions/3")
        assert '"lesepaten"' in rv["content"] and "Mi 16–18 Uhr" in rv["content"]
        _, _, audit = s.get("/api/audit")
        assert [e["action"] for e in audit["entries"][:3]] == \
            ["offer_retire", "offer_edit", "offer_create"], audit

    with staff_server(args) as srv:
        run(body(srv))


def test_translation_status(args):
    with staff_server(args) as srv:
        s = Staff(srv)
        s.login("vera")
        status, _, got = s.get("/api/translations")
        assert status == 200, got
        rows = {(t["id"], l["lang"]): (l["translated"], l["fuzzy"], l["untranslated"])
                for t in got["tenants"] for l in t["languages"]}
        # 58 of the texts are the speech words (msgctxt "speech: ..."), 8 the kiosk's feedback and
        # privacy words, translated in the fixtures.
        assert rows[("testamt", "en")] == (109, 0, 0) and rows[("testamt", "ar")] == (107, 0, 2), rows
        status, _, got = s.get("/api/translations/testamt/ar")
        assert status == 200 and got["tenant"] == "testamt" and got["lang"] == "ar", got
        assert len(got["texts"]) == 2, got
        for t in got["texts"]:
            assert t["state"] == "untranslated" and t["refs"], t
            for ref in t["refs"]:
                assert re.fullmatch(r"(flows/testamt/[a-z]+\.yaml|src/[a-z/_]+\.c):\d+", ref), ref
        status, _, got = s.get("/api/translations/testamt/en")
        assert got["texts"] == []
        status, _, _ = s.get("/api/translations/testamt/xx")
        assert status == 404
        # downloads
        path = os.path.join(srv.po_dir, "en.po")
        status, h, raw = s.get("/api/po/en.po")
        assert status == 200 and raw == read(path, "rb")
        assert h["content-type"] == "text/x-gettext-translation; charset=utf-8"
        assert h["content-disposition"] == 'attachment; filename="en.po"'
        assert h["x-lotse-hash"] == hashlib.blake2b(raw, digest_size=32).hexdigest()
        assert h["x-lotse-revision"] == "0"
        status, _, _ = s.get("/api/po/lotse.pot")
        assert status == 404
        with open(os.path.join(srv.po_dir, "lotse.pot"), "w") as f:
            f.write('msgid ""\nmsgstr ""\n')
        status, _, raw = s.get("/api/po/lotse.pot")
        assert status == 200 and raw == b'msgid ""\nmsgstr ""\n'


def test_po_upload(args):
    async def body(srv):
        s = Staff(srv)
        s.login("anna")
        po_path = os.path.join(srv.po_dir, "en.po")
        mo_path = os.path.join(srv.mo_dir, "en.mo")
        old_po, old_mo = read(po_path, "rb"), read(mo_path, "rb")
        running = await Client.open(srv.urls["socket"])
        step = await running.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        assert step["text"] == "Who are you looking for an offer for?"
        _, h, _ = s.get("/api/po/en.po")
        good = old_po.replace(b'msgstr "Who are you looking for an offer for?"',
                              b'msgstr "Whom are you looking for?"')
        # broken: a syntax error, and a format that does not fit its msgid
        lines = old_po.split(b"\n")
        n = lines.index(b'msgstr "Who are you looking for an offer for?"')
        broken = b"\n".join(lines[:n] + [b'msgstr "Who are you looking'] + lines[n + 1:])
        bad_format = old_po.replace(b'msgstr[0] "%d offer"', b'msgstr[0] "%s offer"')
        # (msgfmt reports the open string at the line after it, where it noticed)
        for bad, line in [(broken, n + 2), (bad_format, None)]:
            status, _, got = s.request("PUT", "/api/po/en.po?" + query(base_hash=h["x-lotse-hash"]),
                                       bad, content_type="text/x-gettext-translation")
            assert status == 422 and got["error"] == "invalid", got
            assert all(e["file"] == "po/en.po" for e in got["errors"]), got
            assert "po/en.po:" in got["output"] and "/tmp" not in got["output"], got
            if line:
                assert got["errors"][0]["line"] == line, got
            else:
                assert any("format specification" in e["message"] for e in got["errors"]), got
            assert read(po_path, "rb") == old_po and read(mo_path, "rb") == old_mo
        assert db_rows(srv, "SELECT count(*) FROM revisions") == [(0,)]
        _, _, audit = s.get("/api/audit")
        assert [e["action"] for e in audit["entries"][:2]] == ["po_rejected", "po_rejected"]
        # a stale base is a conflict
        status, _, got = s.request("PUT", "/api/po/en.po?" + query(base_hash="0" * 64), good,
                                   content_type="text/x-gettext-translation")
        assert status == 409, got
        # the good one: written, compiled, installed, reloaded
        status, _, got = s.request("PUT", "/api/po/en.po?" + query(
            base_revision=0, base_hash=h["x-lotse-hash"], message="kürzer"), good,
            content_type="text/x-gettext-translation")
        assert status == 200 and got["revision"] == 2 and got["generation"] == 2, got
        assert read(po_path, "rb") == good
        assert b"Whom are you looking for?" in read(mo_path, "rb")
        new = await Client.open(srv.urls["socket"])
        step = await new.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        assert step["text"] == "Whom are you looking for?", step
        # the running conversation keeps the catalogue it started with
        step = await running.call({"type": "choose", "choice": "child"}, "step")
        step = await running.call({"type": "back"}, "step")
        assert step["text"] == "Who are you looking for an offer for?", step
        # and a rollback brings the old words back
        _, h2, _ = s.get("/api/po/en.po")
        assert h2["x-lotse-revision"] == "2"
        status, _, got = s.post("/api/revisions/1/rollback",
                                {"base_revision": 2, "base_hash": h2["x-lotse-hash"]})
        assert status == 200 and got["revision"] == 3, got
        assert read(po_path, "rb") == old_po
        step = await new.call({"type": "restart"}, "step")
        assert step["text"] == "Who are you looking for an offer for?", step
        await running.close()
        await new.close()
        _, _, audit = s.get("/api/audit")
        assert [e["action"] for e in audit["entries"][:2]] == ["rollback", "po_upload"]

    with staff_server(args) as srv:
        run(body(srv))


if __name__ == "__main__":
    main([test_offers, test_translation_status, test_po_upload])
