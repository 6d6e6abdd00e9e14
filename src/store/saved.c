/* saved.c - conversations kept across a restart of the server: the table
 * saved_sessions (token, talk_save line, expiry), written once at a clean
 * shutdown, read once at start and emptied once they are restored (or
 * taken: read and emptied at once). All run rarely, so their statements are
 * prepared per call. See store.h. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_priv.h"

static void rollback_open(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int put_rows(struct store *s, sqlite3_stmt *st, const struct store_saved *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, rows[i].token, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rows[i].state, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, rows[i].expires);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (rc != SQLITE_DONE)
			return store_fail(s, "cannot save a conversation");
	}
	return 0;
}

int store_saved_put(struct store *s, const struct store_saved *rows, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (store_run(s, ST_BEGIN, "cannot save conversations") < 0)
		return -1;
	if (sqlite3_exec(s->db, "DELETE FROM saved_sessions", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s, "cannot save conversations");
		goto out;
	}
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT OR REPLACE INTO saved_sessions (token, state, expires)"
	                       " VALUES (?1, ?2, ?3)",
	                       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, "cannot save conversations");
		goto out;
	}
	if (put_rows(s, st, rows, n) < 0)
		goto out;
	rc = store_run(s, ST_COMMIT, "cannot save conversations");
out:
	sqlite3_finalize(st);
	if (rc < 0)
		rollback_open(s);
	return rc;
}

/* Appends the current row of st to *rows (grown as needed). */
static int take_row(sqlite3_stmt *st, struct store_saved **rows, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct store_saved *r = realloc(*rows, c * sizeof(*r));
		if (!r)
			return -1;
		*rows = r;
		*cap = c;
	}
	const char *token = (const char *)sqlite3_column_text(st, 0);
	const char *state = (const char *)sqlite3_column_text(st, 1);
	struct store_saved *r = &(*rows)[*n];
	r->token = strdup(token ? token : "");
	r->state = strdup(state ? state : "");
	r->expires = sqlite3_column_int64(st, 2);
	(*n)++;
	return r->token && r->state ? 0 : -1;
}

/* Orders rows by expiry, then token (what ORDER BY expires, token gave,
 * without sqlite's sorter: rows come in token order, and usually all
 * expire at the same second, so they are mostly in order already). */
static int by_expiry(const void *a, const void *b)
{
	const struct store_saved *x = a, *y = b;
	if (x->expires != y->expires)
		return x->expires < y->expires ? -1 : 1;
	return strcmp(x->token, y->token);
}

static void sort_rows(struct store_saved *rows, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (by_expiry(&rows[i - 1], &rows[i]) > 0) {
			qsort(rows, n, sizeof(*rows), by_expiry);
			return;
		}
}

static int read_rows(struct store *s, long long now, struct store_saved **rows, size_t *n)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(s->db,
	                            "SELECT token, state, expires FROM saved_sessions"
	                            " WHERE expires > ?1",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (take_row(st, rows, n, &cap) < 0) {
				snprintf(s->err, sizeof(s->err), "out of memory reading saved conversations");
				sqlite3_finalize(st);
				return -1;
			}
	}
	if (rc != SQLITE_DONE)
		store_fail(s, "cannot read saved conversations");
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		sort_rows(*rows, *n);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Fills *rows (caller frees with store_saved_free); the table stays. */
int store_saved_read(struct store *s, long long now, struct store_saved **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	if (read_rows(s, now, rows, n) == 0)
		return 0;
	store_saved_free(*rows, *n);
	*rows = NULL;
	*n = 0;
	return -1;
}

int store_saved_clear(struct store *s)
{
	if (sqlite3_exec(s->db, "DELETE FROM saved_sessions", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, "cannot delete saved conversations");
	return 0;
}

/* Fills *rows (caller frees with store_saved_free) and empties the table. */
int store_saved_take(struct store *s, long long now, struct store_saved **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	if (store_run(s, ST_BEGIN, "cannot read saved conversations") < 0)
		return -1;
	if (read_rows(s, now, rows, n) < 0)
		goto fail;
	if (sqlite3_exec(s->db, "DELETE FROM saved_sessions", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s, "cannot delete saved conversations");
		goto fail;
	}
	if (store_run(s, ST_COMMIT, "cannot delete saved conversations") < 0)
		goto fail;
	return 0;
fail:
	rollback_open(s);
	store_saved_free(*rows, *n);
	*rows = NULL;
	*n = 0;
	return -1;
}

/* Frees rows from store_saved_take and their strings. */
void store_saved_free(struct store_saved *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].token);
		free(rows[i].state);
	}
	free(rows);
}
