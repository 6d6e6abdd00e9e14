/* util.h - small, pure helpers of the staff area, kept apart from HTTP so
 * they can be unit-tested and fuzzed: the API path splitter, cookie
 * parsing, the login rate limit, base64url tokens, a line diff in unified
 * format, offers read from request bodies and the offers.yaml writer. */
#ifndef LOTSE_STAFF_UTIL_H
#define LOTSE_STAFF_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "flow/tenant.h"
#include "util/strbuf.h"

/* ---- the API's request path (path.c) ---- */

/* Splits path (what follows "/api/" in a request URL) in place at '/' into
 * at most max segments, pointers into path stored in seg. Returns the
 * number of segments, or -1 when path is empty, has more than max
 * segments, or a segment is empty, starts with '.' or holds anything but
 * [A-Za-z0-9_.-]. */
int staff_path_split(char *path, const char **seg, size_t max);

/* ---- cookies (cookie.c) ---- */

#define STAFF_COOKIE "lotse_staff"
#define STAFF_TOKEN_BYTES 32
#define STAFF_TOKEN_LEN 43            /* base64url of 32 bytes, no padding */

/* Finds cookie `name` in a Cookie header value ("a=1; b=\"2\""), as browsers
 * send it (RFC 6265 section 4.2). Copies its value, without surrounding
 * quotes, into out (bounded, NUL-terminated). Returns 1 when found, 0 when
 * absent, -1 when the header is malformed around it, its value holds
 * characters a cookie may not, does not fit into out, or the name appears
 * twice (ambiguous: never guess which session is meant). Other cookies'
 * oddities are skipped. */
int staff_cookie_find(const char *header, const char *name, char *out, size_t outlen);
/* True if s is exactly STAFF_TOKEN_LEN characters of the base64url alphabet. */
bool staff_token_valid(const char *s);
/* Writes the unpadded base64url form of n bytes into out (needs
 * 4 * n / 3 + 2 bytes); returns out. */
char *staff_b64url(const unsigned char *bytes, size_t n, char *out, size_t outlen);

/* ---- the login rate limit (ratelimit.c) ---- */

/* times: the failures of one key within the last `window` seconds, newest
 * first (n of them). Returns 0 if one more attempt is allowed (fewer than
 * `limit` failures), else the seconds until the oldest failure that still
 * counts leaves the window (at least 1). */
long staff_rate_wait(const long long *times, size_t n, size_t limit, long long window,
                     long long now);

/* ---- line diff (diff.c) ---- */

/* Writes a unified diff ("--- name_a", "+++ name_b", "@@ -l,n +l,n @@"
 * hunks with `context` lines around each change, "\ No newline at end of
 * file" where needed) of a and b into out. Identical inputs give "".
 * Inputs with more than STAFF_DIFF_MAX_EDITS differences are shown as one
 * hunk replacing everything. Returns 0, or -1 when out of memory. */
#define STAFF_DIFF_MAX_EDITS 2000
int staff_diff(const char *a, size_t alen, const char *b, size_t blen, const char *name_a,
               const char *name_b, int context, struct strbuf *out);

/* ---- offers from request bodies (offers_api.c) ---- */

struct arena;
struct json_t;   /* jansson's json_t */
/* Reads the "offer" object of an offers API request body (docs/staff.md)
 * into *of; every string is copied into arena a. Returns 0, or -1 with a
 * German message for the client in err (bounded) when o is not an object
 * of offer fields of the right types. */
int staff_offer_from_json(struct json_t *o, struct arena *a, struct offer *of, char *err,
                          size_t errlen);

/* ---- offers.yaml writer (yamlout.c) ---- */

/* Appends s as a YAML double-quoted scalar (escaping \, ", control
 * characters and the Unicode line breaks U+0085, U+2028, U+2029). */
void staff_yaml_quote(struct strbuf *out, const char *s);
/* Writes the offers file for l: `header` (comment lines, each starting
 * with '#', may be NULL) then "offers:" with every offer in the shape
 * docs/flows.md describes; every string double-quoted. offers_parse of the
 * result gives back the same offers. Returns 0, or -1 when out of memory. */
int staff_offers_emit(const struct offer_list *l, const char *header, struct strbuf *out);

#endif
