/* test_talk_engine.c - the conversation engine on the test content: every
 * transition (choose, back, restart, language, branch, goto, say/next),
 * rendering in de/en/ar with plural forms and fallbacks, errors that leave
 * the session unchanged, save/restore, and snapshots across a reload. */
#include "check.h"
#include "fixture.h"
#include "talk/talk.h"

static struct talk_step st;

static void render(struct talk_session *s)
{
	talk_render(s, &st);
}

static void test_walk_child(struct content *c)
{
	struct talk_session s;
	CHECK(talk_start(&s, c, NULL, NULL) == TALK_OK);
	render(&s);
	CHECK_STR(st.tenant, "testamt");
	CHECK_STR(st.lang, "de");
	CHECK_STR(st.dir, "ltr");
	CHECK_STR(st.node, "who");
	CHECK_STR(st.text, "Für wen suchen Sie ein Angebot?");
	CHECK(st.nchoices == 3);
	CHECK_STR(st.choices[0].id, "child");
	CHECK_STR(st.choices[2].label, "Mit jemandem sprechen");
	CHECK(!st.can_back && !st.terminal);

	CHECK(talk_choose(&s, "child") == TALK_OK);
	CHECK(talk_choose(&s, "small") == TALK_OK);   /* branch: age 0-2 -> krippe_info */
	render(&s);
	CHECK_STR(st.node, "krippe_info");
	CHECK(st.kind == NODE_SAY);
	CHECK(st.nchoices == 1);
	CHECK_STR(st.choices[0].id, "next");
	CHECK_STR(st.choices[0].label, "Weiter");
	CHECK(st.can_back);

	CHECK(talk_choose(&s, "next") == TALK_OK);
	render(&s);
	CHECK_STR(st.node, "results");
	CHECK(st.noffers == 1);
	CHECK_STR(st.offers[0].offer->id, "krippe-sonne");
	CHECK(st.offers[0].score == 2);
	CHECK_STR(st.offers_count_text, "1 Angebot");
	CHECK_STR(st.text, "Diese Angebote passen zu Ihnen.");
	CHECK(st.contact != NULL);
	CHECK(!st.terminal);  /* has a "talk to a person" choice */

	/* Back twice restores the facts: choosing 3-6 now finds the Kita. */
	CHECK(talk_back(&s) == TALK_OK);
	render(&s);
	CHECK_STR(st.node, "krippe_info");
	CHECK(talk_back(&s) == TALK_OK);
	render(&s);
	CHECK_STR(st.node, "child_age");
	CHECK(talk_choose(&s, "kita") == TALK_OK);   /* branch otherwise -> results */
	render(&s);
	CHECK_STR(st.node, "results");
	CHECK(st.noffers == 1);
	CHECK_STR(st.offers[0].offer->id, "sprachkita");

	/* Language switch keeps the place and re-renders. */
	CHECK(talk_language(&s, "ar") == TALK_OK);
	render(&s);
	CHECK_STR(st.node, "results");
	CHECK_STR(st.dir, "rtl");
	CHECK_STR(st.text, "هذه العروض تناسبك.");
	CHECK_STR(st.offers_count_text, "عرض واحد");
	CHECK_STR(st.offers[0].title, "روضة قوس قزح اللغوية");
	CHECK_STR(st.offers[0].cost, "مجانًا");
	CHECK(talk_language(&s, "en") == TALK_OK);
	render(&s);
	CHECK_STR(st.offers_count_text, "1 offer");
	CHECK_STR(st.offers[0].title, "Rainbow Language Daycare");
	CHECK_STR(st.lang, "en");
	CHECK_STR(st.dir, "ltr");

	/* Errors leave the session where it was. */
	CHECK(talk_language(&s, "fr") == TALK_ERR_UNKNOWN_LANG);
	CHECK(talk_choose(&s, "nope") == TALK_ERR_UNKNOWN_CHOICE);
	render(&s);
	CHECK_STR(st.node, "results");
	CHECK_STR(st.lang, "en");

	CHECK(talk_choose(&s, "person") == TALK_OK);
	render(&s);
	CHECK(st.kind == NODE_PERSON);
	CHECK(st.terminal);
	CHECK_STR(st.contact->phone, "+49 30 000000");
	CHECK_STR(st.text, "We are glad to help you.");

	CHECK(talk_restart(&s, NULL) == TALK_OK);
	render(&s);
	CHECK_STR(st.node, "who");
	CHECK_STR(st.lang, "en");
	CHECK(!st.can_back);
	CHECK(talk_back(&s) == TALK_ERR_CANNOT_BACK);
	talk_end(&s);
}

