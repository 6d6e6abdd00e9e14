/* staff_store.c - the staff area's tables (schema v2, offices and admin: v3): accounts, login
 * sessions, failed logins, the audit log and file revisions; see store.h.
 * Statements are prepared per call: the staff area is low-traffic and this
 * keeps store_priv.h's table of hot statements untouched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_priv.h"

/* Prepares sql on s. Returns the statement or NULL (s->err set). */
static sqlite3_stmt *prep(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, "cannot prepare a staff statement");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Steps a statement without rows to its end and finalizes it. Returns the
 * number of changed rows, or -1. */
static int finish(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, what);
	return sqlite3_changes(s->db);
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	snprintf(dst, n, "%s", v ? v : "");
}

static char *dup_col(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	return strdup(v ? v : "");
}

/* ---- accounts ---- */

int store_account_add(struct store *s, const char *name, const char *role, const char *hash,
                      long long now)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO staff_accounts (name, role, hash, created)"
	                           " VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot add the account");
}

static void read_account(sqlite3_stmt *st, struct store_account *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	copy_col(a->name, sizeof(a->name), st, 1);
	copy_col(a->role, sizeof(a->role), st, 2);
	copy_col(a->hash, sizeof(a->hash), st, 3);
	a->created = sqlite3_column_int64(st, 4);
	a->disabled = sqlite3_column_int(st, 5) != 0;
	copy_col(a->offices, sizeof(a->offices), st, 6);
}

#define ACCOUNT_COLS "id, name, role, hash, created, disabled, offices"

