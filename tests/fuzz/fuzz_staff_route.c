/* fuzz_staff_route.c - fuzz target for the staff address's path handling:
 * the input is a request path (cut at its first NUL byte). staff_wants must
 * claim exactly "/", "/api", "/api/..." and "/staff", "/staff/..."; the
 * API's path splitter (staff_path_split, on the same 511-byte copy api.c
 * makes) must agree with a straightforward reference on accept or reject,
 * and the segments it returns must join back into the path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff/staff.h"
#include "staff/util.h"

#define SEGS 8       /* STAFF_MAX_SEGS in staff_priv.h */
#define PATH_CAP 512 /* struct req's url and path */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int seg_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* The reference: how many segments path has when acceptable, else -1. */
static int reference(const char *path)
{
	int n = 1;
	if (!*path)
		return -1;
	for (const char *p = path; *p; p++) {
		if (*p == '/')
			n++;
		else if (!seg_char(*p))
			return -1;
		int starts = p == path || p[-1] == '/';
		if (starts && (*p == '.' || *p == '/'))
			return -1;
	}
	if (path[strlen(path) - 1] == '/' || n > SEGS)
		return -1;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = malloc(size + 1), rurl[PATH_CAP], path[PATH_CAP], copy[PATH_CAP];
	char joined[PATH_CAP];
	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	int wants = !strcmp(url, "/") || !strcmp(url, "/api") || !strncmp(url, "/api/", 5) ||
	            !strcmp(url, "/staff") || !strncmp(url, "/staff/", 7);
	if (staff_wants(NULL, url) != wants)
		abort();
	if (strncmp(url, "/api/", 5) != 0) {
		free(url);
		return 0;
	}
	snprintf(rurl, sizeof(rurl), "%s", url);   /* as api.c: r->url[512], then r->path[512] */
	snprintf(path, sizeof(path), "%s", rurl + 5);
	memcpy(copy, path, sizeof(path));
	const char *seg[SEGS];
	int n = staff_path_split(path, seg, SEGS);
	if (n != reference(copy))
		abort();
	if (n > 0) {
		size_t len = 0;
		for (int i = 0; i < n; i++) {
			if (seg[i] < path || seg[i] >= path + sizeof(path) || !seg[i][0] || seg[i][0] == '.')
				abort();
			len += (size_t)snprintf(joined + len, sizeof(joined) - len, "%s%s", i ? "/" : "",
			                        seg[i]);
		}
		if (strcmp(joined, copy) != 0)
			abort();
	}
	free(url);
	return 0;
}
