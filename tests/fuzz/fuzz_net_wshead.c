/* fuzz_net_wshead.c - fuzz target for the WebSocket handshake header
 * checks and the close-payload check (net/wshead.h). The first byte picks
 * the check, the rest is its input (a header value is cut at its first NUL,
 * as lws hands it over; the Connection check splits it at the first '|'
 * into list and token). Each answer is compared with a reference written
 * another way: a key is accepted exactly when it decodes (by the decoder
 * here) to 16 bytes that encode back to the same 22 characters apart from
 * the last one's 4 unused bits; a token is found exactly when one
 * element of the list, trimmed, equals it ignoring case (also after upper-
 * casing the list); visible means every byte is 0x21-0x7e; a close payload
 * is echoed exactly when it is empty or its code is one RFC 6455 and the
 * IANA registry allow a peer to send. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/wshead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

/* Decodes 22 characters + "==" into 16 bytes. Returns 0 or -1. */
static int decode_key(const char *s, unsigned char out[16])
{
	if (strlen(s) != 24 || s[22] != '=' || s[23] != '=')
		return -1;
	unsigned long acc = 0;
	int bits = 0, n = 0;
	for (int i = 0; i < 22; i++) {
		int v = b64_value(s[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n < 16)
				out[n++] = (unsigned char)(acc >> bits);
			acc &= (1ul << bits) - 1;
		}
	}
	return n == 16 ? 0 : -1;
}

static void check_key(const char *s)
{
	unsigned char raw[16];
	bool ref = decode_key(s, raw) == 0;
	if (wshead_key_ok(s) != ref)
		abort();
	if (!ref)
		return;
	/* encode back: the same characters, the last one up to its 4 unused bits */
	char again[23];
	for (int i = 0; i < 5; i++) {
		unsigned long v = (unsigned long)raw[3 * i] << 16 | (unsigned long)raw[3 * i + 1] << 8 |
		                  raw[3 * i + 2];
		for (int k = 0; k < 4; k++)
			again[4 * i + k] = alphabet[(v >> (18 - 6 * k)) & 63];
	}
	again[20] = alphabet[raw[15] >> 2];
	again[21] = alphabet[(raw[15] & 3) << 4];
	if (memcmp(again, s, 21) != 0 || (b64_value(s[21]) & ~15) != (b64_value(again[21]) & ~15))
		abort();
}

static bool ref_has_token(const char *list, const char *token)
{
	if (!*token)
		return false;
	char *copy = strdup(list);   /* freed below */
	if (!copy)
		abort();
	bool found = false;
	char *save = NULL;
	for (char *el = strtok_r(copy, ",", &save); el && !found; el = strtok_r(NULL, ",", &save)) {
		while (*el == ' ' || *el == '\t')
			el++;
		size_t n = strlen(el);
		while (n && (el[n - 1] == ' ' || el[n - 1] == '\t'))
			el[--n] = '\0';
		found = strcasecmp(el, token) == 0;
	}
	free(copy);
	return found;
}

static void check_token(char *s)
{
	char *bar = strchr(s, '|');
	const char *token = "upgrade";
	if (bar) {
		*bar = '\0';
		token = bar + 1;
	}
	bool got = wshead_has_token(s, token);
	if (got != ref_has_token(s, token))
		abort();
	for (char *p = s; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (wshead_has_token(s, token) != got)
		abort();
}

static void check_visible(const uint8_t *v, size_t n)
{
	bool ref = true;
	for (size_t i = 0; i < n; i++)
		ref = ref && isgraph(v[i]) && v[i] < 0x80;
	if (wshead_visible((const char *)v, n) != ref)
		abort();
}

static void check_close(const uint8_t *p, size_t n)
{
	bool ref = n == 0;
	if (n >= 2) {
		int code = p[0] * 256 + p[1];
		static const int ok[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011,
		                         1012, 1013, 1014};
		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			ref = ref || code == ok[i];
		ref = ref || (code >= 3000 && code < 5000);
	}
	if (wshead_close_ok(p, n) != ref)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const uint8_t *in = data + 1;
	size_t n = size - 1;
	char *s = malloc(n + 1);   /* freed below */
	if (!s)
		return 0;
	memcpy(s, in, n);
	s[n] = '\0';
	switch (data[0] % 4) {
	case 0: check_key(s); break;
	case 1: check_token(s); break;
	case 2: check_visible(in, n); break;
	default: check_close(in, n); break;
	}
	free(s);
	return 0;
}
