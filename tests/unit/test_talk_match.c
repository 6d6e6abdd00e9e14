/* test_talk_match.c - offer ranking by facts (talk/match.c): exclusion on a
 * conflicting fact, open offers, range overlap, score order, file order among
 * equals, the limit, and later facts overriding earlier ones. */
#include "check.h"
#include "talk/match.h"

static const char *v_child[] = {"child"}, *v_parent_adult[] = {"parent", "adult"},
                  *v_0_2[] = {"0-2"}, *v_3_6[] = {"3-6"}, *v_lang[] = {"language", "daycare"},
                  *v_career[] = {"career"};

static struct offer_fact f_kita[] = {{"audience", v_child, 1}, {"age", v_3_6, 1},
                                     {"topic", v_lang, 2}};
static struct offer_fact f_krippe[] = {{"audience", v_child, 1}, {"age", v_0_2, 1}};
static struct offer_fact f_adult[] = {{"audience", v_parent_adult, 2}, {"topic", v_career, 1}};
static struct offer_fact f_open[] = {{"topic", v_lang, 2}};

static struct offer offers[] = {
	{.id = "kita", .facts = f_kita, .nfacts = 3},
	{.id = "krippe", .facts = f_krippe, .nfacts = 2},
	{.id = "adult", .facts = f_adult, .nfacts = 2},
	{.id = "open", .facts = f_open, .nfacts = 1},
	{.id = "nofacts"},
};
static struct offer_list list = {.offers = offers, .n = 5};

int main(void)
{
	struct match_result r[8];
	const char *keys[] = {"audience", "age", "topic"};

	CHECK(fact_values_match("3-6", "5"));
	CHECK(fact_values_match("0-2", "2-4"));
	CHECK(!fact_values_match("0-2", "3-6"));
	CHECK(fact_values_match("child", "child"));
	CHECK(!fact_values_match("child", "children"));
	CHECK(!fact_values_match("6-3", "4"));      /* not a range: compared as text */
	CHECK(!fact_values_match("3-", "3"));

	struct fact child4[] = {{"audience", "child"}, {"age", "4"}};
	size_t n = offers_match(&list, child4, 2, keys, 3, r, 8);
	CHECK(n == 3);
	CHECK_STR(r[0].offer->id, "kita");    /* 2 points */
	CHECK(r[0].score == 2);
	CHECK_STR(r[1].offer->id, "open");    /* 0 points, file order */
	CHECK_STR(r[2].offer->id, "nofacts");
	CHECK(r[2].score == 0);

	/* The limit keeps the best. */
	n = offers_match(&list, child4, 2, keys, 3, r, 1);
	CHECK(n == 1);
	CHECK_STR(r[0].offer->id, "kita");

	/* No keys: every fact the conversation has counts. */
	struct fact adult_career[] = {{"audience", "adult"}, {"topic", "career"}};
	n = offers_match(&list, adult_career, 2, NULL, 0, r, 8);
	CHECK(n == 2);
	CHECK_STR(r[0].offer->id, "adult");
	CHECK(r[0].score == 2);
	CHECK_STR(r[1].offer->id, "nofacts");

	/* A later value of the same fact overrides the earlier one. */
	struct fact changed[] = {{"age", "4"}, {"age", "1"}, {"audience", "child"}};
	n = offers_match(&list, changed, 3, keys, 2, r, 8);
	CHECK_STR(r[0].offer->id, "krippe");
	CHECK(r[0].score == 2);
	CHECK(n == 3); /* krippe, open, nofacts */

	/* Keys the conversation has no value for are ignored. */
	struct fact none[] = {{"other", "x"}};
	n = offers_match(&list, none, 1, keys, 3, r, 8);
	CHECK(n == 5);
	CHECK_STR(r[0].offer->id, "kita");
	CHECK(offers_match(NULL, none, 1, keys, 3, r, 8) == 0);
	CHECK_DONE();
}
