/* test_store_upgrade.c - schema upgrades on real sqlite files. A database
 * made with the previous schema's own SQL (tests/data/store/schema_v<N>.sql,
 * with data in every table that version had) is opened with the current
 * code: every row of every table is kept byte for byte, user_version reaches
 * STORE_SCHEMA_VERSION, the schema is exactly what a new database gets, the
 * offers and the search index still answer through the store's API, and the
 * tables the new version added work. A migration that fails is rolled back
 * completely. A database from a newer program (WAL mode, with staff
 * accounts, revisions, saved conversations) is refused with a clear error
 * and left byte for byte as it was, with no -wal or -shm left beside it. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "offer_check.h"
#include "tmpdir.h"
#include "store/stats.h"
#include "store/store.h"
#include "util/strbuf.h"

#define FIXTURES LOTSE_SOURCE_DIR "/tests/data/store"

/* Reads a whole file; caller frees. *len gets its size. NULL if missing. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Runs SQL (several statements) on its own connection. Returns the sqlite
 * result code; a message goes to stderr. */
static int exec_raw(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", path, msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc;
}

/* Makes path from the fixture of schema version v. Returns 0, 1 if there is
 * no such fixture, -1 on error. */
static int from_fixture(int v, const char *path)
{
	char file[512];
	size_t len = 0;
	snprintf(file, sizeof file, "%s/schema_v%d.sql", FIXTURES, v);
	char *sql = slurp(file, &len);
	if (!sql)
		return 1;
	unlink(path);
	int rc = exec_raw(path, sql) == SQLITE_OK ? 0 : -1;
	free(sql);
	return rc;
}

/* Runs sql on a read-only connection and appends every row to out, one line
 * per row, each value with its type (so 1, '1' and NULL differ). Returns
 * the number of rows, or -1. */
static long dump_query(const char *path, const char *sql, struct strbuf *out)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long rows = -1;
	int rc;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s: %s\n", path, sql, sqlite3_errmsg(db));
		goto out;
	}
	rows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			int t = sqlite3_column_type(st, i);
			if (t == SQLITE_NULL) {
				strbuf_puts(out, "NULL");
			} else if (t == SQLITE_INTEGER) {
				strbuf_printf(out, "i:%lld", (long long)sqlite3_column_int64(st, i));
			} else {
				const void *p = t == SQLITE_BLOB ? sqlite3_column_blob(st, i)
				                                 : (const void *)sqlite3_column_text(st, i);
				int n = sqlite3_column_bytes(st, i);
				strbuf_printf(out, "%c%d:", t == SQLITE_BLOB ? 'b' : t == SQLITE_FLOAT ? 'f' : 't', n);
				strbuf_append(out, p ? p : "", (size_t)n);
			}
			strbuf_putc(out, '|');
		}
		strbuf_putc(out, '\n');
		rows++;
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s: %s\n", path, sql, sqlite3_errmsg(db));
		rows = -1;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rows;
}

/* The tables of path (sqlite's own and FTS5's shadow tables included),
 * sorted by name, as a NULL-terminated array. Caller frees with
 * free_names. NULL on error. */
static char **table_names(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char **names = NULL;
	size_t n = 0;
	int rc = SQLITE_ERROR;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
	                       &st, NULL) == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			char **more = realloc(names, (n + 2) * sizeof *names);
			if (!more)
				break;
			names = more;
			names[n++] = strdup((const char *)sqlite3_column_text(st, 0));
			names[n] = NULL;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (rc != SQLITE_DONE || !names) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return NULL;
	}
	return names;
}

/* Frees what table_names returned. NULL is fine. */
static void free_names(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* Every row of one table, ordered by all its columns, as text (see
 * dump_query). *rows gets the row count. Caller frees. NULL on error. */
/* The columns of table name in path as a select list ("a", "b", ...), or
 * NULL. Caller frees. */
static char *column_list(const char *path, const char *name)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct strbuf out;
	strbuf_init(&out);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		char *q = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q) ORDER BY cid", name);
		if (q && sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK)
			while (sqlite3_step(st) == SQLITE_ROW)
				strbuf_printf(&out, "%s\"%s\"", out.len ? ", " : "",
				              (const char *)sqlite3_column_text(st, 0));
		sqlite3_free(q);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (!out.len) {
		strbuf_free(&out);
		return NULL;
	}
	return strbuf_steal(&out);
}

