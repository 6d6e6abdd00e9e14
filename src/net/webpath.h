/* webpath.h - which URL paths the kiosk address may serve, and as what.
 *
 * libmicrohttpd hands over the URL percent-decoded but not normalised, so
 * ".." or a NUL may arrive as they are. Files are served only when the path
 * passes webpath_check (a conservative character set, no dot-files, no ".."
 * or empty components) and has a known extension; the file is then opened
 * component by component with openat(O_NOFOLLOW) under the page folder.
 */
#ifndef LOTSE_WEBPATH_H
#define LOTSE_WEBPATH_H

#include <stddef.h>

#define WEBPATH_MAX 256
#define WEBPATH_MAX_DEPTH 8

/* Turns a request path ("/", "/app.js", "/img/a.svg") into a relative file
 * path ("index.html", "app.js", "img/a.svg") in out (bounded). Returns 0, or
 * -1 if the path must not be served. */
int webpath_check(const char *url, char *out, size_t outlen);
/* The Content-Type for a file name by its extension, or NULL if such files
 * are not served. */
const char *webpath_mime(const char *path);
/* Opens the relative path (already checked) under the folder dirfd without
 * following any symbolic link; regular files only. Returns an fd (caller
 * closes) and its size in *size, or -1. */
int webpath_open(int dirfd, const char *rel, size_t *size);

#endif
