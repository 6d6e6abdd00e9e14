/* fuzz_staff_xff.c - fuzz target for the X-Forwarded-For parser
 * (staff/xff.h). The first byte picks the peer (trusted or not), the rest
 * is the header. Checked exactly: an untrusted peer or a malformed header
 * gives the peer; otherwise the client is an element of the header, every
 * element right of it is a trusted proxy, and it is untrusted unless every
 * element is trusted (then it is the left-most). Any address the parser
 * accepts formats to text that parses back to the same address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "staff/xff.h"

static const char *const peers[] = {"127.0.0.1", "::1", "10.9.8.7", "192.0.2.200"};
static const char *const nets[] = {"127.0.0.1", "::1", "10.0.0.0/8"};

static bool same(const struct xff_addr *a, const struct xff_addr *b)
{
	return a->family == b->family && !memcmp(a->b, b->b, 16);
}

static void round_trip(const char *s, size_t len, bool prefix)
{
	struct xff_addr a, b;
	char text[XFF_ADDR_TEXT];
	if (xff_parse_addr(s, len, prefix, &a) < 0)
		return;
	xff_format(&a, text, sizeof(text));
	if (xff_parse_addr(text, strlen(text), false, &b) < 0 || !same(&a, &b))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xff_addr trusted[3], peer, client, e;
	for (size_t i = 0; i < 3; i++)
		if (xff_parse_addr(nets[i], strlen(nets[i]), true, &trusted[i]) < 0)
			abort();
	if (size == 0)
		return 0;
	const char *p = peers[data[0] % 4];
	xff_parse_addr(p, strlen(p), false, &peer);
	char *h = malloc(size);
	if (!h)
		return 0;
	memcpy(h, data + 1, size - 1);
	h[size - 1] = '\0';   /* headers arrive NUL-terminated */
	size_t hl = strlen(h);
	round_trip(h, hl, false);
	round_trip(h, hl, true);
	enum xff_result res = xff_client(trusted, 3, &peer, h, &client);
	bool peer_trusted = xff_trusted(trusted, 3, &peer);
	if (res != XFF_FORWARDED) {
		if (!same(&client, &peer) || (res == XFF_MALFORMED && !peer_trusted))
			abort();
		free(h);
		return 0;
	}
	if (!peer_trusted)
		abort();
	/* walk the elements right to left, as a proxy chain */
	bool found = false, all_trusted = true;
	size_t end = hl;
	struct xff_addr leftmost = peer;
	for (;;) {
		size_t start = end;
		while (start > 0 && h[start - 1] != ',')
			start--;
		size_t b = start, en = end;
		while (b < en && (h[b] == ' ' || h[b] == '\t'))
			b++;
		while (en > b && (h[en - 1] == ' ' || h[en - 1] == '\t'))
			en--;
		if (xff_parse_addr(h + b, en - b, false, &e) < 0)
			abort();   /* FORWARDED: every element up to the client parses */
		leftmost = e;
		if (!xff_trusted(trusted, 3, &e)) {
			all_trusted = false;
			if (!same(&e, &client))
				abort();
			found = true;
			break;
		}
		if (start == 0)
			break;
		end = start - 1;
	}
	if (all_trusted && (found || !same(&leftmost, &client)))
		abort();
	free(h);
	return 0;
}
