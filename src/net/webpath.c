/* webpath.c - checking and opening the kiosk page's files (see webpath.h). */
#include "net/webpath.h"

#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int allowed_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_' || c == '/';
}

/* Checks the components of rel: none empty, none starting with '.', at most
 * WEBPATH_MAX_DEPTH of them. */
static int check_components(const char *rel)
{
	int depth = 0;
	const char *p = rel;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || p[0] == '.' || ++depth > WEBPATH_MAX_DEPTH)
			return -1;
		if (!slash)
			return 0;
		p = slash + 1;
	}
}

int webpath_check(const char *url, char *out, size_t outlen)
{
	if (!url || url[0] != '/' || outlen == 0)
		return -1;
	const char *rel = url + 1;
	if (rel[0] == '\0')
		rel = "index.html";
	size_t n = strlen(rel);
	if (n >= WEBPATH_MAX || n >= outlen)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!allowed_char(rel[i]))
			return -1;
	if (check_components(rel) < 0)
		return -1;
	memcpy(out, rel, n + 1);
	return 0;
}

struct mime {
	const char *ext;
	const char *type;
};

static const struct mime mimes[] = {
	{"html", "text/html; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"mjs", "text/javascript; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"json", "application/json"},
	{"webmanifest", "application/manifest+json"},
	{"txt", "text/plain; charset=utf-8"},
	{"svg", "image/svg+xml"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"webp", "image/webp"},
	{"ico", "image/x-icon"},
	{"woff2", "font/woff2"},
	{"mp3", "audio/mpeg"},
	{"ogg", "audio/ogg"},
	{"opus", "audio/ogg"},
	{"wav", "audio/wav"},
};

const char *webpath_mime(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (!dot)
		return NULL;
	for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
		if (strcasecmp(dot + 1, mimes[i].ext) == 0)
			return mimes[i].type;
	return NULL;
}

/* Opens one component below dir; a directory unless last. */
static int open_component(int dir, const char *name, int last)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
	return openat(dir, name, flags);
}

int webpath_open(int dirfd, const char *rel, size_t *size)
{
	char buf[WEBPATH_MAX];
	size_t n = strlen(rel);
	int cur = -1, fd = -1;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, rel, n + 1);
	int at = dirfd;
	char *p = buf;
	for (;;) {
		char *slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		fd = open_component(at, p, !slash);
		if (cur >= 0)
			close(cur);
		cur = -1;
		if (fd < 0 || !slash)
			break;
		cur = at = fd;
		fd = -1;
		p = slash + 1;
	}
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0) {
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		*size = (size_t)st.st_size;
	}
	return fd;
}
