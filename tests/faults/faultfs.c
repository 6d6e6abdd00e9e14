/* faultfs.c - a fault-injection shim for tests (LD_PRELOAD): makes writes to
 * files under one folder fail with ENOSPC ("the disk is full") or EIO while a
 * trigger file exists, so a test can fill and free the "disk" of a running
 * `lotse serve` (docs/contributing.md, "Fault injection").
 *
 * Environment:
 *   LOTSE_FAULTFS_TRIGGER  path of the trigger file (required; no file: no
 *                          faults, everything passes through)
 *   LOTSE_FAULTFS_DIR      the folder whose files fail (default; the trigger
 *                          file may name another one)
 * The trigger file holds `key=value` lines, all optional:
 *   errno=ENOSPC|EIO       the error (default ENOSPC)
 *   dir=/abs/folder        overrides LOTSE_FAULTFS_DIR (repeatable: up to 8)
 *   after=N                let N more bytes be written first, then fail
 *                          (a write that crosses the limit is cut short)
 * The file is re-read whenever its inode, size or mtime changes.
 *
 * Covered (what sqlite and our atomic file writes use, checked with
 * strace -f): write, pwrite, pwrite64, writev, pwritev, fsync, fdatasync,
 * ftruncate(64) that grows a file, fallocate(64), posix_fallocate(64),
 * rename, renameat, renameat2, open/open64/openat/openat64/creat with O_CREAT
 * of a file that does not exist yet, mkstemp/mkostemp. Reads are never
 * touched. fd-based calls find the file's path with /proc/self/fd.
 *
 * The shim removes itself from LD_PRELOAD at load, so children (msgfmt, dot,
 * espeak-ng) run without it. Under AddressSanitizer, preload the sanitizer
 * runtime first: LD_PRELOAD="$(gcc -print-file-name=libasan.so):faultfs.so";
 * ASan's interceptors then call into this shim, which calls libc.
 *
 * Every injected failure is counted, and the count is written (decimal) to
 * "<trigger>.count", so a test can check that faults really happened.
 *
 * Test code only: built with the tests, never linked into lotse. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_DIRS 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool loaded;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	bool active;
	int err;
	char dirs[MAX_DIRS][PATH_MAX];
	size_t ndirs;
	bool limited;
	unsigned long long budget;   /* bytes still allowed when limited */
} st;

static const char *trigger_path(void)
{
	static const char *p;
	static bool got;
	if (!got) {
		p = getenv("LOTSE_FAULTFS_TRIGGER");
		got = true;
	}
	return p && *p ? p : NULL;
}

/* Adds a folder (made canonical when it exists) to st.dirs. */
static void add_dir(const char *d)
{
	char canon[PATH_MAX];
	if (st.ndirs == MAX_DIRS || !d || !*d)
		return;
	if (!realpath(d, canon))
		snprintf(canon, sizeof(canon), "%s", d);
	size_t l = strlen(canon);
	while (l > 1 && canon[l - 1] == '/')
		canon[--l] = '\0';
	snprintf(st.dirs[st.ndirs++], PATH_MAX, "%s", canon);
}

/* Re-reads the trigger file when it changed. Call with lock held. Uses raw
 * syscalls for reading so nothing here recurses into the shim. */
static void refresh(void)
{
	const char *t = trigger_path();
	struct stat s;
	if (!t || stat(t, &s) != 0) {
		st.active = false;
		st.loaded = false;
		return;
	}
	if (st.loaded && s.st_dev == st.dev && s.st_ino == st.ino && s.st_size == st.size &&
	    s.st_mtim.tv_sec == st.mtime.tv_sec && s.st_mtim.tv_nsec == st.mtime.tv_nsec)
		return;
	char buf[4096];
	ssize_t n = 0;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, t, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = syscall(SYS_read, fd, buf, sizeof(buf) - 1);
		syscall(SYS_close, fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	st.loaded = true;
	st.dev = s.st_dev;
	st.ino = s.st_ino;
	st.size = s.st_size;
	st.mtime = s.st_mtim;
	st.active = true;
	st.err = ENOSPC;
	st.ndirs = 0;
	st.limited = false;
	for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "errno=", 6))
			st.err = !strcmp(line + 6, "EIO") ? EIO : ENOSPC;
		else if (!strncmp(line, "dir=", 4))
			add_dir(line + 4);
		else if (!strncmp(line, "after=", 6)) {
			st.limited = true;
			st.budget = strtoull(line + 6, NULL, 10);
		}
	}
	if (st.ndirs == 0)
		add_dir(getenv("LOTSE_FAULTFS_DIR"));
}

