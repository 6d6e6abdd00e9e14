/* test_store_schema.c - store_open on a real sqlite file: the v1 schema is
 * created, settings (WAL) applied, data survives a reopen, a database from a
 * newer program or a file that is no database is refused untouched, and two
 * connections on one file work together. */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "store/store.h"

/* Runs one query on its own connection and returns the first column of the
 * first row as an int (-1 if none). */
static int query_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static char *query_text(const char *path, const char *sql, char *buf, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	snprintf(buf, len, "(none)");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

static int exec_raw(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static void test_create(void)
{
	char path[128], err[256] = "", buf[64];
	snprintf(path, sizeof path, "%s/new.db", tmpdir);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	CHECK_STR(err, "");
	CHECK(store_schema_version(s) == 6);
	CHECK(STORE_SCHEMA_VERSION == 6);
	CHECK(access(path, F_OK) == 0);
	CHECK_STR(query_text(path, "PRAGMA journal_mode", buf, sizeof buf), "wal");
	CHECK(query_int(path, "PRAGMA user_version") == 6);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('saved_sessions',"
	                      " 'staff_accounts', 'staff_sessions', 'staff_login_failures', 'audit_log',"
	                      " 'revisions', 'recordings')") == 7);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('offer_sets', 'offers',"
	                      " 'offer_facts', 'offer_langs', 'offer_search', 'stats_counts',"
	                      " 'stats_searches', 'stats_search_texts', 'stats_key')") == 9);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'stats_turns'") == 0);
	/* the translator fields of the file model are columns */
	CHECK(query_int(path, "SELECT count(*) FROM pragma_table_info('offers') WHERE name IN"
	                      " ('title_ctx', 'title_note', 'title_line', 'cost_ctx', 'hours_note',"
	                      " 'description_line', 'position', 'sample', 'line')") == 9);
	CHECK(query_int(path, "SELECT count(*) FROM pragma_table_info('stats_counts')") == 10);
	CHECK(query_int(path, "SELECT count(*) FROM pragma_table_info('stats_counts') WHERE pk > 0") == 9);
	/* FTS5 with the diacritics-folding tokenizer */
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'offer_search'"
	                      " AND sql LIKE '%fts5%unicode61 remove_diacritics 2%'") == 1);
	store_close(s);
}

static void test_reopen_keeps_data(void)
{
	char path[128], err[256] = "";
	snprintf(path, sizeof path, "%s/reopen.db", tmpdir);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	store_close(s);
	CHECK(exec_raw(path, "INSERT INTO stats_counts (day, tenant, channel, lang, node, event, n)"
	                     " VALUES ('2024-05-01', 'salzgitter', 'web', 'de', 'who', 'reach', 3)") == SQLITE_OK);
	s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	CHECK(s && store_schema_version(s) == 6);
	store_close(s);
	CHECK(query_int(path, "SELECT n FROM stats_counts WHERE node = 'who'") == 3);
	CHECK(query_int(path, "PRAGMA user_version") == 6);
}

/* A version 1 database (as the first release wrote it) is migrated to 2
 * and keeps its data. */
static void test_migrate_from_1(void)
{
	char path[128], err[256] = "";
	snprintf(path, sizeof path, "%s/v1.db", tmpdir);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	store_close(s);
	CHECK(exec_raw(path, "DROP TABLE saved_sessions; DROP TABLE staff_sessions;"
	                     " DROP TABLE staff_login_failures; DROP TABLE audit_log;"
	                     " DROP TABLE revisions; DROP TABLE staff_accounts;"
	                     " DROP TABLE staff_login_refusals; DROP TABLE recordings;"
	                     " DROP TABLE stats_counts; DROP TABLE stats_searches;"
	                     " DROP TABLE stats_search_texts; DROP TABLE stats_key;"
	                     " CREATE TABLE stats_turns (day TEXT NOT NULL, tenant TEXT NOT NULL,"
	                     " lang TEXT NOT NULL, node TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0,"
	                     " PRIMARY KEY (day, tenant, lang, node)) WITHOUT ROWID;"
	                     " INSERT INTO offer_sets VALUES ('goslar', 'flows/goslar/offers.yaml');"
	                     " PRAGMA user_version = 1") == SQLITE_OK);
	s = store_open(path, err, sizeof err);
	CHECK(s && store_schema_version(s) == 6);
	store_close(s);
	CHECK(query_int(path, "SELECT count(*) FROM offer_sets WHERE tenant = 'goslar'") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'stats_counts'") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'revisions'") == 1);
}