int store_account_get(struct store *s, const char *name, struct store_account *out)
{
	sqlite3_stmt *st = prep(s, "SELECT " ACCOUNT_COLS " FROM staff_accounts WHERE name = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_account(st, out);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "cannot read the account");
	return rc == SQLITE_ROW ? 1 : 0;
}

/* Runs an account update and deletes the account's sessions, in one
 * transaction. */
static int account_update(struct store *s, const char *sql, const char *name, const char *text,
                          int num)
{
	if (store_tx_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = prep(s, sql);
	int changed = -1;
	if (st) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (text)
			sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int(st, 2, num);
		changed = finish(s, st, "cannot change the account");
	}
	st = changed > 0 ? prep(s, "DELETE FROM staff_sessions WHERE account ="
	                           " (SELECT id FROM staff_accounts WHERE name = ?1)")
	                 : NULL;
	if (st) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (finish(s, st, "cannot end the account's sessions") < 0)
			changed = -1;
	}
	if (changed < 0 || store_tx_commit(s) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return changed > 0 ? 1 : 0;
}

int store_account_set_hash(struct store *s, const char *name, const char *hash)
{
	return account_update(s, "UPDATE staff_accounts SET hash = ?2 WHERE name = ?1", name, hash, 0);
}

int store_account_set_disabled(struct store *s, const char *name, bool disabled)
{
	return account_update(s, "UPDATE staff_accounts SET disabled = ?2 WHERE name = ?1", name, NULL,
	                      disabled ? 1 : 0);
}

/* Runs "UPDATE ... WHERE name = ?1" with ?2 = text. Returns changed rows or -1. */
static int account_set(struct store *s, const char *sql, const char *name, const char *text)
{
	sqlite3_stmt *st = prep(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	int n = finish(s, st, "cannot change the account");
	return n < 0 ? -1 : n > 0 ? 1 : 0;
}

int store_account_set_offices(struct store *s, const char *name, const char *offices)
{
	return account_set(s, "UPDATE staff_accounts SET offices = ?2 WHERE name = ?1", name,
	                   offices);
}

int store_account_set_role(struct store *s, const char *name, const char *role)
{
	return account_set(s, "UPDATE staff_accounts SET role = ?2 WHERE name = ?1", name, role);
}

int store_account_each(struct store *s, void (*fn)(void *ud, const struct store_account *a),
                       void *ud)
{
	sqlite3_stmt *st = prep(s, "SELECT " ACCOUNT_COLS " FROM staff_accounts ORDER BY name");
	if (!st)
		return -1;
	int rc;
	struct store_account a;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_account(st, &a);
		fn(ud, &a);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot list the accounts");
}

/* ---- sessions ---- */

int store_session_add(struct store *s, const char *id_hash, long long account, const char *csrf,
                      long long now)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO staff_sessions (id_hash, account, csrf, created,"
	                           " last_seen) VALUES (?1, ?2, ?3, ?4, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	return finish(s, st, "cannot store the session") < 0 ? -1 : 0;
}

int store_session_get(struct store *s, const char *id_hash, struct store_session *out)
{
	sqlite3_stmt *st = prep(s, "SELECT a.id, a.name, a.role, a.disabled, s.csrf, s.created,"
	                           " s.last_seen, a.offices FROM staff_sessions s JOIN staff_accounts a"
	                           " ON a.id = s.account WHERE s.id_hash = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->account = sqlite3_column_int64(st, 0);
		copy_col(out->name, sizeof(out->name), st, 1);
		copy_col(out->role, sizeof(out->role), st, 2);
		out->disabled = sqlite3_column_int(st, 3) != 0;
		copy_col(out->csrf, sizeof(out->csrf), st, 4);
		out->created = sqlite3_column_int64(st, 5);
		out->last_seen = sqlite3_column_int64(st, 6);
		copy_col(out->offices, sizeof(out->offices), st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "cannot read the session");
	return rc == SQLITE_ROW ? 1 : 0;
}

/* Runs "sql" with ?1 = text and ?2 = num. Returns changed rows or -1. */
static int run_tn(struct store *s, const char *sql, const char *text, long long num,
                  const char *what)
{
	sqlite3_stmt *st = prep(s, sql);
	if (!st)
		return -1;
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, num);
	return finish(s, st, what);
}

int store_session_touch(struct store *s, const char *id_hash, long long now)
{
	return run_tn(s, "UPDATE staff_sessions SET last_seen = ?2 WHERE id_hash = ?1", id_hash, now,
	              "cannot update the session") < 0 ? -1 : 0;
}

int store_session_delete(struct store *s, const char *id_hash)
{
	return run_tn(s, "DELETE FROM staff_sessions WHERE id_hash = ?1 AND ?2 = 0", id_hash, 0,
	              "cannot delete the session") < 0 ? -1 : 0;
}

int store_session_expire(struct store *s, long long before)
{
	return run_tn(s, "DELETE FROM staff_sessions WHERE last_seen < ?2", NULL, before,
	              "cannot expire sessions") < 0 ? -1 : 0;
}

/* ---- failed logins ---- */

int store_failure_add(struct store *s, const char *key, long long at)
{
	return run_tn(s, "INSERT INTO staff_login_failures (key, at) VALUES (?1, ?2)", key, at,
	              "cannot record a failed login") < 0 ? -1 : 0;
}

int store_failure_times(struct store *s, const char *key, long long since, long long *times,
                        size_t max)
{
	sqlite3_stmt *st = prep(s, "SELECT at FROM staff_login_failures WHERE key = ?1 AND at >= ?2"
	                           " ORDER BY at DESC");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((size_t)n < max)
			times[n] = sqlite3_column_int64(st, 0);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : store_fail(s, "cannot read failed logins");
}

int store_failure_clear(struct store *s, const char *key)
{
	return run_tn(s, "DELETE FROM staff_login_failures WHERE key = ?1 AND ?2 = 0", key, 0,
	              "cannot clear failed logins") < 0 ? -1 : 0;
}

int store_failure_expire(struct store *s, long long before)
{
	return run_tn(s, "DELETE FROM staff_login_failures WHERE at < ?2", NULL, before,
	              "cannot expire failed logins") < 0 ? -1 : 0;
}

/* ---- audit log ---- */

int store_audit_add(struct store *s, long long at, const char *account, const char *action,
                    const char *detail)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO audit_log (at, account, action, detail)"
	                           " VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, detail ? detail : "", -1, SQLITE_STATIC);
	return finish(s, st, "cannot write the audit log") < 0 ? -1 : 0;
}

int store_audit_each_scoped(struct store *s, long long before, int limit, const char *name,
                            const char *offices,
                            void (*fn)(void *ud, const struct store_audit_entry *e), void *ud)
{
	sqlite3_stmt *st = prep(s, "SELECT id, at, account, action, detail FROM audit_log"
	                           " WHERE (?1 <= 0 OR id < ?1) AND (?3 IS NULL OR account = ?3"
	                           " OR (substr(detail, 1, 6) = 'flows/' AND instr(?4, ',' ||"
	                           " substr(detail, 7, instr(substr(detail, 7), '/') - 1) || ',') > 0))"
	                           " ORDER BY id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int(st, 2, limit);
	if (name) {
		sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, offices ? offices : ",", -1, SQLITE_STATIC);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_audit_entry e = {
			.id = sqlite3_column_int64(st, 0),
			.at = sqlite3_column_int64(st, 1),
			.account = (const char *)sqlite3_column_text(st, 2),
			.action = (const char *)sqlite3_column_text(st, 3),
			.detail = (const char *)sqlite3_column_text(st, 4),
		};
		fn(ud, &e);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot read the audit log");
}

int store_audit_each(struct store *s, long long before, int limit,
                     void (*fn)(void *ud, const struct store_audit_entry *e), void *ud)
{
	return store_audit_each_scoped(s, before, limit, NULL, NULL, fn, ud);
}

/* ---- revisions ---- */

long long store_revision_add(struct store *s, const char *tenant, const char *path,
                             const char *content, size_t len, const char *author,
                             const char *message, long long at, long long parent)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO revisions (tenant, path, content, author, message,"
	                           " at, parent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 3, len ? content : "", (sqlite3_uint64)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, author, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, message ? message : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, at);
	if (parent > 0)
		sqlite3_bind_int64(st, 7, parent);
	if (finish(s, st, "cannot store the revision") < 0)
		return -1;
	return (long long)sqlite3_last_insert_rowid(s->db);
}

int store_revision_delete(struct store *s, long long id)
{
	sqlite3_stmt *st = prep(s, "DELETE FROM revisions WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return finish(s, st, "cannot delete the revision");
}

long long store_revision_latest(struct store *s, const char *path)
{
	sqlite3_stmt *st = prep(s, "SELECT max(id) FROM revisions WHERE path = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? id : store_fail(s, "cannot read the revisions");
}

void store_revision_free(struct store_revision *r)
{
	free(r->tenant);
	free(r->path);
	free(r->author);
	free(r->message);
	free(r->content);
	memset(r, 0, sizeof(*r));
}

/* Fills r from a row of (id, at, parent, tenant, path, author, message,
 * length(content)[, content]). Returns 0 or -1 (out of memory). */
static int read_revision(sqlite3_stmt *st, struct store_revision *r, bool with_content)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->at = sqlite3_column_int64(st, 1);
	r->parent = sqlite3_column_int64(st, 2);
	r->tenant = dup_col(st, 3);
	r->path = dup_col(st, 4);
	r->author = dup_col(st, 5);
	r->message = dup_col(st, 6);
	r->len = (size_t)sqlite3_column_int64(st, 7);
	if (with_content) {
		const void *b = sqlite3_column_blob(st, 8);
		r->len = (size_t)sqlite3_column_bytes(st, 8);
		r->content = malloc(r->len + 1);
		if (r->content) {
			if (r->len)
				memcpy(r->content, b, r->len);
			r->content[r->len] = '\0';
		}
	}
	if (!r->tenant || !r->path || !r->author || !r->message || (with_content && !r->content)) {
		store_revision_free(r);
		return -1;
	}
	return 0;
}

#define REVISION_COLS "id, at, coalesce(parent, 0), tenant, path, author, message, length(content)"

int store_revision_get(struct store *s, long long id, struct store_revision *out)
{
	sqlite3_stmt *st = prep(s, "SELECT " REVISION_COLS ", content FROM revisions WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		found = read_revision(st, out, true) == 0 ? 1 : -1;
		if (found < 0)
			snprintf(s->err, sizeof s->err, "out of memory");
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "cannot read the revision");
	}
	sqlite3_finalize(st);
	return found;
}

int store_revision_each(struct store *s, const char *path,
                        void (*fn)(void *ud, const struct store_revision *r), void *ud)
{
	sqlite3_stmt *st = prep(s, "SELECT " REVISION_COLS " FROM revisions WHERE path = ?1"
	                           " ORDER BY id DESC");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_revision r;
		if (read_revision(st, &r, false) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		fn(ud, &r);
		store_revision_free(&r);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot list the revisions");
}

int store_revision_paths(struct store *s,
                         void (*fn)(void *ud, const char *path, long long latest), void *ud)
{
	sqlite3_stmt *st = prep(s, "SELECT path, max(id) FROM revisions GROUP BY path ORDER BY path");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, "cannot list the revised files");
}

/* ---- transactions ---- */

int store_tx_begin(struct store *s)
{
	return store_run(s, ST_BEGIN, "cannot begin a transaction");
}

int store_tx_commit(struct store *s)
{
	return store_run(s, ST_COMMIT, "cannot commit");
}

void store_tx_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}