static bool under(const char *path)
{
	for (size_t i = 0; i < st.ndirs; i++) {
		size_t l = strlen(st.dirs[i]);
		if (!strncmp(path, st.dirs[i], l) && (path[l] == '/' || path[l] == '\0'))
			return true;
	}
	return false;
}

/* The canonical path of an fd (into out); false when unknown. */
static bool fd_path(int fd, char *out, size_t n)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t l = syscall(SYS_readlinkat, AT_FDCWD, link, out, n - 1);
	if (l <= 0)
		return false;
	out[l] = '\0';
	return out[0] == '/';
}

/* The canonical form of a path that may not exist yet: its folder made
 * canonical, plus the last component. dirfd: AT_FDCWD or a folder. */
static bool name_path(int dirfd, const char *path, char *out, size_t n)
{
	char full[2 * PATH_MAX + 2], dir[PATH_MAX], canon[PATH_MAX];
	int w;
	if (path[0] == '/')
		w = snprintf(full, sizeof(full), "%s", path);
	else if (dirfd == AT_FDCWD) {
		if (!getcwd(dir, sizeof(dir)))
			return false;
		w = snprintf(full, sizeof(full), "%s/%s", dir, path);
	} else {
		if (!fd_path(dirfd, dir, sizeof(dir)))
			return false;
		w = snprintf(full, sizeof(full), "%s/%s", dir, path);
	}
	if (w < 0 || (size_t)w >= sizeof(full))
		return false;
	char *slash = strrchr(full, '/');
	*slash = '\0';
	if (!realpath(full[0] ? full : "/", canon))
		snprintf(canon, sizeof(canon), "%.*s", PATH_MAX - 1, full[0] ? full : "/");
	w = snprintf(out, n, "%s/%s", canon, slash + 1);
	return w >= 0 && (size_t)w < n;
}

/* Decides whether a write of len bytes (0: not a data write) to the file at
 * path fails. *allowed gets the bytes that may go through (< len: cut). */
static bool fail_path(const char *path, size_t len, size_t *allowed)
{
	bool fail = false;
	if (allowed)
		*allowed = len;
	pthread_mutex_lock(&lock);
	refresh();
	if (st.active && path && under(path)) {
		if (!st.limited) {
			fail = true;
		} else if (len && st.budget > 0) {
			size_t ok = st.budget < len ? (size_t)st.budget : len;
			st.budget -= ok;
			if (allowed)
				*allowed = ok;
		} else {
			fail = st.budget == 0;
		}
	}
	pthread_mutex_unlock(&lock);
	return fail;
}

static bool fail_fd(int fd, size_t len, size_t *allowed)
{
	char p[PATH_MAX];
	if (allowed)
		*allowed = len;
	if (!trigger_path())
		return false;
	return fd_path(fd, p, sizeof(p)) && fail_path(p, len, allowed);
}

static bool fail_name(int dirfd, const char *path)
{
	char p[2 * PATH_MAX + 2];
	if (!trigger_path() || !path)
		return false;
	return name_path(dirfd, path, p, sizeof(p)) && fail_path(p, 0, NULL);
}

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (!real_##name) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

/* Counts one injected failure into "<trigger>.count" (raw syscalls: the
 * shim must not call itself). Returns the errno to report. */
static int injected(void)
{
	static unsigned long long count;
	char path[PATH_MAX], num[32];
	pthread_mutex_lock(&lock);
	int e = st.err;
	unsigned long long c = ++count;
	pthread_mutex_unlock(&lock);
	const char *t = trigger_path();
	if (t && (size_t)snprintf(path, sizeof(path), "%s.count", t) < sizeof(path)) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, path,
		                      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			int n = snprintf(num, sizeof(num), "%llu\n", c);
			if (syscall(SYS_write, fd, num, (size_t)n) < 0) {
				/* a test reading the count sees an old value */
			}
			syscall(SYS_close, fd);
		}
	}
	return e;
}

#define FAIL()                     \
	do {                       \
		errno = injected(); \
		return -1;         \
	} while (0)

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	size_t ok;
	if (fail_fd(fd, n, &ok))
		FAIL();
	return real_write(fd, buf, ok);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	size_t ok;
	if (fail_fd(fd, n, &ok))
		FAIL();
	return real_pwrite(fd, buf, ok, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64);
	size_t ok;
	if (fail_fd(fd, n, &ok))
		FAIL();
	return real_pwrite64(fd, buf, ok, off);
}

