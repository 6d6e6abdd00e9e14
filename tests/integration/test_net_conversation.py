"""test_net_conversation.py - whole conversations over a real socket in
German, English and Arabic against `lotse serve` with the fixture in
tests/data/net (texts asserted exactly as the catalogues have them), plus
"ask" (free-text search), the tenants list, resume after a dropped
connection and the resume window.
"""

import asyncio
import re

import websockets

from lotse_harness import Client, Server, main, run, token_id

TOKEN = re.compile(r"^[0-9a-f]{32}$")   # no resume_key_file: the id alone

CONTACT_DE = {"name": "Bildungsbüro Testamt", "person": "Frau Muster",
              "address": "Teststraße 1, 12345 Teststadt", "phone": "+49 30 000000",
              "email": "bildung@example.org", "web": "https://example.org/",
              "hours": "Mo–Fr 9–12 Uhr"}


def step_shape(s):
    assert s["type"] == "step", s
    assert set(s) == {"type", "tenant", "lang", "dir", "node", "flow", "kind", "text", "choices",
                      "offers", "offers_text", "contact", "can_back", "terminal", "token"}, s
    assert TOKEN.match(s["token"]), s["token"]


def choices(s):
    return [(c["id"], c["label"]) for c in s["choices"]]


def test_tenants_list(args):
    async def body(url):
        c = await Client.open(url)
        assert c.tenants == [
            {"id": "testamt", "name": "Testamt für Bildung", "default_lang": "de", "sample": True,
             "languages": [{"code": "de", "autonym": "Deutsch", "dir": "ltr"},
                           {"code": "en", "autonym": "English", "dir": "ltr"},
                           {"code": "ar", "autonym": "العربية", "dir": "rtl"}],
             # the name in every language that translates it (msgctxt "office name")
             "names": {"de": "Testamt für Bildung", "en": "Test Office for Education",
                       "ar": "مكتب التعليم التجريبي"}},
            # named in its own default language (English)
            {"id": "zweitamt", "name": "Second Office", "default_lang": "en", "sample": False,
             "languages": [{"code": "en", "autonym": "English", "dir": "ltr"},
                           {"code": "de", "autonym": "Deutsch", "dir": "ltr"}],
             "names": {"en": "Second Office", "de": "Zweites Amt"}},
        ], c.tenants
        again = await c.call({"type": "tenants"}, "tenants")
        assert again["tenants"] == c.tenants
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"]))


def test_german(args):
    async def body(url):
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "testamt"}, "step")
        step_shape(s)
        token = s["token"]
        assert (s["tenant"], s["lang"], s["dir"], s["flow"], s["node"], s["kind"]) == \
            ("testamt", "de", "ltr", "main", "who", "ask")
        assert s["text"] == "Für wen suchen Sie ein Angebot?"
        assert choices(s) == [("child", "Für mein Kind"), ("me", "Für mich selbst"),
                              ("person", "Mit jemandem sprechen")]
        assert s["offers"] == [] and s["offers_text"] is None and s["contact"] is None
        assert s["can_back"] is False and s["terminal"] is False

        s = await c.call({"type": "choose", "choice": "child"}, "step")
        assert (s["node"], s["text"], s["can_back"]) == ("child_age", "Wie alt ist Ihr Kind?", True)
        assert choices(s) == [("small", "unter 3 Jahre"), ("kita", "3 bis 6 Jahre")]
        assert s["token"] == token

        s = await c.call({"type": "choose", "choice": "small"}, "step")
        assert (s["node"], s["kind"]) == ("krippe_info", "say")
        assert s["text"] == "Für Kinder unter 3 Jahren gibt es Krippen und Tagespflege."
        assert choices(s) == [("next", "Weiter")]

        s = await c.call({"type": "choose", "choice": "next"}, "step")
        assert (s["node"], s["kind"], s["text"]) == ("results", "offers",
                                                     "Diese Angebote passen zu Ihnen.")
        assert s["offers_text"] == "1 Angebot"
        assert s["offers"] == [{
            "id": "krippe-sonne", "title": "Krippe Sonnenschein",
            "description": "Betreuung für Kinder unter 3 Jahren.", "district": "Mitte",
            "address": "Sonnenweg 2, 12345 Teststadt", "hours": "Mo–Fr 7–16 Uhr",
            "phone": "+49 30 000001", "email": "krippe@example.org",
            "web": "https://example.org/krippe",
            "languages": [{"code": "de", "autonym": "Deutsch"},
                          {"code": "ar", "autonym": "العربية"}],
            "cost": "nach Einkommen", "sample": True}], s["offers"]
        assert s["contact"] == CONTACT_DE, s["contact"]
        assert choices(s) == [("person", "Mit jemandem sprechen")] and s["terminal"] is False

        s = await c.call({"type": "back"}, "step")
        assert s["node"] == "krippe_info"
        s = await c.call({"type": "back"}, "step")
        assert s["node"] == "child_age"
        s = await c.call({"type": "choose", "choice": "kita"}, "step")
        assert s["node"] == "results" and [o["id"] for o in s["offers"]] == ["sprachkita"]
        assert s["offers"][0]["email"] is None and s["offers"][0]["web"] is None

        s = await c.call({"type": "choose", "choice": "person"}, "step")
        assert (s["node"], s["kind"], s["text"]) == ("contact", "person",
                                                     "Wir helfen Ihnen gern weiter.")
        assert s["terminal"] is True and s["choices"] == [] and s["contact"] == CONTACT_DE

        # ask: a free-text search that does not move the conversation
        a = await c.call({"type": "ask", "text": "Deutschkurs"}, "answer")
        assert a["query"] == "Deutschkurs" and a["text"] == "1 Angebot", a
        assert [o["id"] for o in a["offers"]] == ["deutschkurs"]
        assert a["offers"][0]["title"] == "Deutschkurs für Erwachsene"
        a = await c.call({"type": "ask", "text": "Zebrastreifen"}, "answer")
        assert a["text"] == "0 Angebote" and a["offers"] == [], a
        s = await c.call({"type": "back"}, "step")
        assert s["node"] == "results"   # the step before the person node: unchanged by ask

        s = await c.call({"type": "restart"}, "step")
        assert (s["node"], s["can_back"], token_id(s["token"])) == ("who", False, token_id(token))
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"]))


