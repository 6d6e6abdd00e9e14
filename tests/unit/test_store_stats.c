/* test_store_stats.c - the statistics of the store (stats.h) on a real
 * sqlite file: counter batches add up (UPSERT), a failing batch writes
 * nothing, a search text is stored only once its hash was asked 5 times
 * within the retention window, pruning deletes exactly the old rows and the
 * texts left without rows, and the search key is made once and kept. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tmpdir.h"
#include "store/stats.h"
#include "store/store.h"

/* The first column of the first row of sql as an integer (-1: no row). */
static long long query_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		fprintf(stderr, "%s: %s: %s\n", path, sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The first column of the first row of sql as text in buf ("(none)"). */
static const char *query_text(const char *path, const char *sql, char *buf, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	snprintf(buf, len, "(none)");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

static struct store *open_new(const char *name, char *path, size_t len)
{
	char err[512] = "";
	snprintf(path, len, "%s/%s", tmpdir, name);
	struct store *s = store_open(path, err, sizeof err);
	if (!s)
		fprintf(stderr, "%s\n", err);
	CHECK(s != NULL);
	return s;
}

static void test_counts(void)
{
	char path[256], buf[128];
	struct store *s = open_new("counts.db", path, sizeof path);
	if (!s)
		return;
	struct stats_row a[] = {
		{"2026-12-01", "goslar", "kiosk", "foyer", "de", "", "", "start", "", 4},
		{"2026-12-01", "goslar", "kiosk", "foyer", "de", "main", "who", "reach", "", 4},
		{"2026-12-01", "goslar", "kiosk", "foyer", "de", "main", "who", "choose", "parent", 3},
		{"2026-12-01", "goslar", "web", NULL, "ar", "main", "who", "reach", NULL, 1},
	};
	struct stats_row b[] = {
		{"2026-12-01", "goslar", "kiosk", "foyer", "de", "main", "who", "choose", "parent", 2},
		{"2026-12-02", "goslar", "kiosk", "foyer", "de", "", "", "start", "", 1},
		{"2026-12-01", "goslar", "kiosk", "foyer", "de", "", "", "start", "", 1},
	};
	CHECK(store_stats_add(s, a, 4) == 0);
	CHECK(store_stats_add(s, b, 3) == 0);
	CHECK(store_stats_add(s, NULL, 0) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM stats_counts") == 5);
	CHECK(query_int(path, "SELECT n FROM stats_counts WHERE day = '2026-12-01' AND event = 'start'") == 5);
	CHECK(query_int(path, "SELECT n FROM stats_counts WHERE event = 'choose' AND item = 'parent'") == 5);
	CHECK(query_int(path, "SELECT n FROM stats_counts WHERE day = '2026-12-02'") == 1);
	CHECK(query_int(path, "SELECT n FROM stats_counts WHERE channel = 'web' AND kiosk = '' AND item = ''"
	                      " AND lang = 'ar'") == 1);
	CHECK(query_int(path, "SELECT sum(n) FROM stats_counts") == 16);
	CHECK_STR(query_text(path, "SELECT group_concat(event || ':' || n, ',') FROM (SELECT event, sum(n) AS n"
	                           " FROM stats_counts GROUP BY event ORDER BY event)", buf, sizeof buf),
	          "choose:5,reach:5,start:6");

	/* a batch that fails half-way (a NOT NULL event given as SQL NULL is
	 * impossible through the API, so a broken table does it) writes nothing */
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TRIGGER no_qr BEFORE INSERT ON stats_counts WHEN NEW.event = 'qr'"
	                       " BEGIN SELECT RAISE(ABORT, 'qr refused'); END", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	struct stats_row c[] = {
		{"2026-12-01", "goslar", "kiosk", "foyer", "de", "", "", "start", "", 100},
		{"2026-12-01", "goslar", "kiosk", "foyer", "de", "main", "who", "qr", "", 1},
	};
	CHECK(store_stats_add(s, c, 2) == -1);
	CHECK_STR(store_error(s), "cannot write the statistics: qr refused");
	CHECK(query_int(path, "SELECT sum(n) FROM stats_counts") == 16);
	/* and the connection works afterwards */
	CHECK(store_stats_add(s, c, 1) == 0);
	CHECK(query_int(path, "SELECT sum(n) FROM stats_counts") == 116);
	store_close(s);
}

/* A search row for text (the hash is a stand-in: its first byte). */
static struct stats_search search(const char *day, const char *lang, unsigned char h, const char *text,
                                  long long n)
{
	struct stats_search r = {day, "goslar", lang, {0}, text, n};
	r.hash[0] = h;
	return r;
}

static void test_searches(void)
{
	char path[256], buf[128];
	struct store *s = open_new("searches.db", path, sizeof path);
	if (!s)
		return;
	/* "schwimmkurs" asked 4 times over three days: no text yet */
	struct stats_search a[] = {
		search("2026-11-01", "de", 1, "schwimmkurs", 2),
		search("2026-11-02", "de", 1, "schwimmkurs", 1),
		search("2026-11-02", "de", 2, "einmal getippt", 1),
	};
	CHECK(store_stats_add_searches(s, a, 3, 400) == 0);
	struct stats_search b[] = {search("2026-11-03", "tr", 1, "schwimmkurs", 1)};
	CHECK(store_stats_add_searches(s, b, 1, 400) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM stats_search_texts") == 0);
	CHECK(query_int(path, "SELECT sum(n) FROM stats_searches WHERE hex(hash) LIKE '01%'") == 4);
	/* the fifth ask stores it, once */
	struct stats_search c[] = {search("2026-11-04", "de", 1, "schwimmkurs", 1),
	                           search("2026-11-04", "de", 1, "schwimmkurs", 1)};
	CHECK(store_stats_add_searches(s, c, 2, 400) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM stats_search_texts") == 1);
	CHECK_STR(query_text(path, "SELECT text FROM stats_search_texts WHERE hex(hash) LIKE '01%'", buf,
	                     sizeof buf),
	          "schwimmkurs");
	CHECK(query_int(path, "SELECT count(*) FROM stats_searches") == 5);
	/* outside the window: 4 asks a year and more ago do not count */
	struct stats_search d[] = {search("2025-01-01", "de", 3, "alt", 4), search("2026-06-01", "de", 3, "alt", 1)};
	CHECK(store_stats_add_searches(s, d, 2, 400) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM stats_search_texts WHERE text = 'alt'") == 0);
	/* within a longer window they do */
	struct stats_search e[] = {search("2026-06-01", "de", 3, "alt", 1)};
	CHECK(store_stats_add_searches(s, e, 1, 600) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM stats_search_texts WHERE text = 'alt'") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM stats_search_texts WHERE text = 'einmal getippt'") == 0);

	/* prune: keep 30 days before 2026-11-04, i.e. from 2026-10-05 on */
	CHECK(store_stats_prune(s, "2026-11-04", 30) == 2 + 1); /* 2025-01-01, 2026-06-01 + the text alt */
	CHECK(query_int(path, "SELECT count(*) FROM stats_searches") == 5);
	CHECK(query_int(path, "SELECT count(*) FROM stats_search_texts") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM stats_search_texts WHERE text = 'alt'") == 0);
	store_close(s);
}

static void test_prune_counts(void)
{
	char path[256];
	struct store *s = open_new("prune.db", path, sizeof path);
	if (!s)
		return;
	struct stats_row a[] = {
		{"2025-10-29", "goslar", "web", "", "de", "", "", "start", "", 1},
		{"2025-10-30", "goslar", "web", "", "de", "", "", "start", "", 2},
		{"2025-10-31", "goslar", "web", "", "de", "", "", "start", "", 3},
		{"2026-12-03", "goslar", "web", "", "de", "", "", "start", "", 4},
	};
	CHECK(store_stats_add(s, a, 4) == 0);
	/* 400 days before 2026-12-03 is 2025-10-29: that day is kept */
	CHECK(store_stats_prune(s, "2026-12-03", 400) == 0);
	CHECK(store_stats_prune(s, "2026-12-04", 400) == 1);
	CHECK(query_int(path, "SELECT min(day) = '2025-10-30' FROM stats_counts") == 1);
	CHECK(store_stats_prune(s, "2026-12-05", 400) == 1);
	CHECK(query_int(path, "SELECT sum(n) FROM stats_counts") == 7);
	CHECK(store_stats_prune(s, "2026-12-05", -1) == -1);
	CHECK_STR(store_error(s), "cannot prune the statistics: no date or a negative retention");
	store_close(s);
}

static void test_key(void)
{
	char path[256], err[512] = "";
	struct store *s = open_new("key.db", path, sizeof path);
	if (!s)
		return;
	unsigned char f1[STATS_KEY_BYTES], f2[STATS_KEY_BYTES], k[STATS_KEY_BYTES];
	memset(f1, 0xa5, sizeof f1);
	memset(f2, 0x5a, sizeof f2);
	CHECK(store_stats_key(s, f1, k) == 0);
	CHECK(memcmp(k, f1, sizeof k) == 0);
	CHECK(store_stats_key(s, f2, k) == 0);
	CHECK(memcmp(k, f1, sizeof k) == 0);
	store_close(s);
	s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	memset(k, 0, sizeof k);
	CHECK(store_stats_key(s, f2, k) == 0);
	CHECK(memcmp(k, f1, sizeof k) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM stats_key") == 1);
	store_close(s);
}

int main(void)
{
	tmp_setup();
	test_counts();
	test_searches();
	test_prune_counts();
	test_key();
	tmp_cleanup();
	CHECK_DONE();
}
