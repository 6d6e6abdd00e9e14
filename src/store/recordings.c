/* recordings.c - recorded voices in the database (table recordings, schema
 * v5): revisions of the recording of one text in one office and language,
 * the newest row being the current state (see store.h). */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_priv.h"

#define REC_COLS "id, at, coalesce(parent, 0), duration_ms, tenant, lang, msgctxt, msgid, text," \
                 " author, length(audio)"

static sqlite3_stmt *prep(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, "cannot prepare a recordings statement");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Returns a malloc'd copy of a text column ("" for NULL); caller frees. */
static char *dup_col(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	return strdup(v ? v : "");
}

/* Frees the strings and audio of r and zeroes it. */
void store_recording_free(struct store_recording *r)
{
	free(r->tenant);
	free(r->lang);
	free(r->context);
	free(r->msgid);
	free(r->text);
	free(r->author);
	free(r->audio);
	memset(r, 0, sizeof(*r));
}

/* Fills r (allocating its strings, and its audio from column 11 when
 * with_audio) from a row of REC_COLS. Returns 0 or -1 (out of memory). */
static int read_row(sqlite3_stmt *st, struct store_recording *r, bool with_audio)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->at = sqlite3_column_int64(st, 1);
	r->parent = sqlite3_column_int64(st, 2);
	r->duration_ms = sqlite3_column_int64(st, 3);
	r->tenant = dup_col(st, 4);
	r->lang = dup_col(st, 5);
	r->context = dup_col(st, 6);
	r->msgid = dup_col(st, 7);
	r->text = dup_col(st, 8);
	r->author = dup_col(st, 9);
	r->len = (size_t)sqlite3_column_int64(st, 10);
	bool ok = r->tenant && r->lang && r->context && r->msgid && r->text && r->author;
	if (ok && with_audio && sqlite3_column_type(st, 11) != SQLITE_NULL) {
		r->len = (size_t)sqlite3_column_bytes(st, 11);
		r->audio = malloc(r->len ? r->len : 1);
		if (r->audio && r->len)
			memcpy(r->audio, sqlite3_column_blob(st, 11), r->len);
		ok = r->audio != NULL;
	}
	if (!ok) {
		store_recording_free(r);
		return -1;
	}
	return 0;
}

static void bind_text(sqlite3_stmt *st, const char *tenant, const char *lang, const char *context,
                      const char *msgid)
{
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, context ? context : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, msgid, -1, SQLITE_STATIC);
}

long long store_recording_add(struct store *s, const char *tenant, const char *lang,
                              const char *context, const char *msgid, const char *text,
                              const void *audio, size_t len, long long duration_ms,
                              const char *author, long long at)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO recordings (tenant, lang, msgctxt, msgid, text, audio,"
	                           " duration_ms, author, at, parent) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	                           " ?7, ?8, ?9, (SELECT max(id) FROM recordings WHERE tenant = ?1"
	                           " AND lang = ?2 AND msgctxt = ?3 AND msgid = ?4))");
	if (!st)
		return -1;
	bind_text(st, tenant, lang, context, msgid);
	sqlite3_bind_text(st, 5, text ? text : "", -1, SQLITE_STATIC);
	if (audio)
		sqlite3_bind_blob64(st, 6, audio, (sqlite3_uint64)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, audio ? duration_ms : 0);
	sqlite3_bind_text(st, 8, author, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, at);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "cannot store the recording");
	return (long long)sqlite3_last_insert_rowid(s->db);
}

int store_recording_current(struct store *s, const char *tenant, const char *lang,
                            const char *context, const char *msgid, bool with_audio,
                            struct store_recording *out)
{
	sqlite3_stmt *st = prep(s, with_audio ?
		"SELECT " REC_COLS ", audio FROM recordings WHERE tenant = ?1 AND lang = ?2"
		" AND msgctxt = ?3 AND msgid = ?4 ORDER BY id DESC LIMIT 1" :
		"SELECT " REC_COLS " FROM recordings WHERE tenant = ?1 AND lang = ?2"
		" AND msgctxt = ?3 AND msgid = ?4 ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	bind_text(st, tenant, lang, context, msgid);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 10) != SQLITE_NULL)
		found = read_row(st, out, with_audio) == 0 ? 1 : -1;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		found = store_fail(s, "cannot read the recordings");
	sqlite3_finalize(st);
	return found;
}

int store_recording_get(struct store *s, long long id, struct store_recording *out)
{
	sqlite3_stmt *st = prep(s, "SELECT " REC_COLS ", audio FROM recordings WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW)
		found = read_row(st, out, true) == 0 ? 1 : -1;
	else if (rc != SQLITE_DONE)
		found = store_fail(s, "cannot read the recording");
	sqlite3_finalize(st);
	return found;
}

/* Steps st, calling fn for each row. Finalizes st. Returns 0 or -1. */
static int each_row(struct store *s, sqlite3_stmt *st,
                    void (*fn)(void *ud, const struct store_recording *r), void *ud)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_recording r;
		if (read_row(st, &r, false) < 0) {
			sqlite3_finalize(st);
			return store_fail(s, "out of memory reading the recordings");
		}
		fn(ud, &r);
		store_recording_free(&r);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot read the recordings");
}

int store_recording_each(struct store *s, const char *tenant, const char *lang,
                         void (*fn)(void *ud, const struct store_recording *r), void *ud)
{
	sqlite3_stmt *st = prep(s, "SELECT " REC_COLS " FROM recordings r WHERE tenant = ?1"
	                           " AND (?2 IS NULL OR lang = ?2) AND audio IS NOT NULL"
	                           " AND id = (SELECT max(id) FROM recordings x WHERE x.tenant ="
	                           " r.tenant AND x.lang = r.lang AND x.msgctxt = r.msgctxt AND"
	                           " x.msgid = r.msgid) ORDER BY lang, msgctxt, msgid");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	if (lang)
		sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	return each_row(s, st, fn, ud);
}

int store_recording_history(struct store *s, const char *tenant, const char *lang,
                            const char *context, const char *msgid,
                            void (*fn)(void *ud, const struct store_recording *r), void *ud)
{
	sqlite3_stmt *st = prep(s, "SELECT " REC_COLS " FROM recordings WHERE tenant = ?1"
	                           " AND lang = ?2 AND msgctxt = ?3 AND msgid = ?4 ORDER BY id DESC");
	if (!st)
		return -1;
	bind_text(st, tenant, lang, context, msgid);
	return each_row(s, st, fn, ud);
}
