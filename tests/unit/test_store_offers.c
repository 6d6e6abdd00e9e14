/* test_store_offers.c - store_offers_replace / store_offers_read on a real
 * sqlite file: an exact round trip of every field (NULLs, translator
 * contexts/notes/lines, facts with several or no values, order), replacing
 * with fewer offers, tenants kept apart, a failing replace (duplicate id)
 * leaving the previous offers and search rows intact with a positioned
 * error, and an unknown tenant reading as an empty list. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "store/store.h"

#include "offer_check.h"

/* Sample data: ids deliberately not in alphabetical order, so the file
 * order must come from the position column. */
static const char *age_v[] = {"3-6", "0-2"};
static const char *aud_v[] = {"child"};
static const char *lang_v[] = {"de", "tr", "ar"};
static struct offer_fact facts_full[] = {
	{"audience", aud_v, 1},
	{"age", age_v, 2},
	{"free", NULL, 0},   /* a fact without values survives too */
	{"age", aud_v, 1},   /* repeated key, kept in its place */
};

static struct offer offers_a[] = {
	{
		.id = "zz-kita",
		.title = {"Sprachförderung in der Kita", "offer title", "Kita = Kindertagesstätte", 5},
		.description = {"Spielerisch Deutsch lernen.\nZweite Zeile, \"zitiert\".", NULL, NULL, 6},
		.facts = facts_full,
		.nfacts = 4,
		.district = "Lebenstedt",
		.address = "Marienbruchstraße 1, 38226 Salzgitter",
		.hours = {"Mo–Fr 8–12 Uhr", NULL, "Öffnungszeiten", 12},
		.phone = "+49 5341 839-0",
		.email = "kita@example.org",
		.web = "https://example.org/kita?x=1&y=2",
		.langs = lang_v,
		.nlangs = 3,
		.cost = {"kostenlos", "price", NULL, 14},
		.sample = true,
		.line = 4,
	},
	{
		.id = "aa-eltern",
		.title = {"Elterncafé", NULL, NULL, 17},
		.line = 16,
	},
	{
		.id = "mm-عربي",
		.title = {"دورة اللغة الألمانية", NULL, NULL, 21},
		.description = {"", NULL, NULL, 22}, /* empty, not NULL */
		.langs = lang_v + 2,
		.nlangs = 1,
		.line = 20,
	},
};

static const struct offer_list list_a = {"flows/salzgitter/offers.yaml", offers_a, 3, NULL};

static const struct search_row rows_a[] = {
	{"zz-kita", "de", "sprachforderung in der kita"},
	{"aa-eltern", "de", "elterncafe"},
};

static void test_round_trip(struct store *s)
{
	struct diag d;
	diag_init(&d);
	CHECK(store_offers_replace(s, "salzgitter", &list_a, rows_a, 2, &d) == 0);
	CHECK(diag_count(&d) == 0);
	struct offer_list *got = store_offers_read(s, "salzgitter", &d);
	CHECK(diag_count(&d) == 0);
	check_list(got, &list_a);
	/* the empty fact and the NULL/empty distinction in detail */
	if (got && got->n == 3 && got->offers[0].nfacts == 4) {
		CHECK(got->offers[0].facts[2].nvalues == 0);
		CHECK(got->offers[0].facts[2].values == NULL);
		CHECK(got->offers[1].description.msgid == NULL);
		CHECK(got->offers[1].nfacts == 0 && got->offers[1].facts == NULL);
		CHECK(got->offers[1].nlangs == 0 && got->offers[1].langs == NULL);
		CHECK_STR(got->offers[2].description.msgid, "");
		CHECK(got->offers[1].sample == false);
	}
	/* the list is one arena: freeing it is offer_list_free (ASan checks) */
	offer_list_free(got);
	/* replacing with the same content again is fine */
	CHECK(store_offers_replace(s, "salzgitter", &list_a, rows_a, 2, &d) == 0);
	got = store_offers_read(s, "salzgitter", &d);
	check_list(got, &list_a);
	offer_list_free(got);
	diag_free(&d);
}

static void test_replace_smaller_and_tenants(struct store *s)
{
	struct diag d;
	diag_init(&d);
	struct offer_list goslar = {"flows/goslar/offers.yaml", offers_a + 1, 1, NULL};
	CHECK(store_offers_replace(s, "goslar", &goslar, NULL, 0, &d) == 0);
	/* salzgitter now has only its second offer */
	struct offer_list smaller = {"flows/salzgitter/offers.yaml", offers_a + 2, 1, NULL};
	CHECK(store_offers_replace(s, "salzgitter", &smaller, NULL, 0, &d) == 0);
	struct offer_list *got = store_offers_read(s, "salzgitter", &d);
	check_list(got, &smaller);
	offer_list_free(got);
	got = store_offers_read(s, "goslar", &d);
	check_list(got, &goslar);
	offer_list_free(got);
	/* an empty list clears the tenant; the file name stays */
	struct offer_list none = {"flows/goslar/offers.yaml", NULL, 0, NULL};
	CHECK(store_offers_replace(s, "goslar", &none, NULL, 0, &d) == 0);
	got = store_offers_read(s, "goslar", &d);
	check_list(got, &none);
	offer_list_free(got);
	CHECK(diag_count(&d) == 0);
	diag_free(&d);
}

