/* test_store_search.c - store_search on a real sqlite file with bodies folded
 * by text_normalise, as the content loader stores them: German, Turkish
 * (dotted/dotless i), Arabic (hamza, ta marbuta) and Ukrainian texts, prefix
 * words, AND first and OR as fallback, ranking, the 8-word cap, tenant and
 * language isolation, and queries full of FTS5 syntax that must not error. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "i18n/normalise.h"
#include "store/store.h"

/* Raw texts of the search rows; normalised before storing. */
struct raw_row {
	const char *id, *lang, *text;
};

static const struct raw_row salzgitter_rows[] = {
	{"deutsch-eltern", "de", "Deutschkurs Deutschkurs für Eltern"},
	{"sprachcafe", "de", "Sprachcafé mit Deutschkurs und vielen anderen Angeboten in der ganzen Stadt"},
	{"hausaufgaben", "de", "Hausaufgabenhilfe für Kinder"},
	{"schwimmen", "de", "Schwimmen lernen im Hallenbad"},
	{"deutsch-eltern", "tr", "Ebeveynler için Almanca dil kursu"},
	{"sprachcafe", "tr", "Dil okulu ve kafe"},
	{"schwimmen", "tr", "Yüzme öğrenmek: ılık havuz"},
	{"deutsch-eltern", "ar", "دورة اللغة الألمانية للآباء"},
	{"hausaufgaben", "ar", "مساعدة في الواجبات المدرسية"},
	{"deutsch-eltern", "uk", "Курс німецької мови для батьків"},
	{"schwimmen", "uk", "Навчання плаванню"},
	/* a second row for the same offer and language: found once */
	{"schwimmen", "de", "Schwimmkurs für Anfänger"},
};

static const struct raw_row goslar_rows[] = {
	{"goslar-kurs", "de", "Deutschkurs in Goslar"},
	{"goslar-kurs", "tr", "Almanca dil kursu Goslar"},
};

static int store_rows(struct store *s, const char *tenant, const struct raw_row *raw, size_t n)
{
	struct search_row rows[16];
	char *bodies[16];
	struct offer offers[16];
	size_t noffers = 0;
	struct diag d;
	int rc = -1;
	if (n > 16)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bodies[i] = text_normalise(raw[i].text, strlen(raw[i].text));
		rows[i] = (struct search_row){raw[i].id, raw[i].lang, bodies[i] ? bodies[i] : ""};
		size_t j = 0;
		while (j < noffers && strcmp(offers[j].id, raw[i].id))
			j++;
		if (j == noffers)
			offers[noffers++] = (struct offer){.id = raw[i].id, .line = (int)i + 1};
	}
	struct offer_list l = {"offers.yaml", offers, noffers, NULL};
	diag_init(&d);
	rc = store_offers_replace(s, tenant, &l, rows, n, &d);
	if (rc < 0)
		diag_print(&d, stderr);
	diag_free(&d);
	for (size_t i = 0; i < n; i++)
		free(bodies[i]);
	return rc;
}

/* Runs a search and joins the ids with "," (or "error"). */
static const char *search(struct store *s, const char *tenant, const char *lang, const char *q, int max)
{
	static char out[256];
	const char *ids[16];
	int n = store_search(s, tenant, lang, q, ids, max);
	if (n < 0) {
		snprintf(out, sizeof out, "error: %s", store_error(s));
		return out;
	}
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < n && len < sizeof out; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? "," : "", ids[i]);
	return out;
}

/* Both ids in either order (for equal ranks we only promise "both"). */
static int is_pair(const char *got, const char *a, const char *b)
{
	char x[128], y[128];
	snprintf(x, sizeof x, "%s,%s", a, b);
	snprintf(y, sizeof y, "%s,%s", b, a);
	return strcmp(got, x) == 0 || strcmp(got, y) == 0;
}

static void test_german(struct store *s)
{
	/* ranking: two occurrences in a short body beat one in a long body */
	CHECK_STR(search(s, "salzgitter", "de", "Deutschkurs", 10), "deutsch-eltern,sprachcafe");
	CHECK_STR(search(s, "salzgitter", "de", "deutschk", 10), "deutsch-eltern,sprachcafe");
	CHECK_STR(search(s, "salzgitter", "de", "DEUTSCHKURS ELTERN", 10), "deutsch-eltern");
	CHECK_STR(search(s, "salzgitter", "de", "sprachcafe", 10), "sprachcafe");
	CHECK_STR(search(s, "salzgitter", "de", "Sprachcafé", 10), "sprachcafe");
	CHECK_STR(search(s, "salzgitter", "de", "Deutschkurs", 1), "deutsch-eltern");
	/* two rows of one offer: listed once */
	CHECK_STR(search(s, "salzgitter", "de", "schwimm", 10), "schwimmen");
	CHECK_STR(search(s, "salzgitter", "de", "Anfänger", 10), "schwimmen");
}