/* The rows of table name (only the columns in cols, a select list; NULL:
 * all), sorted. Caller frees. NULL on error. */
static char *dump_table_cols(const char *path, const char *name, const char *cols, long *rows)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ncols = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		char *q = sqlite3_mprintf("SELECT %s FROM \"%w\"", cols ? cols : "*", name);
		if (q && sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK)
			ncols = sqlite3_column_count(st);
		sqlite3_free(q);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (ncols <= 0)
		return NULL;
	struct strbuf q, out;
	strbuf_init(&q);
	strbuf_init(&out);
	strbuf_printf(&q, "SELECT %s FROM \"%s\" ORDER BY 1", cols ? cols : "*", name);
	for (int i = 2; i <= ncols; i++)
		strbuf_printf(&q, ", %d", i);
	*rows = dump_query(path, strbuf_str(&q), &out);
	strbuf_free(&q);
	if (*rows < 0) {
		strbuf_free(&out);
		return NULL;
	}
	return strbuf_steal(&out);
}

/* Every row of table name, sorted. Caller frees. NULL on error. */
static char *dump_table(const char *path, const char *name, long *rows)
{
	return dump_table_cols(path, name, NULL, rows);
}

/* Every table of path, one after the other ("== name" then its rows).
 * *rows gets the total row count of the tables named in `only`
 * (NULL-terminated; NULL: all tables). Caller frees. NULL on error. */
static char *dump_tables(const char *path, const char *const *only, long *rows)
{
	char **names = table_names(path);
	struct strbuf out;
	strbuf_init(&out);
	*rows = 0;
	for (size_t i = 0; names && names[i]; i++) {
		long n = 0;
		char *t = dump_table(path, names[i], &n);
		if (!t) {
			free_names(names);
			strbuf_free(&out);
			return NULL;
		}
		strbuf_printf(&out, "== %s\n%s", names[i], t);
		free(t);
		bool counted = !only;
		for (const char *const *o = only; o && *o; o++)
			counted = counted || !strcmp(*o, names[i]);
		if (counted)
			*rows += n;
	}
	char *res = names ? strbuf_steal(&out) : NULL;
	strbuf_free(&out);
	free_names(names);
	return res;
}

/* The schema as text: every object of sqlite_master but its root page.
 * Caller frees. NULL on error. */
static char *dump_schema(const char *path)
{
	struct strbuf out;
	strbuf_init(&out);
	if (dump_query(path, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
	               &out) < 1) {
		strbuf_free(&out);
		return NULL;
	}
	return strbuf_steal(&out);
}

/* The first column of the only row of sql, as an int (-1 if not exactly
 * one row with an integer). */
static int query_int(const char *path, const char *sql)
{
	struct strbuf out;
	int v = -1;
	strbuf_init(&out);
	if (dump_query(path, sql, &out) == 1 && !strncmp(strbuf_str(&out), "i:", 2))
		v = atoi(strbuf_str(&out) + 2);
	strbuf_free(&out);
	return v;
}

/* The first column of the only row of sql, as text in buf ("(none)" if
 * not exactly one row); returns buf. */
static const char *query_text(const char *path, const char *sql, char *buf, size_t len)
{
	struct strbuf out;
	strbuf_init(&out);
	snprintf(buf, len, "(none)");
	if (dump_query(path, sql, &out) == 1) {
		const char *s = strchr(strbuf_str(&out), ':');
		if (s) {
			snprintf(buf, len, "%s", s + 1);
			buf[strcspn(buf, "|")] = '\0';
		}
	}
	strbuf_free(&out);
	return buf;
}

/* The tables of schema version 1 (whose rows the fixture fills). */
static const char *const v1_tables[] = {"offer_sets", "offers", "offer_facts", "offer_langs",
                                        "offer_search", "stats_turns", NULL};

