/* utf8.c - strict UTF-8 decoding (RFC 3629: no overlongs, no surrogates). */
#include "util/utf8.h"

int32_t utf8_decode(const char *str, size_t n, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	*len = 1;
	if (n == 0)
		return -1;
	unsigned char c = s[0];
	if (c < 0x80)
		return c;
	size_t need;
	int32_t cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2; cp = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3; cp = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4; cp = c & 0x07; min = 0x10000;
	} else {
		return -1;
	}
	if (n < need)
		return -1;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = need;
	return cp;
}

size_t utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t l;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_decode(s + i, n - i, &l) < 0)
			return i;
		i += l;
	}
	return n;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_count(const char *s, size_t n)
{
	size_t i = 0, count = 0;
	while (i < n) {
		size_t l;
		utf8_decode(s + i, n - i, &l);
		i += l;
		count++;
	}
	return count;
}