static void test_goto_context_fallback(struct fixture *fx, struct content *c)
{
	struct talk_session s;
	CHECK(talk_start(&s, c, "testamt", "en") == TALK_OK);
	CHECK(talk_choose(&s, "me") == TALK_OK);
	render(&s);
	CHECK_STR(st.node, "adult_intro");
	CHECK_STR(st.text, "Courses");   /* msgctxt entry */
	CHECK(talk_choose(&s, "next") == TALK_OK);  /* goto neu */
	render(&s);
	CHECK_STR(st.flow, "neu");
	CHECK_STR(st.node, "topic");
	CHECK(st.can_back);
	CHECK(talk_choose(&s, "german") == TALK_OK);
	render(&s);
	CHECK(st.noffers == 1);
	CHECK_STR(st.offers[0].offer->id, "deutschkurs");
	CHECK_STR(st.offers[0].title, "German course for adults");
	CHECK(st.terminal);
	CHECK(talk_back(&s) == TALK_OK);
	CHECK(talk_choose(&s, "nothing") == TALK_OK);
	render(&s);
	CHECK(st.kind == NODE_END);
	CHECK_STR(st.text, "Goodbye!");
	CHECK(!st.fell_back);

	/* ar has no "Auf Wiedersehen!": the chain ar -> en is followed and counted. */
	unsigned long before = 0, after = 0;
	for (unsigned i = 0; i < fx->stats.nlangs; i++)
		if (!strcmp(fx->stats.lang[i], "ar"))
			before = fx->stats.fallbacks[i];
	CHECK(talk_language(&s, "ar") == TALK_OK);
	render(&s);
	CHECK_STR(st.text, "Goodbye!");
	CHECK(st.fell_back);
	for (unsigned i = 0; i < fx->stats.nlangs; i++)
		if (!strcmp(fx->stats.lang[i], "ar"))
			after = fx->stats.fallbacks[i];
	CHECK(after == before + 1);
	talk_end(&s);
}

static void test_start_errors(struct content *c)
{
	struct talk_session s;
	memset(&s, 0, sizeof(s));
	CHECK(talk_start(&s, c, "nowhere", NULL) == TALK_ERR_UNKNOWN_TENANT);
	CHECK(talk_start(&s, c, "testamt", "fr") == TALK_ERR_UNKNOWN_LANG);
	CHECK(talk_start(&s, c, "testamt", "toolonglanguagecode") == TALK_ERR_UNKNOWN_LANG);
	CHECK(s.content == NULL);
	CHECK_STR(talk_err_code(TALK_ERR_UNKNOWN_CHOICE), "unknown_choice");
}

static void test_save_restore(struct content *c)
{
	struct talk_session s, r;
	CHECK(talk_start(&s, c, "testamt", "ar") == TALK_OK);
	CHECK(talk_choose(&s, "child") == TALK_OK);
	CHECK(talk_choose(&s, "small") == TALK_OK);
	char *saved = talk_save(&s);
	CHECK(saved != NULL);
	CHECK_STR(saved, "lotse1 testamt ar 3 main who 0 main child_age 0 main krippe_info 1 2 "
	                 "audience child age 0-2");
	CHECK(talk_restore(&r, c, saved) == TALK_OK);
	render(&r);
	CHECK_STR(st.node, "krippe_info");
	CHECK_STR(st.lang, "ar");
	CHECK(talk_back(&r) == TALK_OK);
	render(&r);
	CHECK_STR(st.node, "child_age");
	CHECK(r.nfacts == 1);
	talk_end(&r);
	free(saved);

	const char *bad[] = {
		"", "lotse1", "lotse2 testamt ar 1 main who 0 0",
		"lotse1 testamt ar 1 main nosuchnode 0 0",
		"lotse1 testamt ar 1 main route 0 0",          /* a branch is not a visible step */
		"lotse1 testamt ar 1 main who 0 1 audience villain",  /* value not in any flow */
		"lotse1 testamt ar 1 main who 0 1 audience",
		"lotse1 testamt ar 2 main who 1 main child_age 0 1 audience child",  /* nfacts decrease */
		"lotse1 testamt ar 99999999999 main who 0 0",
		"lotse1 testamt ar 1 main who 0 1 audience %ZZ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum talk_err e = talk_restore(&r, c, bad[i]);
		if (e == TALK_OK) {
			fprintf(stderr, "restore accepted: \"%s\"\n", bad[i]);
			talk_end(&r);
		}
		CHECK(e != TALK_OK);
	}
	CHECK(talk_restore(&r, c, "lotse1 nowhere de 1 main who 0 0") == TALK_ERR_UNKNOWN_TENANT);
	talk_end(&s);
}

static void test_snapshots(struct fixture *fx, struct content *c1)
{
	struct talk_session s;
	CHECK(talk_start(&s, c1, NULL, "de") == TALK_OK);
	CHECK(talk_choose(&s, "child") == TALK_OK);
	struct diag d;
	diag_init(&d);
	struct content *c2 = content_load(&fx->opts, fx->db, &d);
	CHECK(c2 != NULL && c2 != c1);
	diag_free(&d);
	CHECK(s.content == c1);
	CHECK(atomic_load(&c1->refs) == 2);
	CHECK(talk_restart(&s, c2) == TALK_OK);
	CHECK(s.content == c2);
	CHECK(atomic_load(&c1->refs) == 1);
	CHECK(atomic_load(&c2->refs) == 2);
	render(&s);
	CHECK_STR(st.node, "who");
	talk_end(&s);
	content_unref(c2);
}

int main(void)
{
	struct fixture fx;
	struct content *c = fixture_load(&fx, NULL);
	CHECK(c != NULL);
	if (!c)
		return 1;
	test_walk_child(c);
	test_goto_context_fallback(&fx, c);
	test_start_errors(c);
	test_save_restore(c);
	test_snapshots(&fx, c);
	content_unref(c);
	fixture_done(&fx);
	CHECK_DONE();
}
