/* test_store_stats_query.c - stats_report_build on a real sqlite file with
 * counters of two offices, a preview, days outside the range and search
 * texts: exact totals, every day and ISO week of the range, the tables of
 * the dashboard (rows written with SQL and through store_stats_add into
 * the tables of schema 6), offers never shown, which figures are hidden as "<3", and
 * the messages for bad dates. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "tmpdir.h"
#include "store/stats.h"
#include "store/stats_query.h"
#include "store/store.h"
#include "util/arena.h"

#define C(day, ch, kiosk, lang, flow, node, ev, item, n) \
	"INSERT INTO stats_counts VALUES ('" day "', 'amt', '" ch "', '" kiosk "', '" lang "', '" \
	flow "', '" node "', '" ev "', '" item "', " #n ");"

static const char rows[] =
	C("2026-03-02", "kiosk", "foyer", "de", "", "", "start", "", 4)
	C("2026-03-02", "web", "", "tr", "", "", "start", "", 2)
	C("2026-03-08", "web", "", "ar", "", "", "start", "", 1)
	C("2026-03-09", "kiosk", "foyer", "de", "", "", "start", "", 3)
	C("2026-03-10", "web", "", "de", "", "", "start", "", 50)          /* after the range */
	C("2026-03-01", "web", "", "de", "", "", "start", "", 60)          /* before it */
	C("2026-03-02", "preview", "", "de", "", "", "start", "", 5)
	C("2026-03-02", "preview", "", "de", "main", "frage", "reach", "", 5)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "ende", "end_finished", "", 3)
	C("2026-03-02", "web", "", "tr", "main", "frage", "end_left", "idle", 1)
	C("2026-03-08", "web", "", "ar", "main", "frage", "end_left", "closed", 1)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "ende", "end_finished", "", 2)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "frage", "end_restarted", "", 1)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "frage", "reach", "", 4)
	C("2026-03-02", "web", "", "tr", "main", "frage", "reach", "", 2)
	C("2026-03-08", "web", "", "ar", "main", "frage", "reach", "", 1)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "frage", "reach", "", 3)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "ende", "reach", "", 3)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "ende", "reach", "", 2)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "frage", "choose", "kita", 3)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "frage", "choose", "kita", 2)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "frage", "choose", "schule", 1)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "ende", "offer_shown", "kurs-a", 3)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "ende", "offer_shown", "kurs-b", 2)
	C("2026-03-09", "kiosk", "foyer", "de", "main", "ende", "nothing_fits", "alter=3;sprache=de", 1)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "ende", "nothing_fits", "alter=3;sprache=de", 2)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "ende", "not_helped", "", 1)
	C("2026-03-02", "kiosk", "foyer", "de", "main", "ende", "helped", "", 2)
	C("2026-03-02", "web", "", "tr", "main", "person", "person", "09", 2)
	"INSERT INTO stats_counts VALUES ('2026-03-02', 'anders', 'web', '', 'de', '', '', 'start', "
	"'', 7);"
	"INSERT INTO stats_searches VALUES ('2026-03-02', 'amt', 'de', X'01', 3),"
	" ('2026-03-09', 'amt', 'tr', X'01', 2), ('2026-03-03', 'amt', 'de', X'02', 4),"
	" ('2026-03-10', 'amt', 'de', X'02', 3), ('2026-03-04', 'amt', 'de', X'03', 1),"
	" ('2026-03-04', 'anders', 'de', X'01', 9);"
	"INSERT INTO stats_search_texts VALUES ('amt', X'01', 'schwimmkurs'),"
	" ('amt', X'02', 'nachhilfe'), ('anders', X'01', 'schwimmkurs');";

