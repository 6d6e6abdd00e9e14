/* store.h - the sqlite database: schema and migrations, offers, search, stats.
 *
 * One struct store is one connection; use one per thread (the socket thread
 * reads, the reload/staff thread writes). The file is opened in WAL mode with
 * a busy timeout; the schema is created and migrated on open by
 * PRAGMA user_version. Writes run in BEGIN IMMEDIATE transactions, so a
 * failure leaves the previous state intact.
 */
#ifndef LOTSE_STORE_H
#define LOTSE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "flow/tenant.h"
#include "util/diag.h"

#define STORE_SCHEMA_VERSION 6

struct store;

/* Opens (creating if missing) and migrates the database at path.
 * Returns NULL with a message in err (bounded) on failure.
 * Caller closes with store_close. */
struct store *store_open(const char *path, char *err, size_t errlen);
/* Closes the connection and frees s. NULL is fine. */
void store_close(struct store *s);
/* Current schema version of the open database (-1 on error). */
int store_schema_version(struct store *s);
/* The last error on s (e.g. after store_search returned -1); owned by s,
 * valid until the next call on s. */
const char *store_error(const struct store *s);
/* What kind of error the last one on s was, for callers that tell people
 * (docs/operating.md, "A full disk"): the disk is full (SQLITE_FULL, or
 * ENOSPC underneath), an I/O error (SQLITE_IOERR_*), or anything else. */
enum store_fault { STORE_FAULT_OTHER, STORE_FAULT_FULL, STORE_FAULT_IO };
enum store_fault store_fault(const struct store *s);

/* One row of the search index: the offer's texts in one language, already
 * normalised with text_normalise. */
struct search_row {
	const char *offer_id;
	const char *lang;
	const char *body;
};

/* Replaces all offers of a tenant (and their search rows) with `offers` in
 * one transaction. On failure nothing changes and an error is added to d.
 * Returns 0 or -1. */
int store_offers_replace(struct store *s, const char *tenant, const struct offer_list *offers,
                         const struct search_row *rows, size_t nrows, struct diag *d);
/* Reads the tenant's offers back from the database (same shape as the
 * file, same order; a tenant never stored gives an empty list with file
 * NULL). Returns NULL on error (in d). Everything, the struct offer_list
 * included, is allocated from l->arena: caller frees with offer_list_free
 * (which must be just arena_free(l->arena)). */
struct offer_list *store_offers_read(struct store *s, const char *tenant, struct diag *d);

/* Full-text search in one tenant and language. `query` is raw user text; it
 * is normalised here, split into words, and each word matched as a prefix.
 * Writes up to max offer ids (pointers valid until the next call on s) into
 * ids, best match first. Returns the count, or -1 on error. */
int store_search(struct store *s, const char *tenant, const char *lang, const char *query,
                 const char **ids, int max);

/* ---- the staff area (staff_store.c): accounts, sessions, failed logins,
 * audit log, revisions. Use from one thread per connection, like the rest.
 * Times are unix seconds. Functions return 0 (or a count/id) on success and
 * -1 on a database error (message in store_error). ---- */

#define STORE_NAME_MAX 64
#define STORE_OFFICES_MAX 1024

struct store_account {
	long long id;
	char name[STORE_NAME_MAX + 1];
	char role[8];                /* "editor" | "viewer" | "admin" */
	char offices[STORE_OFFICES_MAX];   /* "*" or tenant ids joined by "," */
	char hash[256];              /* password hash string */
	long long created;
	bool disabled;
};

/* Adds an account (with every office, "*"). Returns 0, 1 if the name is
 * taken, -1 on error. */
int store_account_add(struct store *s, const char *name, const char *role, const char *hash,
                      long long now);
/* Reads an account by name into *out. Returns 1 found, 0 not found, -1. */
int store_account_get(struct store *s, const char *name, struct store_account *out);
/* Sets the password hash / the disabled flag; both end the account's
 * sessions. Return 1 if changed, 0 if no such account, -1 on error. */
int store_account_set_hash(struct store *s, const char *name, const char *hash);
int store_account_set_disabled(struct store *s, const char *name, bool disabled);
/* Sets the offices ("*" or ids joined by ",") / the role of an account;
 * its sessions go on with the new ones. Return 1 if changed, 0 if no such
 * account, -1 on error (also for a role the table does not allow). */
int store_account_set_offices(struct store *s, const char *name, const char *offices);
int store_account_set_role(struct store *s, const char *name, const char *role);
/* Calls fn for every account, by name. Returns 0 or -1. */
int store_account_each(struct store *s, void (*fn)(void *ud, const struct store_account *a),
                       void *ud);

/* A login session joined with its account. */
struct store_session {
	long long account;
	char name[STORE_NAME_MAX + 1];
	char role[8];
	char offices[STORE_OFFICES_MAX];
	bool disabled;
	char csrf[64];
	long long created, last_seen;
};

int store_session_add(struct store *s, const char *id_hash, long long account, const char *csrf,
                      long long now);
