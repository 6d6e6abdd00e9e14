/* staff_limits.c - the login limit's bookkeeping that must hold under
 * attack (schema v3): failures recorded in pairs before a password is
 * checked, refused logins counted per key and hour (one row, not one per
 * request), and the pruning of the staff tables in one transaction; see
 * store.h. */
#include <stdio.h>

#include "store/store.h"
#include "store/store_priv.h"

/* Prepares and binds (?1 text or NULL, ?2 number, ?3 number). Returns the
 * statement or NULL with s->err set. */
static sqlite3_stmt *prep3(struct store *s, const char *sql, const char *text, long long a,
                           long long b)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, "cannot prepare a staff statement");
		sqlite3_finalize(st);
		return NULL;
	}
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, a);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, b);
	return st;
}

/* Runs one statement without rows. Returns the changed rows or -1. */
static long long run3(struct store *s, const char *sql, const char *text, long long a,
                      long long b, const char *what)
{
	sqlite3_stmt *st = prep3(s, sql, text, a, b);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, what);
	return sqlite3_changes(s->db);
}

static void rollback_open(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_failure_remove(struct store *s, const char *key, long long at)
{
	return run3(s, "DELETE FROM staff_login_failures WHERE rowid = (SELECT rowid FROM"
	               " staff_login_failures WHERE key = ?1 AND at = ?2 LIMIT 1)",
	            key, at, 0, "cannot remove a failed login") < 0 ? -1 : 0;
}

int store_failure_add2(struct store *s, const char *akey, const char *dkey, long long at)
{
	static const char sql[] = "INSERT INTO staff_login_failures (key, at) VALUES (?1, ?2)";
	if (store_run(s, ST_BEGIN, "cannot record a failed login") < 0)
		return -1;
	if (run3(s, sql, akey, at, 0, "cannot record a failed login") < 0 ||
	    run3(s, sql, dkey, at, 0, "cannot record a failed login") < 0 ||
	    store_run(s, ST_COMMIT, "cannot record a failed login") < 0) {
		rollback_open(s);
		return -1;
	}
	return 0;
}

int store_refusal_add(struct store *s, const char *key, long long at)
{
	return run3(s, "INSERT INTO staff_login_refusals (key, hour, count) VALUES (?1, ?2, 1)"
	               " ON CONFLICT (key, hour) DO UPDATE SET count = count + 1",
	            key, at / 3600, 0, "cannot count a refused login") < 0 ? -1 : 0;
}

long long store_refusal_count(struct store *s, const char *key, long long at)
{
	sqlite3_stmt *st = prep3(s, "SELECT count FROM staff_login_refusals"
	                            " WHERE key = ?1 AND hour = ?2", key, at / 3600, 0);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	long long n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "cannot read refused logins");
	return n;
}

long long store_staff_prune(struct store *s, const struct store_prune *p)
{
	static const char *const sql[] = {
		"DELETE FROM audit_log WHERE at < ?2",
		"DELETE FROM staff_login_failures WHERE at < ?2",
		/* an hour row goes once the whole hour is older than the limit */
		"DELETE FROM staff_login_refusals WHERE (hour + 1) * 3600 <= ?2",
		"DELETE FROM staff_sessions WHERE last_seen < ?2",
	};
	const long long before[] = {p->audit_before, p->failures_before, p->refusals_before,
	                            p->sessions_before};
	long long total = 0;
	if (store_run(s, ST_BEGIN, "cannot prune the staff tables") < 0)
		return -1;
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		long long n = run3(s, sql[i], NULL, before[i], 0, "cannot prune the staff tables");
		if (n < 0) {
			rollback_open(s);
			return -1;
		}
		total += n;
	}
	if (store_run(s, ST_COMMIT, "cannot prune the staff tables") < 0) {
		rollback_open(s);
		return -1;
	}
	return total;
}