static void test_unknown_tenant(struct store *s)
{
	struct diag d;
	diag_init(&d);
	struct offer_list *got = store_offers_read(s, "nowhere", &d);
	CHECK(got != NULL);
	CHECK(got && got->n == 0 && got->offers == NULL && got->file == NULL && got->arena != NULL);
	CHECK(diag_count(&d) == 0);
	offer_list_free(got);
	diag_free(&d);
}

/* A duplicate id makes the PRIMARY KEY fail half-way through: nothing of
 * the new list is kept, the old offers and search rows are all there. */
static void test_failure_rolls_back(struct store *s)
{
	struct diag d;
	diag_init(&d);
	CHECK(store_offers_replace(s, "salzgitter", &list_a, rows_a, 2, &d) == 0);

	struct offer dup[] = {
		{.id = "neu", .title = {"Neu", NULL, NULL, 2}, .line = 1},
		{.id = "doppelt", .title = {"Eins", NULL, NULL, 5}, .line = 4},
		{.id = "doppelt", .title = {"Zwei", NULL, NULL, 8}, .line = 7},
	};
	struct offer_list bad = {"flows/salzgitter/offers.yaml", dup, 3, NULL};
	struct search_row r = {"neu", "de", "neu"};
	CHECK(store_offers_replace(s, "salzgitter", &bad, &r, 1, &d) == -1);
	CHECK(diag_count(&d) == 1);
	if (d.n == 1) {
		CHECK_STR(d.items[0].file, "flows/salzgitter/offers.yaml");
		CHECK(d.items[0].line == 7);
		CHECK(d.items[0].col == 0);
		CHECK_STR(d.items[0].message,
		          "cannot store offer \"doppelt\" of tenant salzgitter: "
		          "insert into offers: UNIQUE constraint failed: offers.tenant, offers.id");
	}
	diag_free(&d);
	diag_init(&d);
	struct offer_list *got = store_offers_read(s, "salzgitter", &d);
	check_list(got, &list_a);
	offer_list_free(got);
	const char *ids[4];
	CHECK(store_search(s, "salzgitter", "de", "neu", ids, 4) == 0);
	CHECK(store_search(s, "salzgitter", "de", "elterncafe", ids, 4) == 1);
	/* the store is usable again: the transaction was closed */
	CHECK(store_offers_replace(s, "salzgitter", &list_a, rows_a, 2, &d) == 0);
	CHECK(diag_count(&d) == 0);
	diag_free(&d);
}

/* A NULL id (the loader never produces one) fails on NOT NULL, reported
 * at the offer's line. */
static void test_null_id(struct store *s)
{
	struct diag d;
	diag_init(&d);
	struct offer o = {.id = NULL, .line = 9};
	struct offer_list bad = {NULL, &o, 1, NULL};
	CHECK(store_offers_replace(s, "salzgitter", &bad, NULL, 0, &d) == -1);
	char buf[512];
	if (d.n == 1) {
		char want[512];
		snprintf(want, sizeof want,
		         "%s/offers.db:9: cannot store offer \"(no id)\" of tenant salzgitter: "
		         "insert into offers: NOT NULL constraint failed: offers.id",
		         tmpdir);
		CHECK_STR(diag_format(&d, 0, buf, sizeof buf), want);
	}
	CHECK(diag_count(&d) == 1);
	diag_free(&d);
}

static void test_reopen(const char *path)
{
	char err[256] = "";
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	struct diag d;
	diag_init(&d);
	struct offer_list *got = store_offers_read(s, "salzgitter", &d);
	check_list(got, &list_a);
	offer_list_free(got);
	diag_free(&d);
	store_close(s);
}

int main(void)
{
	char path[128], err[256] = "";
	tmp_setup();
	snprintf(path, sizeof path, "%s/offers.db", tmpdir);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (s) {
		test_round_trip(s);
		test_replace_smaller_and_tenants(s);
		test_unknown_tenant(s);
		test_failure_rolls_back(s);
		test_null_id(s);
		store_close(s);
		test_reopen(path);
	} else {
		fprintf(stderr, "store_open: %s\n", err);
	}
	tmp_cleanup();
	CHECK_DONE();
}
