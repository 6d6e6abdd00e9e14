/* fonts.c - checking and opening font files for /fonts/ (see fonts.h). */
#include "net/fonts.h"

#include <string.h>

#include "net/webpath.h"

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && memcmp(s + n - k, suffix, k) == 0;
}

const char *fonts_mime(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > FONTS_NAME_MAX || name[0] == '.')
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!name_char(name[i]))
			return NULL;
	if (ends_with(name, n, ".ttf"))
		return "font/ttf";
	if (ends_with(name, n, ".otf"))
		return "font/otf";
	if (ends_with(name, n, ".woff2"))
		return "font/woff2";
	return NULL;
}

int fonts_open(int dirfd, const char *name, size_t *size)
{
	if (dirfd < 0 || !fonts_mime(name))
		return -1;
	return webpath_open(dirfd, name, size);
}