static size_t iov_len(const struct iovec *iov, int cnt)
{
	size_t n = 0;
	for (int i = 0; i < cnt; i++)
		n += iov[i].iov_len;
	return n;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(writev);
	REAL(write);
	size_t n = iov_len(iov, cnt), ok;
	if (fail_fd(fd, n, &ok))
		FAIL();
	if (ok < n && cnt > 0)   /* cut short: write what is allowed of the first parts */
		return real_write(fd, iov[0].iov_base, ok < iov[0].iov_len ? ok : iov[0].iov_len);
	return real_writev(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	REAL(pwritev);
	size_t n = iov_len(iov, cnt), ok;
	if (fail_fd(fd, n, &ok))
		FAIL();
	if (ok < n && cnt > 0)
		return pwrite(fd, iov[0].iov_base, ok < iov[0].iov_len ? ok : iov[0].iov_len, off);
	return real_pwritev(fd, iov, cnt, off);
}

int fsync(int fd)
{
	REAL(fsync);
	if (fail_fd(fd, 0, NULL))
		FAIL();
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync);
	if (fail_fd(fd, 0, NULL))
		FAIL();
	return real_fdatasync(fd);
}

/* Only growing needs space; shrinking always works on a full disk. */
static bool grows(int fd, off64_t len)
{
	struct stat s;
	return fstat(fd, &s) != 0 || len > s.st_size;
}

int ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	if (grows(fd, len) && fail_fd(fd, 0, NULL))
		FAIL();
	return real_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	REAL(ftruncate64);
	if (grows(fd, len) && fail_fd(fd, 0, NULL))
		FAIL();
	return real_ftruncate64(fd, len);
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	REAL(fallocate);
	if (fail_fd(fd, 0, NULL))
		FAIL();
	return real_fallocate(fd, mode, off, len);
}

int fallocate64(int fd, int mode, off64_t off, off64_t len)
{
	REAL(fallocate64);
	if (fail_fd(fd, 0, NULL))
		FAIL();
	return real_fallocate64(fd, mode, off, len);
}

/* posix_fallocate returns the error instead of setting errno. */
int posix_fallocate(int fd, off_t off, off_t len)
{
	REAL(posix_fallocate);
	if (fail_fd(fd, 0, NULL))
		return injected();
	return real_posix_fallocate(fd, off, len);
}

int posix_fallocate64(int fd, off64_t off, off64_t len)
{
	REAL(posix_fallocate64);
	if (fail_fd(fd, 0, NULL))
		return injected();
	return real_posix_fallocate64(fd, off, len);
}

int rename(const char *from, const char *to)
{
	REAL(rename);
	if (fail_name(AT_FDCWD, to))
		FAIL();
	return real_rename(from, to);
}

int renameat(int fd1, const char *from, int fd2, const char *to)
{
	REAL(renameat);
	if (fail_name(fd2, to))
		FAIL();
	return real_renameat(fd1, from, fd2, to);
}

int renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags)
{
	REAL(renameat2);
	if (fail_name(fd2, to))
		FAIL();
	return real_renameat2(fd1, from, fd2, to, flags);
}

/* O_CREAT of a file that does not exist yet needs a directory entry and an
 * inode: refused. Opening an existing file (also with O_CREAT) works. */
static bool fail_create(int dirfd, const char *path, int flags)
{
	struct stat s;
	if (!(flags & O_CREAT) || !trigger_path())
		return false;
	if (fstatat(dirfd, path, &s, 0) == 0)
		return false;
	return fail_name(dirfd, path);
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	REAL(open);
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	if (fail_create(AT_FDCWD, path, flags))
		FAIL();
	return real_open(path, flags, m);
}

int open64(const char *path, int flags, ...)
{
	REAL(open64);
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	if (fail_create(AT_FDCWD, path, flags))
		FAIL();
	return real_open64(path, flags, m);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	REAL(openat);
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	if (fail_create(dirfd, path, flags))
		FAIL();
	return real_openat(dirfd, path, flags, m);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	REAL(openat64);
	va_list ap;
	va_start(ap, flags);
	mode_t m = mode_arg(flags, ap);
	va_end(ap);
	if (fail_create(dirfd, path, flags))
		FAIL();
	return real_openat64(dirfd, path, flags, m);
}

int creat(const char *path, mode_t m)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, m);
}

/* glibc's mkstemp family opens through an internal call the shim cannot
 * see: the new file is removed again when it must not exist. */
int mkostemp(char *tmpl, int flags)
{
	REAL(mkostemp);
	int fd = real_mkostemp(tmpl, flags);
	if (fd >= 0 && fail_name(AT_FDCWD, tmpl)) {
		close(fd);
		unlink(tmpl);
		FAIL();
	}
	return fd;
}

int mkstemp(char *tmpl)
{
	return mkostemp(tmpl, 0);
}

/* Children (msgfmt, dot, espeak-ng) run without the shim (and without a
 * sanitizer runtime preloaded for the server). */
__attribute__((constructor)) static void faultfs_init(void)
{
	unsetenv("LD_PRELOAD");
}