/* Returns 1 found (filled *out), 0 not found, -1 on error. */
int store_session_get(struct store *s, const char *id_hash, struct store_session *out);
int store_session_touch(struct store *s, const char *id_hash, long long now);
int store_session_delete(struct store *s, const char *id_hash);
/* Deletes every session last seen before `before`. */
int store_session_expire(struct store *s, long long before);

/* Failed logins under a key ("account:NAME", "addr:IP"). */
int store_failure_add(struct store *s, const char *key, long long at);
/* Writes the times (newest first) of key's failures at or after `since`
 * into times (at most max); returns how many there are in all, or -1. */
int store_failure_times(struct store *s, const char *key, long long since, long long *times,
                        size_t max);
int store_failure_clear(struct store *s, const char *key);
/* Forgets every failure before `before`. */
int store_failure_expire(struct store *s, long long before);

/* ---- limits and retention of the staff tables (staff_limits.c) ---- */

/* Deletes one failure of key at time at (a login that was recorded as a
 * failure before its password was checked, and then succeeded). Returns 0
 * or -1. */
int store_failure_remove(struct store *s, const char *key, long long at);
/* Records a pair of failures (account key and address key) at `at` in one
 * transaction: both or neither. Returns 0 or -1. */
int store_failure_add2(struct store *s, const char *akey, const char *dkey, long long at);
/* Counts one login refused by the limit under key in the hour of `at`
 * (one row per key and hour). Returns 0 or -1. */
int store_refusal_add(struct store *s, const char *key, long long at);
/* Reads the count of key in the hour of `at` (0 when none). Returns the
 * count or -1. */
long long store_refusal_count(struct store *s, const char *key, long long at);

/* What store_staff_prune deletes: rows older than these unix times. */
struct store_prune {
	long long audit_before;      /* audit_log.at */
	long long failures_before;   /* staff_login_failures.at */
	long long refusals_before;   /* staff_login_refusals (by hour) */
	long long sessions_before;   /* staff_sessions.last_seen */
};
/* Deletes all of it in one transaction. Returns the number of rows
 * deleted, or -1 (nothing deleted). */
long long store_staff_prune(struct store *s, const struct store_prune *p);

struct store_audit_entry {
	long long id, at;
	const char *account;         /* NULL for the system */
	const char *action, *detail;
};

int store_audit_add(struct store *s, long long at, const char *account, const char *action,
                    const char *detail);
/* Calls fn for up to limit entries with id < before (before <= 0: newest),
 * newest first. Strings live during the call only. Returns 0 or -1. */
int store_audit_each(struct store *s, long long before, int limit,
                     void (*fn)(void *ud, const struct store_audit_entry *e), void *ud);

/* Like store_audit_each, but only the entries an account limited to some
 * offices may see: its own (account = name) and those whose detail names a
 * file of one of the offices ("flows/<t>/..."); offices is ",a,b,". */
int store_audit_each_scoped(struct store *s, long long before, int limit, const char *name,
                            const char *offices,
                            void (*fn)(void *ud, const struct store_audit_entry *e), void *ud);

/* One revision of a file. content is not NUL-terminated in the database,
 * but is here (content[len] == 0). */
struct store_revision {
	long long id, at, parent;    /* parent 0: none */
	char *tenant, *path, *author, *message;
	char *content;
	size_t len;
};

/* Stores a revision and returns its id (> 0), or -1. Call inside
 * store_tx_begin/commit when it must pair with a check. */
long long store_revision_add(struct store *s, const char *tenant, const char *path,
                             const char *content, size_t len, const char *author,
                             const char *message, long long at, long long parent);
/* Deletes revision id (taking back one whose file could not be written).
 * Returns 1 deleted, 0 no such revision, -1 on error. */
int store_revision_delete(struct store *s, long long id);
/* The latest revision id of a path: > 0, 0 when none, -1 on error. */
long long store_revision_latest(struct store *s, const char *path);
/* Reads revision id into *out (allocated; free with store_revision_free).
 * Returns 1 found, 0 not found, -1. */
int store_revision_get(struct store *s, long long id, struct store_revision *out);
/* Frees what store_revision_get allocated; the struct is zeroed. */
void store_revision_free(struct store_revision *r);
/* Calls fn for each revision of path, newest first, without content
 * (content NULL, len its size). Returns 0 or -1. */
int store_revision_each(struct store *s, const char *path,
                        void (*fn)(void *ud, const struct store_revision *r), void *ud);
/* Calls fn with every path that has revisions and its latest id. */
int store_revision_paths(struct store *s,
                         void (*fn)(void *ud, const char *path, long long latest), void *ud);

/* Explicit write transaction (BEGIN IMMEDIATE / COMMIT / ROLLBACK). */
int store_tx_begin(struct store *s);
int store_tx_commit(struct store *s);
void store_tx_rollback(struct store *s);

/* ---- conversations kept across a restart (saved.c, table saved_sessions) ---- */

