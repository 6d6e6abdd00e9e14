/* fuzz_net_takehome.c - fuzz target for take-home links (src/net/takehome.c):
 * the input is, at once, a decrypted payload, a request path under /t/ and a
 * link, all chosen by whoever holds a phone. Exact properties:
 * - takehome_payload_parse accepts a payload exactly when
 *   takehome_payload_write of what it parsed gives back the same bytes;
 * - takehome_route_parse of a path it accepts rebuilds into that very path,
 *   and a path is ours exactly when it starts with "/t/";
 * - a link sealed from an accepted payload opens to the same fields, and
 *   the input itself, as a link, never opens (it was not sealed with the
 *   key) nor can be revoked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/takehome.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_link(const struct takehome_link *a, const struct takehome_link *b)
{
	if (strcmp(a->tenant, b->tenant) || strcmp(a->lang, b->lang) || a->noffers != b->noffers)
		abort();
	for (size_t i = 0; i < a->noffers; i++)
		if (strcmp(a->offers[i], b->offers[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct takehome *th;
	if (!th) {
		struct token_key key;
		for (int i = 0; i < TOKEN_KEY_BYTES; i++)
			key.k[i] = (unsigned char)(i * 7);
		th = takehome_create(&key, "https://lotse.example.org", 3600);
		if (!th)
			abort();
	}
	char *s = malloc(size + 1);
	char *out = malloc(TAKEHOME_PAYLOAD_MAX + 1);
	char *link = malloc(TAKEHOME_LINK_MAX + 1);
	char *again = malloc(size + 16);
	if (!s || !out || !link || !again)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';

	/* the payload */
	struct takehome_link l = {.expires = 0}, back = {.expires = 0};
	if (takehome_payload_parse((const char *)data, size, &l) == 0) {
		int n = takehome_payload_write(&l, out, TAKEHOME_PAYLOAD_MAX + 1);
		if (n < 0 || (size_t)n != size || memcmp(out, data, size) != 0)
			abort();
		long long expires = 0;
		n = takehome_seal(th, &l, 1000, &expires, link, TAKEHOME_LINK_MAX + 1);
		if (n <= 0 || expires != 1000 + 3600 || !takehome_link_ok(link))
			abort();
		if (takehome_open(th, link, 1000, &back) != TAKEHOME_OK || back.expires != expires)
			abort();
		same_link(&l, &back);
		if (takehome_open(th, link, expires, &back) != TAKEHOME_EXPIRED)
			abort();
	} else if (l.tenant[0] || l.lang[0] || l.noffers) {
		abort();   /* a refused payload leaves nothing behind */
	}

	/* the route: only the text up to the first NUL reaches it */
	enum takehome_route r = takehome_route_parse(s, link);
	int ours = strncmp(s, "/t/", 3) == 0;
	if (ours != (r != TAKEHOME_ROUTE_NONE))
		abort();
	if (r == TAKEHOME_ROUTE_PAGE || r == TAKEHOME_ROUTE_JSON || r == TAKEHOME_ROUTE_SVG) {
		snprintf(again, size + 16, "/t/%s%s", link,
		         r == TAKEHOME_ROUTE_JSON ? ".json" : r == TAKEHOME_ROUTE_SVG ? ".svg" : "");
		if (strcmp(again, s) != 0 || !takehome_link_ok(link))
			abort();
	} else if (link[0]) {
		abort();
	}

	/* the input as a link: never authentic */
	if (takehome_open(th, s, 1000, &back) != TAKEHOME_BAD || takehome_revoke(th, s, 1000) == 0)
		abort();
	free(s);
	free(out);
	free(link);
	free(again);
	return 0;
}