def test_english_and_switching(args):
    async def body(url):
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        assert (s["lang"], s["text"]) == ("en", "Who are you looking for an offer for?")
        assert choices(s) == [("child", "For my child"), ("me", "For myself"),
                              ("person", "Talk to a person")]
        s = await c.call({"type": "choose", "choice": "me"}, "step")
        assert (s["node"], s["kind"], s["text"]) == ("adult_results", "offers",
                                                     "These offers fit you.")
        assert s["offers_text"] == "1 offer" and s["terminal"] is True
        o = s["offers"][0]
        assert (o["id"], o["title"], o["description"], o["hours"], o["cost"]) == (
            "deutschkurs", "German course for adults", "Learn German in the evening, all levels.",
            "Tue and Thu 6pm–8pm", "free of charge"), o
        assert [l["autonym"] for l in o["languages"]] == ["Deutsch", "English", "العربية",
                                                          "Українська"]
        assert s["contact"]["name"] == "Test Education Office"
        assert s["contact"]["hours"] == "Mon–Fri 9am–12pm"
        # switch language at any step without losing the place
        s = await c.call({"type": "language", "lang": "de"}, "step")
        assert (s["node"], s["lang"], s["text"], s["offers_text"]) == (
            "adult_results", "de", "Diese Angebote passen zu Ihnen.", "1 Angebot")
        s = await c.call({"type": "language", "lang": "ar"}, "step")
        assert (s["dir"], s["text"], s["offers_text"]) == ("rtl", "هذه العروض تناسبك.", "عرض واحد")
        s = await c.call({"type": "back"}, "step")
        assert (s["node"], s["lang"], s["text"]) == ("who", "ar", "لمن تبحث عن عرض؟")

        # the second office: English by default, one closing step
        s = await c.call({"type": "start", "tenant": "zweitamt"}, "step")
        assert (s["tenant"], s["lang"], s["kind"], s["text"], s["terminal"]) == (
            "zweitamt", "en", "end", "Goodbye!", True)
        e = await c.call({"type": "back"}, "error")
        assert e == {"type": "error", "code": "cannot_back",
                     "message": "You are already at the beginning."}
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"]))


def test_arabic(args):
    async def body(url):
        c = await Client.open(url)
        s = await c.call({"type": "start", "tenant": "testamt", "lang": "ar"}, "step")
        assert (s["lang"], s["dir"], s["text"]) == ("ar", "rtl", "لمن تبحث عن عرض؟")
        assert choices(s) == [("child", "لطفلي"), ("me", "لنفسي"), ("person", "التحدث مع شخص")]
        s = await c.call({"type": "choose", "choice": "child"}, "step")
        assert s["text"] == "كم عمر طفلك؟"
        assert choices(s) == [("small", "أقل من 3 سنوات"), ("kita", "من 3 إلى 6 سنوات")]
        s = await c.call({"type": "choose", "choice": "small"}, "step")
        assert s["text"] == "للأطفال دون 3 سنوات توجد دور حضانة ورعاية نهارية."
        assert choices(s) == [("next", "متابعة")]
        s = await c.call({"type": "choose", "choice": "next"}, "step")
        assert (s["text"], s["offers_text"]) == ("هذه العروض تناسبك.", "عرض واحد")
        o = s["offers"][0]
        assert (o["title"], o["description"], o["hours"], o["cost"]) == (
            "حضانة الشمس", "رعاية للأطفال دون 3 سنوات.", "الاثنين–الجمعة 7–16", "حسب الدخل")
        # not translated into Arabic: falls back to English
        assert s["contact"]["hours"] == "Mon–Fri 9am–12pm"
        assert s["contact"]["name"] == "مكتب التعليم التجريبي"
        s = await c.call({"type": "choose", "choice": "person"}, "step")
        assert (s["kind"], s["text"], s["terminal"]) == ("person", "يسعدنا مساعدتك.", True)
        a = await c.call({"type": "ask", "text": "دورة"}, "answer")
        assert [x["id"] for x in a["offers"]] == ["deutschkurs"], a
        assert a["text"] == "عرض واحد" and a["offers"][0]["title"] == "دورة اللغة الألمانية للكبار"
        a = await c.call({"type": "ask", "text": "qqqq"}, "answer")
        assert (a["text"], a["offers"]) == ("لا توجد عروض", [])
        e = await c.call({"type": "choose", "choice": "nope"}, "error")
        assert e == {"type": "error", "code": "unknown_choice",
                     "message": "هذا الاختيار غير موجود هنا."}
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"]))
        m = srv.metrics()
        assert m['lotse_turns_total{lang="ar"}'] == 7, m  # 5 steps, 2 answers
        assert m['lotse_errors_total{code="unknown_choice"}'] == 1, m
        assert m['lotse_fallback_lookups_total{lang="ar"}'] >= 1, m


