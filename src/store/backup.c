/* backup.c - `lotse backup`: a consistent copy of the live database while
 * the server runs, with sqlite's online backup API.
 *
 * The source is only read, and one read transaction is held for the
 * whole copy: in WAL mode that is one fixed snapshot (every transaction
 * committed before it, none after), writers are never blocked, and the copy
 * never restarts however busy the server is. Pages are copied in steps with
 * a short pause between them, so the copy does not hog the disk. The copy is
 * written to FILE.tmp (with the database file's permission bits, as it holds
 * the same password hashes), switched to the rollback journal so it is one
 * self-contained file, checked with PRAGMA integrity_check, synced and
 * renamed over FILE, so FILE is either the previous backup or a complete,
 * checked new one. See store.h. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pages copied per step (512 KiB with 4 KiB pages), and the pause between
 * steps. */
#define STORE_BACKUP_STEP_PAGES 128
#define STORE_BACKUP_PAUSE_MS 5

/* Suffixes of the files that belong to a live database. */
static const char *const live_suffix[] = {"", "-wal", "-shm", "-journal"};
static const char *const live_what[] = {
	"the live database",
	"the live database's write-ahead log",
	"the live database's shared-memory index",
	"the live database's rollback journal",
};

/* The paths the copy uses: FILE, FILE.tmp and the folder they are in.
 * Allocated by paths_make, freed by paths_free. */
struct paths {
	char *tmp;
	char *dir;
};

static void paths_free(struct paths *p)
{
	free(p->tmp);
	free(p->dir);
}

/* Allocates p->tmp ("FILE.tmp") and p->dir (FILE's folder, "." when FILE
 * has no slash); caller frees with paths_free. Returns 0 or -1. */
static int paths_make(struct paths *p, const char *file)
{
	size_t n = strlen(file);
	const char *slash = strrchr(file, '/');
	size_t dn = slash ? (size_t)(slash - file) : 1;
	p->tmp = malloc(n + sizeof ".tmp");
	p->dir = malloc(dn + 1);
	if (!p->tmp || !p->dir)
		return -1;
	memcpy(p->tmp, file, n);
	memcpy(p->tmp + n, ".tmp", sizeof ".tmp");
	if (!slash)
		memcpy(p->dir, ".", 2);
	else if (dn == 0)
		memcpy(p->dir, "/", 2);
	else {
		memcpy(p->dir, file, dn);
		p->dir[dn] = 0;
	}
	return 0;
}

/* Whether path names the same file as one of the live database's files;
 * returns the index into live_suffix, or -1. */