/* AND first; OR only when AND finds nothing. */
static void test_or_fallback(struct store *s)
{
	/* no body has all three words: OR ranks the ones sharing some */
	const char *got = search(s, "salzgitter", "de", "deutschkurs für kinder", 10);
	CHECK(strstr(got, "deutsch-eltern") && strstr(got, "hausaufgaben") && strstr(got, "sprachcafe"));
	CHECK(strstr(got, "schwimmen") != NULL); /* "fur" in "Schwimmkurs für Anfänger" */
	/* one word matches nothing at all: the others still count */
	CHECK_STR(search(s, "salzgitter", "de", "hausaufgabenhilfe xyzzy", 10), "hausaufgaben");
	/* AND found something: no OR results mixed in */
	CHECK_STR(search(s, "salzgitter", "tr", "dil kursu", 10), "deutsch-eltern");
	/* a single word is never retried */
	CHECK_STR(search(s, "salzgitter", "de", "xyzzy", 10), "");
}

static void test_turkish(struct store *s)
{
	CHECK_STR(search(s, "salzgitter", "tr", "DİL KURSU", 10), "deutsch-eltern");
	CHECK(is_pair(search(s, "salzgitter", "tr", "dil", 10), "deutsch-eltern", "sprachcafe"));
	CHECK(is_pair(search(s, "salzgitter", "tr", "DIL", 10), "deutsch-eltern", "sprachcafe"));
	CHECK_STR(search(s, "salzgitter", "tr", "İÇİN", 10), "deutsch-eltern");
	CHECK_STR(search(s, "salzgitter", "tr", "ILIK", 10), "schwimmen"); /* ılık */
	CHECK_STR(search(s, "salzgitter", "tr", "ögrenmek", 10), "schwimmen");
	CHECK_STR(search(s, "salzgitter", "tr", "ogren", 10), "schwimmen");
}

static void test_arabic(struct store *s)
{
	CHECK_STR(search(s, "salzgitter", "ar", "دوره الالمانيه", 10), "deutsch-eltern");
	CHECK_STR(search(s, "salzgitter", "ar", "دورة اللغة الألمانية", 10), "deutsch-eltern");
	CHECK_STR(search(s, "salzgitter", "ar", "دَوْرَة", 10), "deutsch-eltern"); /* with short vowels */
	CHECK_STR(search(s, "salzgitter", "ar", "الواجبات", 10), "hausaufgaben");
}

static void test_ukrainian(struct store *s)
{
	CHECK_STR(search(s, "salzgitter", "uk", "курс", 10), "deutsch-eltern");
	CHECK_STR(search(s, "salzgitter", "uk", "КУРС НІМЕЦЬКОЇ", 10), "deutsch-eltern");
	CHECK_STR(search(s, "salzgitter", "uk", "німецьк", 10), "deutsch-eltern");
	CHECK_STR(search(s, "salzgitter", "uk", "плаван", 10), "schwimmen");
}

static void test_isolation(struct store *s)
{
	CHECK_STR(search(s, "goslar", "de", "deutschkurs", 10), "goslar-kurs");
	CHECK_STR(search(s, "goslar", "tr", "dil", 10), "goslar-kurs");
	CHECK_STR(search(s, "nowhere", "de", "deutschkurs", 10), "");
	/* the Turkish words are not found in German, nor German in Ukrainian */
	CHECK_STR(search(s, "salzgitter", "de", "almanca", 10), "");
	CHECK_STR(search(s, "salzgitter", "uk", "deutschkurs", 10), "");
	CHECK_STR(search(s, "salzgitter", "fa", "deutschkurs", 10), "");
	/* replacing one tenant keeps the other's index */
	CHECK(store_rows(s, "goslar", goslar_rows, 1) == 0);
	CHECK_STR(search(s, "goslar", "tr", "dil", 10), "");
	CHECK_STR(search(s, "goslar", "de", "goslar", 10), "goslar-kurs");
	CHECK(is_pair(search(s, "salzgitter", "tr", "dil", 10), "deutsch-eltern", "sprachcafe"));
}