def test_resume(args):
    async def body(url):
        a = await Client.open(url)
        s = await a.call({"type": "start", "tenant": "testamt", "lang": "en"}, "step")
        token = s["token"]
        await a.call({"type": "choose", "choice": "child"}, "step")
        await a.close()
        # a new connection takes the conversation back where it was
        b = await Client.open(url)
        s = await b.call({"type": "resume", "token": token}, "step")
        assert (s["node"], s["lang"], token_id(s["token"]), s["can_back"]) == \
            ("child_age", "en", token_id(token), True)
        s = await b.call({"type": "choose", "choice": "kita"}, "step")
        assert s["node"] == "results"
        # resuming while the old link is still open moves it to the new one
        c = await Client.open(url)
        s = await c.call({"type": "resume", "token": token}, "step")
        assert s["node"] == "results"
        try:
            await asyncio.wait_for(b.ws.recv(), 30)
            raise AssertionError("the old connection got a message")
        except websockets.exceptions.ConnectionClosed as e:
            assert e.rcvd is not None and e.rcvd.code == 4000, e
        s = await c.call({"type": "back"}, "step")
        assert s["node"] == "child_age"
        e = await c.call({"type": "resume", "token": "0" * 32}, "error")
        assert e == {"type": "error", "code": "bad_token",
                     "message": "This conversation has expired. Please start a new one."}
        e = await c.call({"type": "resume", "token": "not a token"}, "error")
        assert e["code"] == "bad_token"
        s = await c.call({"type": "choose", "choice": "small"}, "step")   # still usable
        assert s["node"] == "krippe_info"
        await c.close()

    with Server(args) as srv:
        run(body(srv.urls["socket"]))


def test_resume_window(args):
    async def body(srv):
        url = srv.urls["socket"]
        a = await Client.open(url)
        token = (await a.call({"type": "start"}, "step"))["token"]
        await a.close()
        # the detached conversation ends after the window (1 s here)
        await asyncio.get_running_loop().run_in_executor(
            None, srv.wait_metric, "lotse_sessions_open", 0)
        b = await Client.open(url)
        e = await b.call({"type": "resume", "token": token}, "error")
        assert e == {"type": "error", "code": "bad_token",
                     "message": "Dieses Gespräch ist abgelaufen. Bitte beginnen Sie ein neues."}
        await b.close()

    with Server(args, config={"resume_window": 1}) as srv:
        run(body(srv))


def test_max_sessions(args):
    async def body(url):
        a = await Client.open(url)
        b = await Client.open(url)
        token_a = (await a.call({"type": "start"}, "step"))["token"]
        await b.call({"type": "start"}, "step")
        await a.close()                     # a's conversation waits detached
        c = await Client.open(url)
        s = await c.call({"type": "start", "lang": "en"}, "step")   # ends a's to make room
        assert s["node"] == "who"
        d = await Client.open(url)
        e = await d.call({"type": "resume", "token": token_a}, "error")
        assert e["code"] == "bad_token", e
        e = await d.call({"type": "start"}, "error")    # b and c are both in use
        assert e == {"type": "error", "code": "busy", "message":
                     "Gerade sind sehr viele Gespräche offen. Bitte versuchen Sie es gleich "
                     "noch einmal."}, e
        s = await c.call({"type": "start", "tenant": "zweitamt"}, "step")  # replaces its own
        assert s["text"] == "Goodbye!"
        await b.close()
        await c.close()
        await d.close()

    with Server(args, config={"max_sessions": 2}) as srv:
        run(body(srv.urls["socket"]))
        assert srv.metrics()['lotse_errors_total{code="busy"}'] == 1


if __name__ == "__main__":
    main([test_tenants_list, test_german, test_english_and_switching, test_arabic, test_resume,
          test_resume_window, test_max_sessions])
