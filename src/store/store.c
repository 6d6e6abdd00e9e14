/* store.c - opening the sqlite database: connection settings, the schema
 * migrations (by PRAGMA user_version) and the prepared statements used by
 * offers.c and search.c. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_priv.h"

/* Schema migrations: entry i takes the database from version i to i + 1.
 * Each runs in its own transaction together with the user_version bump, so
 * adding version 2 means appending one string (and raising
 * STORE_SCHEMA_VERSION). */
static const char *const migrations[] = {
	/* v1: offers (with every field of the file model, incl. translator
	 * contexts, notes and lines), their facts and languages, the search
	 * index and the usage counters. */
	"CREATE TABLE offer_sets ("
	"  tenant TEXT NOT NULL PRIMARY KEY,"
	"  file TEXT"
	");"
	"CREATE TABLE offers ("
	"  tenant TEXT NOT NULL,"
	"  id TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  title TEXT, title_ctx TEXT, title_note TEXT, title_line INTEGER NOT NULL DEFAULT 0,"
	"  description TEXT, description_ctx TEXT, description_note TEXT,"
	"  description_line INTEGER NOT NULL DEFAULT 0,"
	"  district TEXT, address TEXT,"
	"  hours TEXT, hours_ctx TEXT, hours_note TEXT, hours_line INTEGER NOT NULL DEFAULT 0,"
	"  phone TEXT, email TEXT, web TEXT,"
	"  cost TEXT, cost_ctx TEXT, cost_note TEXT, cost_line INTEGER NOT NULL DEFAULT 0,"
	"  sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (tenant, id)"
	");"
	"CREATE INDEX offers_by_position ON offers (tenant, position);"
	/* One row per value; a fact without values is one row with value NULL. */
	"CREATE TABLE offer_facts ("
	"  tenant TEXT NOT NULL,"
	"  offer_id TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value_position INTEGER NOT NULL,"
	"  value TEXT,"
	"  PRIMARY KEY (tenant, offer_id, position, value_position),"
	"  FOREIGN KEY (tenant, offer_id) REFERENCES offers (tenant, id) ON DELETE CASCADE"
	");"
	"CREATE INDEX offer_facts_by_value ON offer_facts (tenant, key, value);"
	"CREATE TABLE offer_langs ("
	"  tenant TEXT NOT NULL,"
	"  offer_id TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  PRIMARY KEY (tenant, offer_id, position),"
	"  FOREIGN KEY (tenant, offer_id) REFERENCES offers (tenant, id) ON DELETE CASCADE"
	");"
	"CREATE VIRTUAL TABLE offer_search USING fts5("
	"  tenant UNINDEXED, lang UNINDEXED, offer_id UNINDEXED, body,"
	"  tokenize = 'unicode61 remove_diacritics 2'"
	");"
	"CREATE TABLE stats_turns ("
	"  day TEXT NOT NULL,"
	"  tenant TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  node TEXT NOT NULL,"
	"  count INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (day, tenant, lang, node)"
	") WITHOUT ROWID;",

	/* 1 -> 2: conversations kept across a restart (resume), and the staff
	 * area: accounts, login sessions, failed logins, audit log, revisions
	 * of flows, offers and catalogues. */
	"CREATE TABLE saved_sessions ("
	"  token TEXT PRIMARY KEY,"
	"  state TEXT NOT NULL,"          /* talk_save() line */
	"  expires INTEGER NOT NULL"      /* unix time */
	") WITHOUT ROWID;"
	"CREATE TABLE staff_accounts ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),"
	"  hash TEXT NOT NULL,"           /* memory-hard password hash string */
	"  created INTEGER NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE staff_sessions ("
	"  id_hash TEXT PRIMARY KEY,"     /* hash of the cookie value, never the value */
	"  account INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE staff_login_failures ("
	"  key TEXT NOT NULL,"            /* 'account:NAME' or 'addr:IP' */
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX staff_login_failures_by_key ON staff_login_failures (key, at);"
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  account TEXT,"                 /* name, NULL for the system */
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE TABLE revisions ("
	"  id INTEGER PRIMARY KEY,"
	"  tenant TEXT NOT NULL,"
	"  path TEXT NOT NULL,"           /* repository-relative file, e.g. flows/goslar/main.yaml */
	"  content BLOB NOT NULL,"
	"  author TEXT NOT NULL,"
	"  message TEXT NOT NULL DEFAULT '',"
	"  at INTEGER NOT NULL,"
	"  parent INTEGER REFERENCES revisions(id)"
	");"
	"CREATE INDEX revisions_by_path ON revisions (path, id);",
	/* v3: staff accounts get the offices (tenants) they may see or edit
	 * ("*": all; "a,b": those) and the role admin (instance
	 * administrator). Existing accounts keep every office. The table is
	 * rebuilt for the new role CHECK; the sessions survive the rebuild
	 * (the DROP would delete them by ON DELETE CASCADE). */
	"CREATE TABLE staff_accounts_v3 ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('editor', 'viewer', 'admin')),"
	"  hash TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  offices TEXT NOT NULL DEFAULT '*'"
	");"
	"INSERT INTO staff_accounts_v3 (id, name, role, hash, created, disabled, offices)"
	"  SELECT id, name, role, hash, created, disabled, '*' FROM staff_accounts;"
	"CREATE TEMP TABLE staff_sessions_kept AS SELECT * FROM staff_sessions;"
	"DROP TABLE staff_accounts;"
	"ALTER TABLE staff_accounts_v3 RENAME TO staff_accounts;"
	"INSERT OR IGNORE INTO staff_sessions SELECT * FROM temp.staff_sessions_kept;"
	"DROP TABLE temp.staff_sessions_kept;",

	/* v4: refused logins (over the limit) counted per key and hour
	 * instead of one audit row each, and an index to prune the audit log
	 * by age (staff_limits.c). */
	"CREATE TABLE staff_login_refusals ("
	"  key TEXT NOT NULL,"            /* 'account:NAME' or 'addr:<keyed hash>' */
	"  hour INTEGER NOT NULL,"        /* unix time / 3600 */
	"  count INTEGER NOT NULL,"
	"  PRIMARY KEY (key, hour)"
	") WITHOUT ROWID;"
	"CREATE INDEX audit_log_by_at ON audit_log (at);"
	"CREATE INDEX staff_login_failures_by_at ON staff_login_failures (at);",

	/* v5: recorded voices (recordings.c). One row per revision of the
	 * recording of a text (msgctxt '' when the text has none) in one
	 * office and language: the translated text it was recorded for (a
	 * recording whose text differs from the current translation is
	 * outdated), the audio (Ogg Opus, 48 kHz mono; NULL: the recording
	 * was deleted), who made it and when, and the revision before it. */
	"CREATE TABLE recordings ("
	"  id INTEGER PRIMARY KEY,"
	"  tenant TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  msgctxt TEXT NOT NULL DEFAULT '',"
	"  msgid TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  audio BLOB,"
	"  duration_ms INTEGER NOT NULL DEFAULT 0,"
	"  author TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  parent INTEGER REFERENCES recordings(id)"
	");"
	"CREATE INDEX recordings_by_text ON recordings (tenant, lang, msgctxt, msgid, id);",

	/* v6: anonymous usage statistics (stats.c, docs/privacy.md): counters
	 * per day, office, channel, kiosk, language, step, event and item; the
	 * free-text searches that found nothing by keyed hash, their text only
	 * once asked often enough; the key of that hash. The unused per-turn
	 * counters of version 1 go. */
	"DROP TABLE stats_turns;"
	"CREATE TABLE stats_counts ("
	"  day TEXT NOT NULL,"
	"  tenant TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  kiosk TEXT NOT NULL DEFAULT '',"
	"  lang TEXT NOT NULL,"
	"  flow TEXT NOT NULL DEFAULT '',"
	"  node TEXT NOT NULL DEFAULT '',"
	"  event TEXT NOT NULL,"
	"  item TEXT NOT NULL DEFAULT '',"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (day, tenant, channel, kiosk, lang, flow, node, event, item)"
	") WITHOUT ROWID;"
	"CREATE TABLE stats_searches ("
	"  day TEXT NOT NULL,"
	"  tenant TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (day, tenant, lang, hash)"
	") WITHOUT ROWID;"
	"CREATE TABLE stats_search_texts ("
	"  tenant TEXT NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  text TEXT NOT NULL,"
	"  PRIMARY KEY (tenant, hash)"
	") WITHOUT ROWID;"
	"CREATE TABLE stats_key ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  key BLOB NOT NULL CHECK (length(key) = 32)"
	");",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "one migration per schema version");

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_DEL_FACTS] = "DELETE FROM offer_facts WHERE tenant = ?1",
	[ST_DEL_LANGS] = "DELETE FROM offer_langs WHERE tenant = ?1",
	[ST_DEL_OFFERS] = "DELETE FROM offers WHERE tenant = ?1",
	[ST_DEL_SEARCH] = "DELETE FROM offer_search WHERE tenant = ?1",
	[ST_PUT_SET] = "INSERT OR REPLACE INTO offer_sets (tenant, file) VALUES (?1, ?2)",
	[ST_PUT_OFFER] = "INSERT INTO offers (tenant, " STORE_OFFER_COLS ") VALUES ("
	                 "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
	                 " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
	[ST_PUT_FACT] = "INSERT INTO offer_facts (tenant, offer_id, position, key, value_position, value)"
	                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_PUT_LANG] = "INSERT INTO offer_langs (tenant, offer_id, position, lang) VALUES (?1, ?2, ?3, ?4)",
	[ST_PUT_SEARCH] = "INSERT INTO offer_search (tenant, lang, offer_id, body) VALUES (?1, ?2, ?3, ?4)",
	[ST_GET_SET] = "SELECT file FROM offer_sets WHERE tenant = ?1",
	[ST_GET_OFFERS] = "SELECT " STORE_OFFER_COLS " FROM offers WHERE tenant = ?1 ORDER BY position",
	[ST_GET_FACTS] = "SELECT position, key, value FROM offer_facts WHERE tenant = ?1 AND offer_id = ?2"
	                 " ORDER BY position, value_position",
	[ST_GET_LANGS] = "SELECT lang FROM offer_langs WHERE tenant = ?1 AND offer_id = ?2 ORDER BY position",
	[ST_SEARCH] = "SELECT offer_id FROM offer_search"
	              " WHERE offer_search MATCH ?1 AND tenant = ?2 AND lang = ?3"
	              " ORDER BY rank, rowid",
};

