/* stats.c - writing the anonymous usage statistics (stats.h): counter
 * batches, searches without hits (texts only once asked often enough),
 * pruning by age, and the key of the search hash. Statements are prepared
 * per call: a batch is written once a minute, not per turn. */
#include "store/stats.h"

#include <stdio.h>
#include <string.h>

#include "store/store_priv.h"

/* Prepares sql on s. Returns the statement or NULL (s->err set). */
static sqlite3_stmt *prepare(struct store *s, const char *sql, const char *what)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, what);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Steps st once (a statement without rows, or the first row). Returns
 * SQLITE_DONE / SQLITE_ROW, or -1 with s->err set. */
static int step(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(s, what);
		return -1;
	}
	return rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

int store_stats_add(struct store *s, const struct stats_row *rows, size_t n)
{
	static const char sql[] =
		"INSERT INTO stats_counts (day, tenant, channel, kiosk, lang, flow, node, event, item, n)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT (day, tenant, channel, kiosk, lang, flow, node, event, item)"
		" DO UPDATE SET n = n + excluded.n";
	const char *what = "cannot write the statistics";
	if (n == 0)
		return 0;
	sqlite3_stmt *st = prepare(s, sql, what);
	if (!st)
		return -1;
	if (store_exec(s, "BEGIN IMMEDIATE", what) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct stats_row *r = &rows[i];
		const char *v[] = {r->day, r->tenant, r->channel, r->kiosk, r->lang,
		                   r->flow, r->node, r->event, r->item};
		for (int k = 0; k < 9; k++)
			bind_text(st, k + 1, v[k]);
		sqlite3_bind_int64(st, 10, r->n);
		int rc = step(s, st, what);
		sqlite3_reset(st);
		if (rc < 0)
			goto fail;
	}
	if (store_exec(s, "COMMIT", what) < 0)
		goto fail;
	sqlite3_finalize(st);
	return 0;
fail:
	store_rollback(s);
	sqlite3_finalize(st);
	return -1;
}

int store_stats_add_searches(struct store *s, const struct stats_search *rows, size_t n, int keep_days)
{
	static const char add_sql[] =
		"INSERT INTO stats_searches (day, tenant, lang, hash, n) VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT (day, tenant, lang, hash) DO UPDATE SET n = n + excluded.n";
	/* the hash's total in the window ending at the row's day */
	static const char sum_sql[] =
		"SELECT coalesce(sum(n), 0) FROM stats_searches WHERE tenant = ?1 AND hash = ?2"
		" AND day >= date(?3, '-' || ?4 || ' days') AND day <= ?3";
	static const char text_sql[] =
		"INSERT OR IGNORE INTO stats_search_texts (tenant, hash, text) VALUES (?1, ?2, ?3)";
	const char *what = "cannot write the searches without hits";
	sqlite3_stmt *add = NULL, *sum = NULL, *text = NULL;
	if (n == 0)
		return 0;
	if (!(add = prepare(s, add_sql, what)) || !(sum = prepare(s, sum_sql, what)) ||
	    !(text = prepare(s, text_sql, what)))
		goto fail_final;
	if (store_exec(s, "BEGIN IMMEDIATE", what) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct stats_search *r = &rows[i];
		bind_text(add, 1, r->day);
		bind_text(add, 2, r->tenant);
		bind_text(add, 3, r->lang);
		sqlite3_bind_blob(add, 4, r->hash, STATS_HASH_BYTES, SQLITE_STATIC);
		sqlite3_bind_int64(add, 5, r->n);
		int rc = step(s, add, what);
		sqlite3_reset(add);
		if (rc < 0)
			goto fail;
		if (!r->text || !r->text[0])
			continue;
		bind_text(sum, 1, r->tenant);
		sqlite3_bind_blob(sum, 2, r->hash, STATS_HASH_BYTES, SQLITE_STATIC);
		bind_text(sum, 3, r->day);
		sqlite3_bind_int(sum, 4, keep_days);
		rc = step(s, sum, what);
		long long total = rc == SQLITE_ROW ? sqlite3_column_int64(sum, 0) : 0;
		sqlite3_reset(sum);
		if (rc < 0)
			goto fail;
		if (total < STATS_TEXT_MIN)
			continue;
		bind_text(text, 1, r->tenant);
		sqlite3_bind_blob(text, 2, r->hash, STATS_HASH_BYTES, SQLITE_STATIC);
		bind_text(text, 3, r->text);
		rc = step(s, text, what);
		sqlite3_reset(text);
		if (rc < 0)
			goto fail;
	}
	if (store_exec(s, "COMMIT", what) < 0)
		goto fail;
	sqlite3_finalize(add);
	sqlite3_finalize(sum);
	sqlite3_finalize(text);
	return 0;
fail:
	store_rollback(s);
fail_final:
	sqlite3_finalize(add);
	sqlite3_finalize(sum);
	sqlite3_finalize(text);
	return -1;
}

long store_stats_prune(struct store *s, const char *today, int keep_days)
{
	static const char *const sql[] = {
		"DELETE FROM stats_counts WHERE day < date(?1, '-' || ?2 || ' days')",
		"DELETE FROM stats_searches WHERE day < date(?1, '-' || ?2 || ' days')",
		"DELETE FROM stats_search_texts WHERE NOT EXISTS (SELECT 1 FROM stats_searches"
		" WHERE stats_searches.tenant = stats_search_texts.tenant"
		" AND stats_searches.hash = stats_search_texts.hash)",
	};
	const char *what = "cannot prune the statistics";
	long deleted = 0;
	if (!today || keep_days < 0) {
		snprintf(s->err, sizeof s->err, "%s: no date or a negative retention", what);
		return -1;
	}
	if (store_exec(s, "BEGIN IMMEDIATE", what) < 0)
		return -1;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = prepare(s, sql[i], what);
		if (!st)
			goto fail;
		if (sqlite3_bind_parameter_count(st) == 2) {
			bind_text(st, 1, today);
			sqlite3_bind_int(st, 2, keep_days);
		}
		int rc = step(s, st, what);
		sqlite3_finalize(st);
		if (rc < 0)
			goto fail;
		deleted += sqlite3_changes(s->db);
	}
	if (store_exec(s, "COMMIT", what) < 0)
		goto fail;
	return deleted;
fail:
	store_rollback(s);
	return -1;
}

int store_stats_key(struct store *s, const unsigned char fresh[STATS_KEY_BYTES],
                    unsigned char out[STATS_KEY_BYTES])
{
	const char *what = "cannot read or store the statistics key";
	sqlite3_stmt *put = prepare(s, "INSERT OR IGNORE INTO stats_key (id, key) VALUES (1, ?1)", what);
	sqlite3_stmt *get = put ? prepare(s, "SELECT key FROM stats_key WHERE id = 1", what) : NULL;
	int ok = -1;
	if (!put || !get)
		goto out;
	sqlite3_bind_blob(put, 1, fresh, STATS_KEY_BYTES, SQLITE_STATIC);
	if (step(s, put, what) < 0 || step(s, get, what) != SQLITE_ROW)
		goto out;
	if (sqlite3_column_bytes(get, 0) != STATS_KEY_BYTES) {
		snprintf(s->err, sizeof s->err, "%s: the stored key is not %d bytes", what, STATS_KEY_BYTES);
		goto out;
	}
	memcpy(out, sqlite3_column_blob(get, 0), STATS_KEY_BYTES);
	ok = 0;
out:
	sqlite3_finalize(put);
	sqlite3_finalize(get);
	return ok;
}
