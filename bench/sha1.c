/* sha1.c - SHA-1 (FIPS 180-4) and base64 (RFC 4648) for the WebSocket
 * handshake of the load generator; see sha1.h. */
#include "sha1.h"

#include <string.h>

struct sha1_ctx {
	uint32_t h[5];
	uint64_t total;      /* bytes hashed so far */
	uint8_t block[64];
	size_t used;         /* bytes in block */
};

static uint32_t rol32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(struct sha1_ctx *c, const uint8_t *p)
{
	uint32_t w[80], a, b, cc, d, e, f, k, t;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4];
	for (int i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & cc) | (~b & d), k = 0x5A827999;
		else if (i < 40)
			f = b ^ cc ^ d, k = 0x6ED9EBA1;
		else if (i < 60)
			f = (b & cc) | (b & d) | (cc & d), k = 0x8F1BBCDC;
		else
			f = b ^ cc ^ d, k = 0xCA62C1D6;
		t = rol32(a, 5) + f + e + k + w[i];
		e = d, d = cc, cc = rol32(b, 30), b = a, a = t;
	}
	c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d, c->h[4] += e;
}

static void sha1_update(struct sha1_ctx *c, const uint8_t *p, size_t n)
{
	c->total += n;
	while (n) {
		size_t take = 64 - c->used < n ? 64 - c->used : n;

		memcpy(c->block + c->used, p, take);
		c->used += take, p += take, n -= take;
		if (c->used == 64) {
			sha1_block(c, c->block);
			c->used = 0;
		}
	}
}

void sha1(const void *data, size_t len, uint8_t out[SHA1_LEN])
{
	struct sha1_ctx c = { { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 },
	                      0, { 0 }, 0 };
	uint64_t bits;
	uint8_t pad = 0x80, zero = 0, len8[8];

	sha1_update(&c, data, len);
	bits = c.total * 8;
	sha1_update(&c, &pad, 1);
	while (c.used != 56)
		sha1_update(&c, &zero, 1);
	for (int i = 0; i < 8; i++)
		len8[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(&c, len8, 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(c.h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c.h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c.h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c.h[i];
	}
}

int base64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t need = (len + 2) / 3 * 4, o = 0;

	if (cap < need + 1)
		return -1;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t rest = len - i;

		if (rest > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (rest > 2)
			v |= in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = rest > 1 ? tab[v >> 6 & 63] : '=';
		out[o++] = rest > 2 ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return (int)o;
}