struct store_saved {
	char *token;                 /* resume token (32 hex digits) */
	char *state;                 /* talk_save() line */
	long long expires;           /* unix seconds */
};

/* Replaces the whole table with the rows (none: empties it), in one
 * transaction, so rows an earlier clear could not delete (a full disk) are
 * never restored again. Returns 0, or -1 (nothing changed; message in
 * store_error). */
int store_saved_put(struct store *s, const struct store_saved *rows, size_t n);
/* Reads every row that expires after now into *rows (*n of them, oldest
 * expiry first; caller frees with store_saved_free) and deletes all rows,
 * expired ones too, in one transaction. Returns 0, or -1 (*rows NULL). */
int store_saved_take(struct store *s, long long now, struct store_saved **rows, size_t *n);
/* The same reading, without deleting (one SELECT). */
int store_saved_read(struct store *s, long long now, struct store_saved **rows, size_t *n);
/* Deletes all rows. Returns 0, or -1 (message in store_error). */
int store_saved_clear(struct store *s);
/* Frees rows and their strings. NULL is fine. */
void store_saved_free(struct store_saved *rows, size_t n);

/* ---- recorded voices (recordings.c, table recordings) ----
 * A recording belongs to one text (msgctxt, msgid; context "" when none)
 * of one office (tenant) in one language. Every upload, confirmation and
 * deletion is a new row (a revision) whose parent is the row before it;
 * the newest row of a text is its state (audio NULL: deleted). */

struct store_recording {
	long long id, at, parent;    /* parent 0: none */
	long long duration_ms;
	char *tenant, *lang, *context, *msgid, *text, *author;   /* context "" when none */
	unsigned char *audio;        /* NULL: deleted, or not read */
	size_t len;                  /* size of the audio (also when not read) */
};

/* Stores a new revision of the recording of (tenant, lang, context,
 * msgid): text is the translation it was recorded for; audio NULL marks
 * the recording deleted. Its parent is the text's newest row. Returns the
 * new id (> 0), or -1. */
long long store_recording_add(struct store *s, const char *tenant, const char *lang,
                              const char *context, const char *msgid, const char *text,
                              const void *audio, size_t len, long long duration_ms,
                              const char *author, long long at);
/* The newest row of a text, if it holds audio (with the audio itself when
 * with_audio) into *out (allocated; free with store_recording_free).
 * Returns 1 found, 0 none (never recorded, or deleted), -1 on error. */
int store_recording_current(struct store *s, const char *tenant, const char *lang,
                            const char *context, const char *msgid, bool with_audio,
                            struct store_recording *out);
/* Reads row id (with its audio) into *out (free with store_recording_free).
 * Returns 1 found, 0 not found, -1. */
int store_recording_get(struct store *s, long long id, struct store_recording *out);
/* Frees what the functions above allocated; the struct is zeroed. */
void store_recording_free(struct store_recording *r);
/* Calls fn for the newest row of every text of tenant in lang (lang NULL:
 * every language) that holds audio, without the audio. Strings live during
 * the call only. Returns 0 or -1. */
int store_recording_each(struct store *s, const char *tenant, const char *lang,
                         void (*fn)(void *ud, const struct store_recording *r), void *ud);
/* Calls fn for every revision of one text, newest first, without audio. */
int store_recording_history(struct store *s, const char *tenant, const char *lang,
                            const char *context, const char *msgid,
                            void (*fn)(void *ud, const struct store_recording *r), void *ud);

/* ---- backups (backup.c) ---- */

/* What store_backup wrote. */
struct store_backup_info {
	long long bytes;             /* size of the written file */
	int pages;                   /* database pages copied */
	int schema_version;          /* PRAGMA user_version of the copy */
};

enum { STORE_BACKUP_OK = 0, STORE_BACKUP_FAILED = -1, STORE_BACKUP_REFUSED = -2 };

/* Writes a consistent copy of the database at db_path (which a running
 * server may be writing: no row is written, it is never created or migrated)
 * to dest with sqlite's online backup API, page steps with short pauses
 * between them. One read transaction is held for the whole copy, so in WAL
 * mode the copy is one snapshot and writers go on undisturbed. The copy is
 * written to "dest.tmp" in dest's folder with the database file's permission
 * bits, switched to the rollback journal (one self-contained file), checked
 * with PRAGMA integrity_check, synced and renamed over dest (then the folder
 * is synced), so dest is never half-written; on any failure dest is left as
 * it was and dest.tmp is removed. Returns STORE_BACKUP_OK and fills *info;
 * STORE_BACKUP_REFUSED when dest or dest.tmp is the database itself or its
 * -wal, -shm or -journal file; STORE_BACKUP_FAILED for anything else (the
 * database cannot be read, dest's folder is missing, the disk is full, the
 * copy fails the check). Errors name the file, in err (bounded). Allocates
 * nothing that outlives the call. */
int store_backup(const char *db_path, const char *dest, struct store_backup_info *info, char *err,
                 size_t errlen);

#endif
