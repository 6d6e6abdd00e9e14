/* sys.c - file and process helpers of the staff area (see sys.h). */
#include "staff/sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Reads into a new buffer (caller frees). */
int sys_read_file(const char *path, size_t max, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	char *buf = NULL;
	int rc = -1, saved = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		saved = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		goto out;
	}
	size_t size = (size_t)st.st_size, got = 0;
	buf = malloc(size + 1);
	if (!buf)
		goto out;
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	buf = NULL;
	rc = 0;
out:
	if (rc < 0 && !saved)
		saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sys_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

void sys_crash_point(const char *name)
{
	const char *at = getenv("LOTSE_CRASH_AT");
	if (!at)
		return;
	if (strcmp(at, name) == 0) {
		fprintf(stderr, "LOTSE_CRASH_AT=%s: exiting on purpose\n", name);
		_exit(137);
	}
	if (strncmp(at, "kill:", 5) == 0 && strcmp(at + 5, name) == 0) {
		fprintf(stderr, "LOTSE_CRASH_AT=%s: waiting here for kill -9\n", at);
		for (;;)
			sleep(60);
	}
}

/* The mode of the file being replaced (new files: 0644). */
static mode_t keep_mode(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (st.st_mode & 0777) : 0644;
}

int sys_write_atomic(const char *dir, const char *name, const void *data, size_t len,
                     char *err, size_t errlen)
{
	char tmp[4096], final[4096];
	int fd = -1, dfd = -1, rc = -1, saved = 0;
	bool made = false;
	if ((size_t)snprintf(final, sizeof(final), "%s/%s", dir, name) >= sizeof(final) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/" STAFF_TMP_PREFIX "%s-XXXXXX", dir, name) >=
	            sizeof(tmp)) {
		snprintf(err, errlen, "%s/%s: path too long", dir, name);
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail;
	made = true;
	if (fchmod(fd, keep_mode(final)) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	sys_crash_point("after_temp");
	if (rename(tmp, final) != 0)
		goto fail;
	made = false;
	sys_crash_point("after_rename");
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	saved = errno;
	snprintf(err, errlen, "%s: %s", final, strerror(saved));
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (made)
		unlink(tmp);
	if (rc < 0)
		errno = saved;   /* the caller tells a full disk from other errors */
	return rc;
}

int sys_remove_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, STAFF_TMP_PREFIX, strlen(STAFF_TMP_PREFIX)) == 0 &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0)
			n++;
	closedir(d);
	return n;
}

int sys_mkdtemp(char *out, size_t outlen)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(out, outlen, "%s/lotse-staff-XXXXXX", base) >= outlen)
		return -1;
	return mkdtemp(out) ? 0 : -1;
}

static bool is_yaml(const char *name)
{
	size_t l = strlen(name);
	return name[0] != '.' && l > 5 && strcmp(name + l - 5, ".yaml") == 0;
}

int sys_copy_yaml(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	struct dirent *e;
	int rc = 0;
	if (!d)
		return -1;
	while (rc == 0 && (e = readdir(d))) {
		if (!is_yaml(e->d_name))
			continue;
		char from[4096], to[4096], *buf = NULL;
		size_t len = 0;
		snprintf(from, sizeof(from), "%s/%s", src, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", dst, e->d_name);
		if (sys_read_file(from, 16u << 20, &buf, &len) != 0) {
			if (errno != EINVAL)   /* not a regular file: skip */
				rc = -1;
			continue;
		}
		rc = sys_write_file(to, buf, len);
		free(buf);
	}
	closedir(d);
	return rc;
}

void sys_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (d) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

/* ---- running a program ---- */

struct child {
	pid_t pid;
	int in, out, errfd;       /* our ends, -1 when closed */
	const char *input;
	size_t inlen, inpos, max_out;
	struct strbuf *sout, *serr;
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int spawn(struct child *ch, const char *const argv[], char *err, size_t errlen)
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	int rc = -1;
	if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int e = posix_spawnp(&ch->pid, argv[0], &fa, &at, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(e));
		goto out;
	}
	ch->in = pin[1];
	ch->out = pout[0];
	ch->errfd = perr[0];
	pin[1] = pout[0] = perr[0] = -1;
	fcntl(ch->in, F_SETFL, O_NONBLOCK);
	fcntl(ch->out, F_SETFL, O_NONBLOCK);
	fcntl(ch->errfd, F_SETFL, O_NONBLOCK);
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		close_fd(&pin[i]);
		close_fd(&pout[i]);
		close_fd(&perr[i]);
	}
	return rc;
}

/* Reads what is there from *fd into sb (up to max); closes it at EOF. */
static void drain(int *fd, struct strbuf *sb, size_t max)
{
	char buf[8192];
	ssize_t n = read(*fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close_fd(fd);
		return;
	}
	size_t room = sb->len < max ? max - sb->len : 0;
	strbuf_append(sb, buf, (size_t)n < room ? (size_t)n : room);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feeds stdin and collects stdout/stderr until both close or the deadline. */
static int pump(struct child *ch, long long deadline)
{
	if (!ch->input || ch->inlen == 0)
		close_fd(&ch->in);
	while (ch->out >= 0 || ch->errfd >= 0) {
		struct pollfd p[3];
		int n = 0, iin = -1, iout = -1, ierr = -1;
		if (ch->in >= 0) {
			p[n] = (struct pollfd){ch->in, POLLOUT, 0};
			iin = n++;
		}
		if (ch->out >= 0) {
			p[n] = (struct pollfd){ch->out, POLLIN, 0};
			iout = n++;
		}
		if (ch->errfd >= 0) {
			p[n] = (struct pollfd){ch->errfd, POLLIN, 0};
			ierr = n++;
		}
		long long left = deadline - now_ms();
		if (left <= 0)
			return -1;
		int r = poll(p, (nfds_t)n, (int)(left > 1000 ? 1000 : left));
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;
		if (iin >= 0 && p[iin].revents) {
			ssize_t w = write(ch->in, ch->input + ch->inpos, ch->inlen - ch->inpos);
			if (w > 0)
				ch->inpos += (size_t)w;
			if (w < 0 && errno != EINTR && errno != EAGAIN)
				close_fd(&ch->in);
			if (ch->inpos == ch->inlen)
				close_fd(&ch->in);
		}
		if (iout >= 0 && p[iout].revents)
			drain(&ch->out, ch->sout, ch->max_out);
		if (ierr >= 0 && p[ierr].revents)
			drain(&ch->errfd, ch->serr, ch->max_out);
	}
	return 0;
}

int sys_run(const char *const argv[], const char *input, size_t inlen, int timeout_s,
            size_t max_out, struct strbuf *out, struct strbuf *errout, char *err, size_t errlen)
{
	struct child ch = {.pid = -1, .in = -1, .out = -1, .errfd = -1, .input = input,
	                   .inlen = inlen, .max_out = max_out, .sout = out, .serr = errout};
	int status = 0, rc = -1;
	if (spawn(&ch, argv, err, errlen) < 0)
		return -1;
	bool timed_out = pump(&ch, now_ms() + (long long)timeout_s * 1000) < 0;
	if (timed_out)
		kill(ch.pid, SIGKILL);
	close_fd(&ch.in);
	close_fd(&ch.out);
	close_fd(&ch.errfd);
	while (waitpid(ch.pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		snprintf(err, errlen, "%s did not finish within %d seconds", argv[0], timeout_s);
	else if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else
		snprintf(err, errlen, "%s was killed by signal %d", argv[0],
		         WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return rc;
}