/* What the v1 fixture holds, read back through the store's API. */
static void check_v1_data(struct store *s)
{
	static const char *kita_langs[] = {"de", "tr", "ar"};
	static const char *age[] = {"3-6", "0-2"}, *child[] = {"child"}, *adult[] = {"adult"};
	static struct offer_fact kita_facts[] = {{"audience", child, 1}, {"age", age, 2}, {"free", NULL, 0}};
	static struct offer_fact cafe_facts[] = {{"audience", adult, 1}};
	static struct offer want[] = {
		{
			.id = "zz-kita",
			.title = {"Sprachförderung in der Kita", "offer title", "Kita = Kindertagesstätte", 5},
			.description = {"Spielerisch Deutsch lernen.\nZweite Zeile, \"zitiert\".", NULL, NULL, 6},
			.facts = kita_facts,
			.nfacts = 3,
			.district = "Lebenstedt",
			.address = "Marienbruchstraße 1, 38226 Salzgitter",
			.hours = {"Mo–Fr 8–12 Uhr", NULL, "Öffnungszeiten", 12},
			.phone = "+49 5341 839-0",
			.email = "kita@example.org",
			.web = "https://example.org/kita?x=1&y=2",
			.langs = kita_langs,
			.nlangs = 3,
			.cost = {"kostenlos", "price", NULL, 14},
			.sample = true,
			.line = 4,
		},
		{.id = "aa-elterncafe", .title = {"Elterncafé", NULL, NULL, 20}, .facts = cafe_facts,
		 .nfacts = 1, .line = 19},
	};
	struct diag d;
	diag_init(&d);
	struct offer_list *l = store_offers_read(s, "salzgitter", &d);
	CHECK(diag_count(&d) == 0);
	struct offer_list want_list = {.file = "flows/salzgitter/offers.yaml",
	                               .offers = want, .n = 2};
	check_list(l, &want_list);
	if (l)
		CHECK_STR(l->file, "flows/salzgitter/offers.yaml");
	offer_list_free(l);
	const char *ids[4];
	CHECK(store_search(s, "goslar", "de", "Deutschk", ids, 4) == 1);
	CHECK_STR(ids[0], "sprachkurs");
	CHECK(store_search(s, "salzgitter", "de", "Sprachförder", ids, 4) == 1);
	CHECK_STR(ids[0], "zz-kita");
	CHECK(store_search(s, "salzgitter", "ar", "الروضة", ids, 4) == 1);
	CHECK_STR(ids[0], "zz-kita");
	CHECK(store_search(s, "goslar", "de", "Kita", ids, 4) == 0);
	diag_free(&d);
}

/* The tables a later version added are there and work after the upgrade;
 * what is written there survives a reopen. */
static void check_new_tables_work(const char *path)
{
	char err[512] = "";
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(store_account_add(s, "anna", "editor", "$argon2id$v=19$m=65536,t=2,p=1$fixture", 1700000000) ==
	      0);
	long long rev = store_revision_add(s, "goslar", "flows/goslar/main.yaml", "flow: main\n", 11,
	                                   "anna", "erste Fassung", 1700000100, 0);
	CHECK(rev == 1);
	struct store_saved saved = {"0123456789abcdef0123456789abcdef", "v1 goslar de who", 4102444800LL};
	CHECK(store_saved_put(s, &saved, 1) == 0);
	CHECK(store_audit_add(s, 1700000200, "anna", "publish", "flows/goslar/main.yaml revision 1") == 0);
	store_close(s);

	s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	struct store_account a;
	CHECK(store_account_get(s, "anna", &a) == 1);
	CHECK_STR(a.role, "editor");
	struct store_revision r = {0};
	CHECK(store_revision_get(s, 1, &r) == 1);
	CHECK_STR(r.content, "flow: main\n");
	CHECK_STR(r.author, "anna");
	store_revision_free(&r);
	struct store_saved *rows = NULL;
	size_t n = 0;
	CHECK(store_saved_read(s, 1700000000, &rows, &n) == 0);
	CHECK(n == 1);
	if (n == 1)
		CHECK_STR(rows[0].state, "v1 goslar de who");
	store_saved_free(rows, n);
	check_v1_data(s); /* the old rows are still there next to the new ones */
	store_close(s);
}

/* Tables a later version dropped on purpose: stats_turns, never written,
 * replaced by the statistics tables of version 6. */
static bool dropped_table(const char *name)
{
	return strcmp(name, "stats_turns") == 0;
}

/* Upgrades the fixture of version v: every row of every table kept, the
 * current version and schema reached. */