int store_fail(struct store *s, const char *what)
{
	s->code = sqlite3_errcode(s->db) & 0xff;
	snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

void store_done(struct store *s, enum store_stmt which)
{
	sqlite3_reset(s->st[which]);
	sqlite3_clear_bindings(s->st[which]);
}

int store_run(struct store *s, enum store_stmt which, const char *what)
{
	int rc = sqlite3_step(s->st[which]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		store_fail(s, what);
	store_done(s, which);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Reads PRAGMA user_version into *v. Returns 0 or -1 (s->err set). */
static int read_version(struct store *s, int *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	else
		store_fail(s, "cannot read the schema version");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_exec(struct store *s, const char *sql, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, what);
	return 0;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int refuse_newer(struct store *s, int v)
{
	if (v <= STORE_SCHEMA_VERSION)
		return 0;
	snprintf(s->err, sizeof s->err, "database schema version %d is newer than this program (%d)", v,
	         STORE_SCHEMA_VERSION);
	return -1;
}

/* Brings the schema to version `to` (one step) unless another connection
 * already did. */
static int migrate_one(struct store *s, int to)
{
	char what[64], bump[64];
	int v = 0;
	snprintf(what, sizeof what, "migration to schema version %d failed", to);
	snprintf(bump, sizeof bump, "PRAGMA user_version = %d", to);
	if (store_exec(s, "BEGIN IMMEDIATE", what) < 0)
		return -1;
	if (read_version(s, &v) < 0 || refuse_newer(s, v) < 0)
		goto fail;
	if (v < to && (store_exec(s, migrations[to - 1], what) < 0 || store_exec(s, bump, what) < 0))
		goto fail;
	if (store_exec(s, "COMMIT", what) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static int migrate(struct store *s)
{
	int v = 0;
	if (read_version(s, &v) < 0 || refuse_newer(s, v) < 0)
		return -1;
	for (int to = v + 1; to <= STORE_SCHEMA_VERSION; to++)
		if (migrate_one(s, to) < 0)
			return -1;
	return 0;
}

/* Connection settings: WAL (checked: a file system without shared memory
 * support would silently keep the rollback journal), foreign keys, and
 * synchronous=FULL because staff edits are written here. */
static int configure(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int ok = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *mode = (const char *)sqlite3_column_text(st, 0);
		ok = mode && (strcmp(mode, "wal") == 0 || strcmp(s->path, ":memory:") == 0);
		if (!ok)
			snprintf(s->err, sizeof s->err, "cannot switch to WAL mode (journal mode is %s)",
			         mode ? mode : "unknown");
	} else {
		store_fail(s, "cannot switch to WAL mode");
	}
	sqlite3_finalize(st);
	if (!ok)
		return -1;
	return store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", "cannot configure the database");
}

static int prepare_all(struct store *s)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) !=
		    SQLITE_OK)
			return store_fail(s, "cannot prepare a statement");
	return 0;
}

/* Allocates the store (caller frees with store_close). */
struct store *store_open(const char *path, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof *s);
	if (!s || !path || !(s->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path ? path : "(null)");
		goto fail;
	}
	strbuf_init(&s->ids);
	int rc = sqlite3_open_v2(path, &s->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open database: %s", path,
		         s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	/* The version check comes before anything that writes (even the WAL
	 * switch), so a newer database is left exactly as it was. */
	int v = 0;
	if (read_version(s, &v) < 0 || refuse_newer(s, v) < 0)
		goto fail_msg;
	if (configure(s) < 0 || migrate(s) < 0 || prepare_all(s) < 0)
		goto fail_msg;
	return s;
fail_msg:
	snprintf(err, errlen, "%s: %s", path, s->err);
fail:
	store_close(s);
	return NULL;
}

/* Finalizes the statements, closes the connection and frees s. NULL is fine. */
void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	strbuf_free(&s->ids);
	free(s->path);
	free(s);
}

int store_schema_version(struct store *s)
{
	int v = -1;
	if (!s || read_version(s, &v) < 0)
		return -1;
	return v;
}

const char *store_error(const struct store *s)
{
	return s ? s->err : "no store";
}

enum store_fault store_fault(const struct store *s)
{
	if (!s)
		return STORE_FAULT_OTHER;
	return s->code == SQLITE_FULL ? STORE_FAULT_FULL
	       : s->code == SQLITE_IOERR ? STORE_FAULT_IO
	                                 : STORE_FAULT_OTHER;
}
