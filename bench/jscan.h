/* jscan.h - a small validating JSON scanner that pulls out of a server frame
 * only what the load generator needs: the top-level "type", "terminal" and
 * the ids of "choices" (and the "id"s of a "tenants" frame's "tenants").
 *
 * Written instead of using jansson so that the client spends as little CPU as
 * the echo baseline's client does: the benchmark measures the server.
 * Strings are kept raw (escapes not decoded): a raw JSON string body is valid
 * JSON string content, so an id can be sent back exactly as it came.
 */
#ifndef LOTSE_BENCH_JSCAN_H
#define LOTSE_BENCH_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

#define JSCAN_MAX_IDS 32
#define JSCAN_MAX_ID 64

struct jscan_frame {
	char type[32];                 /* "" if absent or too long */
	int terminal;                  /* -1 absent, 0 false, 1 true */
	size_t nids;                   /* ids of "choices" (or "tenants") */
	char ids[JSCAN_MAX_IDS][JSCAN_MAX_ID + 1];
	bool ids_truncated;            /* more than JSCAN_MAX_IDS, or an id too long */
};

/* Scans the JSON text s[0..n), which must be one object. Returns 0, or -1
 * if it is not well-formed JSON (*err says why). */
int jscan_frame(const char *s, size_t n, struct jscan_frame *out, const char **err);

#endif