static void upgrade_from(int v, const char *fresh_schema)
{
	char path[128], err[512] = "x", buf[64];
	snprintf(path, sizeof path, "%s/v%d.db", tmpdir, v);
	CHECK(from_fixture(v, path) == 0);
	/* the fixture is what it says it is */
	CHECK(query_int(path, "PRAGMA user_version") == v);
	CHECK_STR(query_text(path, "PRAGMA journal_mode", buf, sizeof buf), "wal");
	char **names = table_names(path);
	CHECK(names != NULL && names[0] != NULL);
	size_t n = 0;
	while (names && names[n])
		n++;
	char **before = calloc(n + 1, sizeof *before), **cols = calloc(n + 1, sizeof *cols);
	long total = 0;
	for (size_t i = 0; i < n && before && cols; i++) {
		long rows = 0;
		cols[i] = column_list(path, names[i]);
		before[i] = dump_table_cols(path, names[i], cols[i], &rows);
		CHECK(before[i] != NULL);
		total += rows;
	}
	CHECK(total > 0);

	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	CHECK_STR(err, "x"); /* no message on success */
	CHECK(s && store_schema_version(s) == STORE_SCHEMA_VERSION);
	store_close(s);

	CHECK(query_int(path, "PRAGMA user_version") == STORE_SCHEMA_VERSION);
	CHECK_STR(query_text(path, "PRAGMA integrity_check", buf, sizeof buf), "ok");
	CHECK(query_int(path, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
	/* every table that was there holds exactly the rows it held, in the
	 * columns it had (a step may add a column, e.g. the accounts' offices) */
	for (size_t i = 0; i < n && before && cols; i++) {
		long rows = 0;
		if (dropped_table(names[i])) { /* gone on purpose, see dropped_table */
			CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'stats_turns'") == 0);
			free(before[i]);
			free(cols[i]);
			continue;
		}
		char *after = cols[i] ? dump_table_cols(path, names[i], cols[i], &rows) : NULL;
		if (!after || !before[i] || strcmp(after, before[i]) != 0)
			fprintf(stderr, "v%d: table %s changed by the upgrade\n", v, names[i]);
		CHECK(after && before[i] && strcmp(after, before[i]) == 0);
		free(after);
		free(before[i]);
		free(cols[i]);
	}
	free(before);
	free(cols);
	free_names(names);

	/* the same schema as a database created by this program */
	char *schema = dump_schema(path);
	CHECK(schema && fresh_schema);
	if (schema && fresh_schema)
		CHECK_STR(schema, fresh_schema);
	free(schema);
}

static void test_upgrade_from_previous(void)
{
	char fresh[128], err[512] = "";
	snprintf(fresh, sizeof fresh, "%s/fresh.db", tmpdir);
	struct store *s = store_open(fresh, err, sizeof err);
	CHECK(s != NULL);
	store_close(s);
	char *fresh_schema = dump_schema(fresh);
	CHECK(fresh_schema != NULL);

	/* the previous version must have a fixture; older ones are tested too */
	char path[512];
	snprintf(path, sizeof path, "%s/schema_v%d.sql", FIXTURES, STORE_SCHEMA_VERSION - 1);
	if (access(path, R_OK) != 0)
		fprintf(stderr, "missing fixture %s: add the previous schema's SQL with data\n", path);
	CHECK(access(path, R_OK) == 0);
	for (int v = 1; v < STORE_SCHEMA_VERSION; v++) {
		snprintf(path, sizeof path, "%s/schema_v%d.sql", FIXTURES, v);
		if (access(path, R_OK) == 0)
			upgrade_from(v, fresh_schema);
	}
	free(fresh_schema);
}

/* The version 1 fixture in detail: exact row counts (so an emptied fixture
 * fails), the data through the API, the new tables. */
static void test_v1_rows(void)
{
	char path[128], err[512] = "";
	long rows = 0;
	snprintf(path, sizeof path, "%s/v1-rows.db", tmpdir);
	CHECK(from_fixture(1, path) == 0);
	char *before = dump_tables(path, v1_tables, &rows);
	free(before);
	/* 3 offer sets + 3 offers + 7 facts + 5 languages + 4 search rows + 3 counters */
	CHECK(rows == 25);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'revisions'") == 0);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (s)
		check_v1_data(s);
	store_close(s);
	/* the same rows but the 3 counters of stats_turns, dropped by version 6 */
	char *after = dump_tables(path, v1_tables, &rows);
	CHECK(rows == 22);
	free(after);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'stats_turns'") == 0);
	check_new_tables_work(path);
}

/* The version 2 fixture (schema 2 -> 3): the staff rows are kept, the
 * refused-login counters work (one row per key and hour), and pruning
 * deletes exactly the rows older than its limits, in one go. */
static void test_v2_staff_rows(void)
{
	char path[128], err[512] = "";
	snprintf(path, sizeof path, "%s/v2-rows.db", tmpdir);
	CHECK(from_fixture(2, path) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'staff_login_refusals'") == 0);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(query_int(path, "SELECT count(*) FROM audit_log") == 3);
	CHECK(query_int(path, "SELECT count(*) FROM staff_login_failures") == 2);
	for (int i = 0; i < 1000; i++)
		CHECK(store_refusal_add(s, "account:anna", 1700003600LL + i) == 0);
	CHECK(store_refusal_add(s, "account:anna", 1700007200LL) == 0);
	CHECK(store_refusal_add(s, "addr:ab12", 1700003600LL) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM staff_login_refusals") == 3);
	CHECK(store_refusal_count(s, "account:anna", 1700003600LL) == 1000);
	CHECK(store_refusal_count(s, "account:anna", 1700007200LL) == 1);
	CHECK(store_refusal_count(s, "account:bert", 1700003600LL) == 0);
	/* audit before 1700000300: rows 1 and 2; failures before 1700000051: both;
	 * refusals whose hour ended by 1700007200: the two of hour 472223;
	 * sessions last seen before 1700000300: none (it was seen at 300) */
	struct store_prune p = {1700000300LL, 1700000051LL, 1700007200LL, 1700000300LL};
	CHECK(store_staff_prune(s, &p) == 2 + 2 + 2 + 0);
	CHECK(query_int(path, "SELECT count(*) FROM audit_log") == 1);
	CHECK(query_int(path, "SELECT id FROM audit_log") == 3);
	CHECK(query_int(path, "SELECT count(*) FROM staff_login_failures") == 0);
	CHECK(query_int(path, "SELECT count(*) FROM staff_login_refusals") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM staff_sessions") == 1);
	CHECK(store_failure_add2(s, "account:anna", "addr:ab12", 1700009000LL) == 0);
	CHECK(store_failure_remove(s, "addr:ab12", 1700009000LL) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM staff_login_failures") == 1);
	store_close(s);
}

/* The version 3 fixture (schema 3 -> 4): the offices and roles of version
 * 3's accounts are kept, and the refused-login counters work. */
static void test_v3_offices(void)
{
	char path[128], err[512] = "";
	struct store_account a;
	snprintf(path, sizeof path, "%s/v3-rows.db", tmpdir);
	CHECK(from_fixture(3, path) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'staff_login_refusals'") == 0);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(store_account_get(s, "vera", &a) == 1);
	CHECK_STR(a.role, "viewer");
	CHECK_STR(a.offices, "goslar");
	CHECK(store_account_get(s, "olga", &a) == 1);
	CHECK_STR(a.role, "admin");
	CHECK_STR(a.offices, "*");
	CHECK(store_account_get(s, "anna", &a) == 1);
	CHECK_STR(a.offices, "*");
	CHECK(query_int(path, "SELECT count(*) FROM staff_sessions") == 1);
	CHECK(store_refusal_add(s, "account:vera", 1700003600LL) == 0);
	CHECK(store_refusal_count(s, "account:vera", 1700003600LL) == 1);
	store_close(s);
}

/* Collects the recordings store_recording_each / _history report, one
 * "id lang ctx|msgid|text|author|len|parent" line each. */
static void collect_recording(void *ud, const struct store_recording *r)
{
	strbuf_printf(ud, "%lld %s %s|%s|%s|%s|%zu|%lld\n", r->id, r->lang, r->context, r->msgid, r->text,
	              r->author, r->len, r->parent);
}

/* The version 4 fixture (schema 4 -> 5): its refusal counters are kept,
 * and recordings work: revisions with parents, the newest row is the
 * state, a deletion hides the recording but keeps its history, audio comes
 * back byte for byte. */
static void test_v4_recordings(void)
{
	char path[128], err[512] = "";
	snprintf(path, sizeof path, "%s/v4-rows.db", tmpdir);
	CHECK(from_fixture(4, path) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'recordings'") == 0);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(store_refusal_count(s, "account:anna", 472223LL * 3600) == 17);
	static const unsigned char a1[] = {'O', 'g', 'g', 'S', 0, 1, 2}, a2[] = {'O', 'g', 'g', 'S', 9};
	CHECK(store_recording_add(s, "goslar", "ps", "question", "Wie alt ist Ihr Kind?", "text-ps-1",
	                          a1, sizeof a1, 1500, "anna", 1700000600) == 1);
	CHECK(store_recording_add(s, "goslar", "ps", NULL, "Ja", "ho", a2, sizeof a2, 400, "anna",
	                          1700000610) == 2);
	CHECK(store_recording_add(s, "goslar", "ps", "question", "Wie alt ist Ihr Kind?", "text-ps-2",
	                          a2, sizeof a2, 900, "vera", 1700000620) == 3);
	CHECK(store_recording_add(s, "goslar", "ps", "", "Ja", "ho", NULL, 0, 0, "anna", 1700000630) == 4);
	struct store_recording r = {0};
	CHECK(store_recording_current(s, "goslar", "ps", "question", "Wie alt ist Ihr Kind?", true, &r) == 1);
	CHECK(r.id == 3 && r.parent == 1 && r.duration_ms == 900 && r.len == sizeof a2);
	CHECK(r.audio && memcmp(r.audio, a2, sizeof a2) == 0);
	CHECK_STR(r.text, "text-ps-2");
	CHECK_STR(r.author, "vera");
	store_recording_free(&r);
	CHECK(store_recording_current(s, "goslar", "ps", NULL, "Ja", false, &r) == 0);   /* deleted */
	CHECK(store_recording_current(s, "goslar", "fa", "question", "Wie alt ist Ihr Kind?", false,
	                              &r) == 0);
	CHECK(store_recording_current(s, "dessau", "ps", "question", "Wie alt ist Ihr Kind?", false,
	                              &r) == 0);
	CHECK(store_recording_get(s, 1, &r) == 1);
	CHECK(r.len == sizeof a1 && r.audio && memcmp(r.audio, a1, sizeof a1) == 0);
	store_recording_free(&r);
	struct strbuf out;
	strbuf_init(&out);
	CHECK(store_recording_each(s, "goslar", NULL, collect_recording, &out) == 0);
	CHECK_STR(strbuf_str(&out), "3 ps question|Wie alt ist Ihr Kind?|text-ps-2|vera|5|1\n");
	strbuf_free(&out);
	strbuf_init(&out);
	CHECK(store_recording_history(s, "goslar", "ps", NULL, "Ja", collect_recording, &out) == 0);
	CHECK_STR(strbuf_str(&out), "4 ps |Ja|ho|anna|0|2\n2 ps |Ja|ho|anna|5|0\n");
	strbuf_free(&out);
	store_close(s);
}

/* The version 5 fixture (schema 5 -> 6): its recordings are kept, the
 * unused stats_turns is gone, and the statistics tables work. */
static void test_v5_stats(void)
{
	char path[128], err[512] = "";
	snprintf(path, sizeof path, "%s/v5-rows.db", tmpdir);
	CHECK(from_fixture(5, path) == 0);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'stats_counts'") == 0);
	CHECK(query_int(path, "SELECT count(*) FROM stats_turns") == 3);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'stats_turns'") == 0);
	struct store_recording r = {0};
	CHECK(store_recording_current(s, "goslar", "uk", "question", "Wie alt ist Ihr Kind?", true, &r) == 1);
	CHECK(r.id == 2 && r.parent == 1 && r.duration_ms == 1700 && r.len == 6);
	store_recording_free(&r);
	struct stats_row rows[] = {
		{"2026-11-03", "goslar", "web", "", "uk", "", "", "start", "", 2},
		{"2026-11-03", "goslar", "web", "", "uk", "main", "who", "reach", "", 1},
		{"2026-11-03", "goslar", "web", "", "uk", "", "", "start", "", 3},
	};
	CHECK(store_stats_add(s, rows, 3) == 0);
	CHECK(query_int(path, "SELECT n FROM stats_counts WHERE event = 'start'") == 5);
	CHECK(query_int(path, "SELECT count(*) FROM stats_counts") == 2);
	unsigned char fresh[STATS_KEY_BYTES] = {7}, key[STATS_KEY_BYTES] = {0};
	CHECK(store_stats_key(s, fresh, key) == 0);
	CHECK(memcmp(key, fresh, sizeof key) == 0);
	store_close(s);
}

/* A migration that fails leaves the database at the old version with all
 * its rows: here version 1 already has a table the migration to 2 creates. */
static void test_failed_migration_rolls_back(void)
{
	char path[128], err[512] = "", want[512];
	long rows_before = 0, rows_after = 0;
	snprintf(path, sizeof path, "%s/v1-clash.db", tmpdir);
	CHECK(from_fixture(1, path) == 0);
	CHECK(exec_raw(path, "CREATE TABLE revisions (x); INSERT INTO revisions VALUES ('alt')") ==
	      SQLITE_OK);
	static const char *const tables[] = {"offer_sets", "offers", "offer_facts", "offer_langs",
	                                     "offer_search", "stats_turns", "revisions", NULL};
	char *before = dump_tables(path, tables, &rows_before);
	char *schema_before = dump_schema(path);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(s == NULL);
	snprintf(want, sizeof want,
	         "%s: migration to schema version 2 failed: table revisions already exists", path);
	CHECK_STR(err, want);
	CHECK(query_int(path, "PRAGMA user_version") == 1);
	char *after = dump_tables(path, tables, &rows_after);
	char *schema_after = dump_schema(path);
	CHECK(before && after && schema_before && schema_after);
	if (before && after)
		CHECK_STR(after, before);
	if (schema_before && schema_after)
		CHECK_STR(schema_after, schema_before);
	CHECK(rows_before == 26 && rows_after == 26);
	CHECK(query_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'saved_sessions'") == 0);
	free(before);
	free(after);
	free(schema_before);
	free(schema_after);
}

/* Whether path exists. */
static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A database written by a newer program: refused, and not one byte of it
 * (or of anything next to it) changes. */
static void test_newer_left_untouched(void)
{
	char path[128], side[160], err[512] = "", want[512], sql[256];
	snprintf(path, sizeof path, "%s/newer-wal.db", tmpdir);
	CHECK(from_fixture(1, path) == 0);
	check_new_tables_work(path); /* now at the current version with data in every table */
	snprintf(sql, sizeof sql,
	         "CREATE TABLE offer_photos (tenant TEXT, offer_id TEXT, image BLOB);"
	         " INSERT INTO offer_photos VALUES ('goslar', 'sprachkurs', x'89504e47');"
	         " PRAGMA user_version = %d",
	         STORE_SCHEMA_VERSION + 1);
	CHECK(exec_raw(path, sql) == SQLITE_OK);
	/* as the newer program leaves it after a clean stop: WAL (file format
	 * bytes 18 and 19 are 2), no -wal or -shm beside it */
	size_t len_before = 0, len_after = 0;
	char *bytes_before = slurp(path, &len_before);
	CHECK(bytes_before != NULL && len_before > 100);
	CHECK(bytes_before && bytes_before[18] == 2 && bytes_before[19] == 2);
	snprintf(side, sizeof side, "%s-wal", path);
	CHECK(!exists(side));
	snprintf(side, sizeof side, "%s-shm", path);
	CHECK(!exists(side));

	for (int attempt = 0; attempt < 2; attempt++) {
		struct store *s = store_open(path, err, sizeof err);
		CHECK(s == NULL);
		store_close(s);
		snprintf(want, sizeof want, "%s: database schema version %d is newer than this program (%d)",
		         path, STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
		CHECK_STR(err, want);
	}
	char *bytes_after = slurp(path, &len_after);
	CHECK(bytes_after != NULL);
	CHECK(len_after == len_before);
	CHECK(bytes_before && bytes_after && len_after == len_before &&
	      memcmp(bytes_before, bytes_after, len_before) == 0);
	static const char *const suffix[] = {"-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", path, suffix[i]);
		if (exists(side))
			fprintf(stderr, "left behind: %s\n", side);
		CHECK(!exists(side));
	}
	free(bytes_before);
	free(bytes_after);
	/* and it still holds everything (read on a read-only connection) */
	CHECK(query_int(path, "PRAGMA user_version") == STORE_SCHEMA_VERSION + 1);
	CHECK(query_int(path, "SELECT count(*) FROM staff_accounts") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM revisions") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM saved_sessions") == 1);
	CHECK(query_int(path, "SELECT count(*) FROM offers") == 3);
	CHECK(query_int(path, "SELECT count(*) FROM offer_photos") == 1);
}

int main(void)
{
	tmp_setup();
	test_upgrade_from_previous();
	test_v1_rows();
	test_v2_staff_rows();
	test_v3_offices();
	test_v4_recordings();
	test_v5_stats();
	test_failed_migration_rolls_back();
	test_newer_left_untouched();
	tmp_cleanup();
	CHECK_DONE();
}
