/* wshead.c - checks of WebSocket handshake header values and close
 * payloads (see wshead.h). */
#include "net/wshead.h"

#include <string.h>
#include <strings.h>

static bool b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

bool wshead_key_ok(const char *key)
{
	if (!key || strlen(key) != 24 || strcmp(key + 22, "==") != 0)
		return false;
	for (int i = 0; i < 22; i++)
		if (!b64_char(key[i]))
			return false;
	return true;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

bool wshead_has_token(const char *list, const char *token)
{
	size_t tl = strlen(token);
	const char *v = list;
	while (v && *v) {
		while (blank(*v) || *v == ',')
			v++;
		size_t n = strcspn(v, ",");
		size_t k = n;
		while (k && blank(v[k - 1]))
			k--;
		if (k == tl && tl && strncasecmp(v, token, tl) == 0)
			return true;
		v += n;
	}
	return false;
}

bool wshead_visible(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
			return false;
	return true;
}

bool wshead_close_ok(const unsigned char *payload, size_t len)
{
	if (len == 0)
		return true;
	if (len < 2)
		return false;
	unsigned code = (unsigned)payload[0] << 8 | payload[1];
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
	       (code >= 3000 && code <= 4999);
}
