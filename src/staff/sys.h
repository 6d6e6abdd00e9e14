/* sys.h - file and process helpers of the staff area: whole-file reads,
 * atomic replacement (temporary file in the same folder, fsync, rename,
 * fsync of the folder), temporary copies of a tenant folder for checks and
 * previews, running msgfmt and dot without a shell, and the crash points
 * the tests use to kill the server in the middle of a publish. */
#ifndef LOTSE_STAFF_SYS_H
#define LOTSE_STAFF_SYS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Prefix of the temporary files written next to a file being replaced;
 * the scanners skip dot-files, and recovery removes left-overs. */
#define STAFF_TMP_PREFIX ".lotse-tmp-"

/* Reads a whole regular file of at most max bytes into a new NUL-terminated
 * buffer (*out, caller frees; *len its size). Returns 0, or -1 with errno
 * set (ENOENT: missing, EFBIG: too big). */
int sys_read_file(const char *path, size_t max, char **out, size_t *len);
/* Replaces dir/name atomically with data: writes STAFF_TMP_PREFIX<name>-XXXXXX
 * in dir, fsyncs it, renames it over name, fsyncs dir. On failure the old
 * file is untouched and a message is in err. Crash points "after_temp" and
 * "after_rename". Returns 0 or -1. */
int sys_write_atomic(const char *dir, const char *name, const void *data, size_t len,
                     char *err, size_t errlen);
/* Removes STAFF_TMP_PREFIX* files in dir (left by a crash); returns how many. */
int sys_remove_temps(const char *dir);
/* Makes a new private folder under $TMPDIR (or /tmp) into out. Returns 0/-1. */
int sys_mkdtemp(char *out, size_t outlen);
/* Copies the *.yaml files of folder src into the existing folder dst.
 * Returns 0 or -1. */
int sys_copy_yaml(const char *src, const char *dst);
/* Removes folder dir with the files in it (one level). */
void sys_remove_dir(const char *dir);
/* Writes data into a new file path (0600). Returns 0 or -1. */
int sys_write_file(const char *path, const void *data, size_t len);

/* Runs argv[0] (looked up in PATH, no shell) with `input` on its stdin
 * (NULL: /dev/null), collecting stdout and stderr (each capped at
 * max_out bytes; more is dropped). Kills it after timeout_s seconds.
 * Returns the exit status (0..255), or -1 if it could not run, was killed
 * or timed out (reason in err). */
int sys_run(const char *const argv[], const char *input, size_t inlen, int timeout_s,
            size_t max_out, struct strbuf *out, struct strbuf *errout, char *err, size_t errlen);

/* For the crash tests only: if the environment variable LOTSE_CRASH_AT
 * names this point, exits at once with status 137 (as kill -9 would); if it
 * is "kill:" and this point, says so on stderr and waits there for a real
 * kill -9. */
void sys_crash_point(const char *name);

#endif