static void test_words(struct store *s)
{
	const char *ids[4] = {"untouched"};
	/* empty, blank, and only one-letter words */
	CHECK(store_search(s, "salzgitter", "de", "", ids, 4) == 0);
	CHECK(store_search(s, "salzgitter", "de", "   \t ", ids, 4) == 0);
	CHECK(store_search(s, "salzgitter", "de", NULL, ids, 4) == 0);
	CHECK(store_search(s, "salzgitter", "de", "d e k", ids, 4) == 0);
	CHECK(store_search(s, "salzgitter", "de", "deutschkurs", ids, 0) == 0);
	CHECK_STR(ids[0], "untouched");
	/* one-letter words are dropped, not ANDed */
	CHECK_STR(search(s, "salzgitter", "de", "a deutschkurs e eltern", 10), "deutsch-eltern");
	/* only the first 8 words count: the 9th would match */
	CHECK_STR(search(s, "salzgitter", "de", "qq1 qq2 qq3 qq4 qq5 qq6 qq7 qq8 deutschkurs", 10), "");
	CHECK_STR(search(s, "salzgitter", "de", "qq1 qq2 qq3 qq4 qq5 qq6 qq7 deutschkurs", 10),
	          "deutsch-eltern,sprachcafe");
	/* bad arguments */
	CHECK(store_search(NULL, "salzgitter", "de", "x", ids, 4) == -1);
	CHECK(store_search(s, NULL, "de", "deutschkurs", ids, 4) == -1);
	CHECK(store_search(s, "salzgitter", "de", "deutschkurs", NULL, 4) == -1);
}

/* FTS5 syntax typed by a user is plain text: never an error. */
static void test_garbage(struct store *s)
{
	static const char *const queries[] = {
		"\"", "*", "NEAR(", "AND OR", "AND", "OR NOT", "(", ")", "\"\"\"", "**", "^", "-",
		"NEAR(deutschkurs eltern, 2)", "body:deutschkurs", "{body}: x", "deutschkurs\"*",
		"\"deutschkurs", "deutsch\"kurs", "+ - * / : ; ,", "\\", "' OR 1=1 --", "\x01\x02",
		"\xff\xfe", "dil\"\"", "NOT dil",
	};
	const char *ids[8];
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		int n = store_search(s, "salzgitter", "de", queries[i], ids, 8);
		if (n < 0)
			fprintf(stderr, "query %zu failed: %s\n", i, store_error(s));
		CHECK(n >= 0);
	}
	/* quotes around a real word still find it */
	CHECK_STR(search(s, "salzgitter", "de", "\"deutschkurs", 10), "deutsch-eltern,sprachcafe");
	CHECK_STR(search(s, "salzgitter", "de", "eltern\"", 10), "deutsch-eltern");
	/* operators are words: "and"* is the prefix of "anderen" (OR fallback) */
	CHECK_STR(search(s, "salzgitter", "de", "AND OR", 10), "sprachcafe");
	CHECK_STR(search(s, "salzgitter", "de", "NOT", 10), "");
	CHECK_STR(search(s, "salzgitter", "de", "NEAR(", 10), "");
	CHECK_STR(search(s, "salzgitter", "de", "*", 10), "");
	CHECK_STR(search(s, "salzgitter", "de", "\"", 10), "");
}

/* ids stay valid until the next call and are copies, not sqlite memory */
static void test_id_lifetime(struct store *s)
{
	const char *ids[4];
	int n = store_search(s, "salzgitter", "de", "deutschkurs", ids, 4);
	CHECK(n == 2);
	/* another connection's work and a read on this one do not matter ... */
	struct diag d;
	diag_init(&d);
	struct offer_list *l = store_offers_read(s, "salzgitter", &d);
	offer_list_free(l);
	diag_free(&d);
	if (n == 2) {
		CHECK_STR(ids[0], "deutsch-eltern");
		CHECK_STR(ids[1], "sprachcafe");
	}
}

int main(void)
{
	char path[128], err[256] = "";
	tmp_setup();
	snprintf(path, sizeof path, "%s/search.db", tmpdir);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s) {
		fprintf(stderr, "store_open: %s\n", err);
		tmp_cleanup();
		CHECK_DONE();
	}
	CHECK(store_rows(s, "salzgitter", salzgitter_rows, sizeof salzgitter_rows / sizeof salzgitter_rows[0]) ==
	      0);
	CHECK(store_rows(s, "goslar", goslar_rows, 2) == 0);
	test_german(s);
	test_or_fallback(s);
	test_turkish(s);
	test_arabic(s);
	test_ukrainian(s);
	test_isolation(s);
	test_words(s);
	test_garbage(s);
	test_id_lifetime(s);
	store_close(s);
	tmp_cleanup();
	CHECK_DONE();
}
