/* cookie.c - reading the session cookie out of a Cookie header, and the
 * base64url form of random tokens (see util.h). */
#include <string.h>

#include "staff/util.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* cookie-octet of RFC 6265: printable ASCII except space, '"', ',', ';', '\'. */
static bool cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

/* Copies the value v[0..n) (quotes stripped) into out. Returns 0 or -1. */
static int take_value(const char *v, size_t n, char *out, size_t outlen)
{
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n >= outlen)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!cookie_octet((unsigned char)v[i]))
			return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

int staff_cookie_find(const char *header, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	int found = 0;
	if (!header || outlen == 0)
		return 0;
	const char *p = header;
	while (*p) {
		while (is_space(*p) || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t plen = end ? (size_t)(end - p) : strlen(p);
		while (plen && is_space(p[plen - 1]))
			plen--;
		const char *eq = memchr(p, '=', plen);
		if (eq) {
			size_t klen = (size_t)(eq - p);
			while (klen && is_space(p[klen - 1]))
				klen--;
			if (klen == nlen && memcmp(p, name, nlen) == 0) {
				const char *v = eq + 1;
				while (is_space(*v) && v < p + plen)
					v++;
				if (found || take_value(v, (size_t)(p + plen - v), out, outlen) < 0)
					return -1;
				found = 1;
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
	return found;
}

static bool b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

bool staff_token_valid(const char *s)
{
	if (!s)
		return false;
	size_t i = 0;
	for (; s[i] && i <= STAFF_TOKEN_LEN; i++)
		if (!b64url_char(s[i]))
			return false;
	return i == STAFF_TOKEN_LEN;
}

char *staff_b64url(const unsigned char *bytes, size_t n, char *out, size_t outlen)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)bytes[i] << 16;
		size_t k = n - i >= 3 ? 3 : n - i;
		if (k > 1)
			v |= (unsigned)bytes[i + 1] << 8;
		if (k > 2)
			v |= bytes[i + 2];
		for (size_t j = 0; j < k + 1 && o + 1 < outlen; j++)
			out[o++] = abc[(v >> (18 - 6 * j)) & 63];
	}
	if (outlen)
		out[o < outlen ? o : outlen - 1] = '\0';
	return out;
}