/* The table's rows as "k1|k2=v1,v2;..." with hidden values as "<3". */
static const char *dump(const struct stats_report *r, const char *name, char *buf, size_t n)
{
	const struct stats_table *t = stats_report_table(r, name);
	size_t used = 0;
	buf[0] = 0;
	for (size_t i = 0; t && i < t->nrows && used < n; i++) {
		for (size_t k = 0; k < t->nkeys && used < n; k++)
			used += (size_t)snprintf(buf + used, n - used, "%s%s", k ? "|" : "",
			                         t->rows[i].key[k]);
		for (size_t v = 0; v < t->nvals && used < n; v++) {
			long long x = t->rows[i].val[v];
			if (stats_hidden(t, t->nkeys + v, x))
				used += (size_t)snprintf(buf + used, n - used, "%s<3", v ? "," : "=");
			else
				used += (size_t)snprintf(buf + used, n - used, "%s%lld", v ? "," : "=", x);
		}
		if (used < n)
			used += (size_t)snprintf(buf + used, n - used, ";");
	}
	return t ? buf : "(no such table)";
}

int main(void)
{
	char err[512], buf[4096];
	tmp_setup();
	char path[128];
	snprintf(path, sizeof(path), "%s/lotse.db", tmpdir);
	struct store *s = store_open(path, err, sizeof(err));
	CHECK(s != NULL);
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(store_schema_version(s) >= 6);   /* the statistics tables of store/stats.h */
	char *msg = NULL;
	CHECK(sqlite3_exec(db, rows, NULL, NULL, &msg) == SQLITE_OK);
	if (msg)
		fprintf(stderr, "%s\n", msg);
	sqlite3_free(msg);
	sqlite3_close(db);
	/* one row through the writer the server uses */
	const struct stats_row person = {"2026-03-09", "amt", "kiosk", "foyer", "de", "main",
	                                 "person", "person", "14", 3};
	CHECK(store_stats_add(s, &person, 1) == 0);

	struct arena *a = arena_new();
	struct stats_report r;
	const char *offers[] = {"kurs-a", "kurs-b", "kurs-c"};
	CHECK(stats_report_build(s, "amt", "2026-03-02", "2026-03-09", offers, 3, a, &r, err,
	                         sizeof(err)) == 0);
	const struct stats_totals *t = &r.totals;
	CHECK(t->conversations == 10);
	CHECK(t->finished == 5);
	CHECK(t->left == 2);
	CHECK(t->restarted == 1);
	CHECK(t->preview == 5);
	CHECK(t->nothing_fits == 3);
	CHECK(t->not_helpful == 1);
	CHECK(t->helped == 2);
	CHECK(t->help_requests == 5);
	CHECK(t->searches == 10);
	CHECK(t->searches_other == 5);
	CHECK_STR(dump(&r, "days", buf, sizeof(buf)),
	          "2026-03-02=6,3,1,0;2026-03-03=0,0,0,0;2026-03-04=0,0,0,0;2026-03-05=0,0,0,0;"
	          "2026-03-06=0,0,0,0;2026-03-07=0,0,0,0;2026-03-08=1,0,1,0;2026-03-09=3,2,0,1;");
	CHECK_STR(dump(&r, "weeks", buf, sizeof(buf)), "2026-W10=7,3,2,0;2026-W11=3,2,0,1;");
	CHECK_STR(dump(&r, "day_languages", buf, sizeof(buf)),
	          "2026-03-02|de=4;2026-03-02|tr=<3;2026-03-08|ar=<3;2026-03-09|de=3;");
	CHECK_STR(dump(&r, "day_channels", buf, sizeof(buf)),
	          "2026-03-02|kiosk=4;2026-03-02|web=<3;2026-03-08|web=<3;2026-03-09|kiosk=3;");
	CHECK_STR(dump(&r, "week_languages", buf, sizeof(buf)),
	          "2026-W10|ar=<3;2026-W10|de=4;2026-W10|tr=<3;2026-W11|de=3;");
	CHECK_STR(dump(&r, "week_channels", buf, sizeof(buf)),
	          "2026-W10|kiosk=4;2026-W10|web=3;2026-W11|kiosk=3;");
	CHECK_STR(dump(&r, "by_language", buf, sizeof(buf)), "de=7,5,0;tr=2,0,1;ar=1,0,1;");
	CHECK_STR(dump(&r, "by_channel", buf, sizeof(buf)), "kiosk=7,5,0;preview=5,0,0;web=3,0,2;");
	CHECK_STR(dump(&r, "by_kiosk", buf, sizeof(buf)), "foyer=7;");
	CHECK_STR(dump(&r, "steps", buf, sizeof(buf)),
	          "main|frage=10,2,1,1;main|ende=5,0,0,0;");
	CHECK_STR(dump(&r, "step_languages", buf, sizeof(buf)),
	          "main|ende|de=5,0;main|frage|ar=<3,<3;main|frage|de=7,0;main|frage|tr=<3,<3;");
	CHECK_STR(dump(&r, "choices", buf, sizeof(buf)), "main|frage|kita=5;main|frage|schule=1;");
	CHECK_STR(dump(&r, "offers", buf, sizeof(buf)), "kurs-a=3;kurs-b=2;kurs-c=0;");
	CHECK_STR(dump(&r, "feedback", buf, sizeof(buf)), "main|ende=2,1,3,0;");
	CHECK_STR(dump(&r, "unmet", buf, sizeof(buf)),
	          "nothing_fits|main|ende|alter=3;sprache=de=3;not_helpful|main|ende|=<3;");
	CHECK_STR(dump(&r, "help", buf, sizeof(buf)), "de|14=3;tr|09=<3;");
	CHECK_STR(dump(&r, "searches_without_hits", buf, sizeof(buf)), "schwimmkurs=5;");
	CHECK(stats_report_table(&r, "nonsense") == NULL);

	/* a range without anything: every day with 0, no rows elsewhere */
	CHECK(stats_report_build(s, "amt", "2026-04-01", "2026-04-02", NULL, 0, a, &r, err,
	                         sizeof(err)) == 0);
	CHECK(r.totals.conversations == 0 && r.totals.searches_other == 0);
	CHECK_STR(dump(&r, "days", buf, sizeof(buf)), "2026-04-01=0,0,0,0;2026-04-02=0,0,0,0;");
	CHECK_STR(dump(&r, "steps", buf, sizeof(buf)), "");

	/* bad ranges */
	CHECK(stats_report_build(s, "amt", "2026-02-29", "2026-03-09", NULL, 0, a, &r, err,
	                         sizeof(err)) == -1);
	CHECK_STR(err, "Das Datum \"2026-02-29\" ist ungültig (erwartet: JJJJ-MM-TT, z. B. "
	               "2026-03-01).");
	CHECK(stats_report_build(s, "amt", "2026-03-01", "2026-3-9", NULL, 0, a, &r, err,
	                         sizeof(err)) == -1);
	CHECK_STR(err, "Das Datum \"2026-3-9\" ist ungültig (erwartet: JJJJ-MM-TT, z. B. "
	               "2026-03-01).");
	CHECK(stats_report_build(s, "amt", "2026-03-09", "2026-03-02", NULL, 0, a, &r, err,
	                         sizeof(err)) == -1);
	CHECK_STR(err, "Der Beginn (2026-03-09) liegt nach dem Ende (2026-03-02).");
	CHECK(stats_report_build(s, "amt", "2020-01-01", "2026-03-02", NULL, 0, a, &r, err,
	                         sizeof(err)) == -1);
	CHECK_STR(err, "Der Zeitraum ist zu lang (2253 Tage, höchstens 1100).");
	CHECK(stats_date_ok("2024-02-29") && !stats_date_ok("2100-02-29") &&
	      stats_date_ok("2000-02-29") && !stats_date_ok("2026-13-01") &&
	      !stats_date_ok("2026-04-31") && !stats_date_ok("2026-04-1x") && !stats_date_ok(""));

	arena_free(a);
	store_close(s);
	tmp_cleanup();
	CHECK_DONE();
}