static void test_newer_refused(void)
{
	char path[128], err[256] = "", want[256], buf[64];
	snprintf(path, sizeof path, "%s/newer.db", tmpdir);
	CHECK(exec_raw(path, "CREATE TABLE future (x); PRAGMA user_version = 7") == SQLITE_OK);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s == NULL);
	snprintf(want, sizeof want, "%s: database schema version 7 is newer than this program (%d)",
	         path, STORE_SCHEMA_VERSION);
	CHECK_STR(err, want);
	/* left exactly as it was: no tables added, still the rollback journal */
	CHECK(query_int(path, "PRAGMA user_version") == 7);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master") == 1);
	CHECK_STR(query_text(path, "PRAGMA journal_mode", buf, sizeof buf), "delete");
	store_close(s); /* NULL is fine */
}

static void test_not_a_database(void)
{
	char path[128], err[256] = "", want[256];
	snprintf(path, sizeof path, "%s/text.db", tmpdir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("this is a text file, not an sqlite database, but it is long enough to look at\n", f);
		fclose(f);
	}
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s == NULL);
	snprintf(want, sizeof want, "%s: cannot read the schema version: file is not a database", path);
	CHECK_STR(err, want);
}

static void test_missing_folder(void)
{
	char path[128], err[256] = "", want[256];
	snprintf(path, sizeof path, "%s/no/such/folder.db", tmpdir);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s == NULL);
	snprintf(want, sizeof want, "%s: cannot open database: unable to open database file", path);
	CHECK_STR(err, want);
	/* a tiny error buffer is cut, not overrun */
	char small[8];
	memset(small, 'x', sizeof small);
	CHECK(store_open(path, small, sizeof small) == NULL);
	CHECK(strlen(small) == sizeof small - 1);
}

/* Two connections (the socket thread's and the writer's): the second one
 * finds the schema already there; a write on one is seen by the other. */
static void test_two_connections(void)
{
	char path[128], err[256] = "";
	snprintf(path, sizeof path, "%s/two.db", tmpdir);
	struct store *a = store_open(path, err, sizeof err);
	struct store *b = store_open(path, err, sizeof err);
	CHECK(a != NULL && b != NULL);
	if (!a || !b)
		goto out;
	CHECK(store_schema_version(b) == 6);
	struct offer o = {.id = "kita", .title = {.msgid = "Kita-Sprachförderung", .line = 3}, .line = 2};
	struct offer_list l = {.file = "offers.yaml", .offers = &o, .n = 1};
	struct search_row r = {"kita", "de", "kita sprachforderung"};
	struct diag d;
	diag_init(&d);
	CHECK(store_offers_replace(a, "salzgitter", &l, &r, 1, &d) == 0);
	CHECK(diag_count(&d) == 0);
	const char *ids[4];
	CHECK(store_search(b, "salzgitter", "de", "Sprachförderung", ids, 4) == 1);
	struct offer_list *back = store_offers_read(b, "salzgitter", &d);
	CHECK(back && back->n == 1);
	if (back && back->n == 1)
		CHECK_STR(back->offers[0].title.msgid, "Kita-Sprachförderung");
	offer_list_free(back);
	diag_free(&d);
out:
	store_close(a);
	store_close(b);
}

int main(void)
{
	tmp_setup();
	test_create();
	test_reopen_keeps_data();
	test_migrate_from_1();
	test_newer_refused();
	test_not_a_database();
	test_missing_folder();
	test_two_connections();
	tmp_cleanup();
	CHECK_DONE();
}