static int live_file(const char *db, const char *path)
{
	struct stat a, b;
	char name[4096];
	if (stat(path, &a) != 0)
		return -1;
	for (size_t i = 0; i < sizeof live_suffix / sizeof live_suffix[0]; i++) {
		int len = snprintf(name, sizeof name, "%s%s", db, live_suffix[i]);
		if (len < 0 || (size_t)len >= sizeof name)
			continue;
		if (stat(name, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return (int)i;
	}
	return -1;
}

/* Checks everything that can be checked before copying and reads the
 * database's permission bits into *mode. Returns 0, or STORE_BACKUP_FAILED
 * or STORE_BACKUP_REFUSED with err set. */
static int precheck(const char *db, const char *file, const struct paths *p, mode_t *mode,
                    char *err, size_t errlen)
{
	struct stat st;
	if (stat(db, &st) != 0) {
		snprintf(err, errlen, "%s: cannot read the database: %s", db, strerror(errno));
		return STORE_BACKUP_FAILED;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot read the database: not a regular file", db);
		return STORE_BACKUP_FAILED;
	}
	*mode = st.st_mode & 0777;
	if (stat(p->dir, &st) != 0) {
		if (errno == ENOENT)
			snprintf(err, errlen, "%s: cannot write the backup: the folder %s does not exist", file,
			         p->dir);
		else
			snprintf(err, errlen, "%s: cannot write the backup: folder %s: %s", file, p->dir,
			         strerror(errno));
		return STORE_BACKUP_FAILED;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot write the backup: %s is not a folder", file, p->dir);
		return STORE_BACKUP_FAILED;
	}
	int which = live_file(db, file);
	if (which >= 0) {
		snprintf(err, errlen, "%s is %s %s%s; refusing to overwrite it: give another file name",
		         file, live_what[which], db, live_suffix[which]);
		return STORE_BACKUP_REFUSED;
	}
	which = live_file(db, p->tmp);
	if (which >= 0) {
		snprintf(err, errlen,
		         "%s would be written through %s, which is %s %s%s; refusing: give another file name",
		         file, p->tmp, live_what[which], db, live_suffix[which]);
		return STORE_BACKUP_REFUSED;
	}
	if (stat(file, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot write the backup: it is a folder", file);
		return STORE_BACKUP_FAILED;
	}
	return 0;
}

/* Removes FILE.tmp and the files sqlite may have made next to it. */
static void remove_tmp(const char *tmp)
{
	char name[4096];
	for (size_t i = 0; i < sizeof live_suffix / sizeof live_suffix[0]; i++) {
		int len = snprintf(name, sizeof name, "%s%s", tmp, live_suffix[i]);
		if (len > 0 && (size_t)len < sizeof name)
			unlink(name);
	}
}

/* "what failed: sqlite's message" plus the system's reason when there is one
 * (e.g. "No space left on device"). */
static void db_error(char *err, size_t errlen, const char *what, sqlite3 *db, int rc)
{
	int sys = db ? sqlite3_system_errno(db) : 0;
	const char *msg = sqlite3_errstr(rc);
	if ((rc & 0xff) == SQLITE_FULL)
		msg = "the disk is full";
	if (sys && (rc & 0xff) != SQLITE_NOTADB && (rc & 0xff) != SQLITE_CORRUPT)
		snprintf(err, errlen, "%s: %s (%s)", what, msg, strerror(sys));
	else
		snprintf(err, errlen, "%s: %s", what, msg);
}

/* Opens the source and starts the read transaction that fixes the snapshot.
 * No row is written through this connection; it is opened read-write (never
 * created) only so that, when no server runs, closing it checkpoints and
 * removes the -wal and -shm files it had to make, as a read-only connection
 * cannot (it would leave them behind, owned by whoever ran the backup).
 * Returns 0 or -1 (err set). */
static int open_source(const char *db, sqlite3 **src, char *err, size_t errlen)
{
	char what[4200];
	snprintf(what, sizeof what, "%s: cannot read the database", db);
	int rc = sqlite3_open_v2(db, src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(*src, 1);
		sqlite3_busy_timeout(*src, 5000);
		rc = sqlite3_exec(*src, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		db_error(err, errlen, what, *src, sqlite3_extended_errcode(*src));
		return -1;
	}
	return 0;
}

/* Creates FILE.tmp empty with the given permission bits (any older one is
 * removed first) and opens it. Returns 0 or -1 (err set). */
static int open_dest(const char *tmp, mode_t mode, sqlite3 **dst, char *err, size_t errlen)
{
	char what[4200];
	snprintf(what, sizeof what, "%s: cannot write the backup", tmp);
	remove_tmp(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, mode) != 0) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	/* FILE.tmp is thrown away on any failure, so it needs no journal. */
	int rc = sqlite3_open_v2(tmp, dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(*dst, 1);
		rc = sqlite3_exec(*dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
		                  NULL);
	}
	if (rc != SQLITE_OK) {
		db_error(err, errlen, what, *dst, sqlite3_extended_errcode(*dst));
		return -1;
	}
	return 0;
}

/* Copies src into dst, STORE_BACKUP_STEP_PAGES at a time. Returns 0 or -1
 * (err set). */
static int copy(const char *db, const char *tmp, sqlite3 *src, sqlite3 *dst,
                struct store_backup_info *info, char *err, size_t errlen)
{
	char what[8400];
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		snprintf(what, sizeof what, "%s: cannot start the backup", tmp);
		db_error(err, errlen, what, dst, sqlite3_extended_errcode(dst));
		return -1;
	}
	int rc;
	do {
		rc = sqlite3_backup_step(b, STORE_BACKUP_STEP_PAGES);
		if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(STORE_BACKUP_PAUSE_MS);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	info->pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		return 0;
	/* A write error is the copy's (disk full, I/O); anything else is the
	 * source's (corrupt, not a database). */
	int prim = rc & 0xff;
	if (prim == SQLITE_FULL || prim == SQLITE_IOERR || prim == SQLITE_READONLY ||
	    prim == SQLITE_CANTOPEN) {
		snprintf(what, sizeof what, "%s: cannot write the backup", tmp);
		db_error(err, errlen, what, dst, rc);
	} else {
		snprintf(what, sizeof what, "%s: cannot copy the database into %s", db, tmp);
		snprintf(err, errlen, "%s: %s", what, sqlite3_errstr(rc));
	}
	return -1;
}

/* Switches the finished copy to the rollback journal (so it is one file,
 * without -wal or -shm), runs PRAGMA integrity_check and reads user_version.
 * Returns 0 or -1 (err set). */
static int verify(const char *tmp, struct store_backup_info *info, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char what[4200];
	int rc = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	int ok = -1;
	snprintf(what, sizeof what, "%s: cannot check the copy", tmp);
	if (rc != SQLITE_OK)
		goto dberr;
	sqlite3_extended_result_codes(db, 1);
	if ((rc = sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL)) != SQLITE_OK)
		goto dberr;
	int rows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		if (rows++ == 0 && (!line || strcmp(line, "ok") != 0)) {
			snprintf(err, errlen, "%s: the copy fails the integrity check: %s", tmp,
			         line ? line : "(no message)");
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		goto dberr;
	if (rows != 1) {
		snprintf(err, errlen, "%s: the copy fails the integrity check (%d messages)", tmp, rows);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_step(st)) != SQLITE_ROW)
		goto dberr;
	info->schema_version = sqlite3_column_int(st, 0);
	ok = 0;
	goto out;
dberr:
	db_error(err, errlen, what, db, db ? sqlite3_extended_errcode(db) : rc);
out:
	sqlite3_finalize(st);
	if (sqlite3_close(db) != SQLITE_OK && ok == 0) {
		db_error(err, errlen, what, db, sqlite3_extended_errcode(db));
		ok = -1;
	}
	return ok;
}

/* fsync(2) of a file or folder by name. Returns 0 or -1 (errno set). */
static int sync_path(const char *path, int flags, long long *size)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = fsync(fd);
	if (rc == 0 && size) {
		rc = fstat(fd, &st);
		*size = (long long)st.st_size;
	}
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Makes FILE.tmp durable and renames it to FILE. Returns 0 or -1. */
static int publish(const char *file, const struct paths *p, struct store_backup_info *info,
                   char *err, size_t errlen)
{
	if (sync_path(p->tmp, O_RDONLY, &info->bytes) != 0) {
		snprintf(err, errlen, "%s: cannot write the backup: %s", p->tmp, strerror(errno));
		return -1;
	}
	if (rename(p->tmp, file) != 0) {
		snprintf(err, errlen, "%s: cannot rename %s to it: %s", file, p->tmp, strerror(errno));
		return -1;
	}
	if (sync_path(p->dir, O_RDONLY | O_DIRECTORY, NULL) != 0) {
		snprintf(err, errlen, "%s: written, but syncing the folder %s failed: %s", file, p->dir,
		         strerror(errno));
		return -1;
	}
	return 0;
}

/* Allocates and frees only its own temporaries. */
int store_backup(const char *db, const char *file, struct store_backup_info *info, char *err,
                 size_t errlen)
{
	struct paths p = {0};
	sqlite3 *src = NULL, *dst = NULL;
	bool made_tmp = false;
	mode_t mode = 0600;
	int rc = STORE_BACKUP_FAILED;
	memset(info, 0, sizeof *info);
	snprintf(err, errlen, "out of memory");
	if (!db || !*db || !file || !*file) {
		snprintf(err, errlen, "the database and the backup file must be named");
		return STORE_BACKUP_REFUSED;
	}
	if (paths_make(&p, file) < 0)
		goto out;
	if ((rc = precheck(db, file, &p, &mode, err, errlen)) != 0)
		goto out;
	rc = STORE_BACKUP_FAILED;
	if (open_source(db, &src, err, errlen) < 0)
		goto out;
	made_tmp = true;
	if (open_dest(p.tmp, mode, &dst, err, errlen) < 0 ||
	    copy(db, p.tmp, src, dst, info, err, errlen) < 0)
		goto out;
	sqlite3_close(dst);
	dst = NULL;
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(src);
	src = NULL;
	if (verify(p.tmp, info, err, errlen) < 0 || publish(file, &p, info, err, errlen) < 0)
		goto out;
	made_tmp = false;
	err[0] = 0;
	rc = STORE_BACKUP_OK;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	if (made_tmp)
		remove_tmp(p.tmp);
	paths_free(&p);
	return rc;
}
