/* jsonw.c - the direct JSON writer for outgoing frames (see jsonw.h): one
 * buffer, escaping and UTF-8 checking in one pass, commas by nesting level. */
#include "net/jsonw.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void jsonw_init(struct jsonw *w, size_t prefix, size_t size_hint)
{
	memset(w, 0, sizeof(*w));
	w->prefix = prefix;
	w->len = prefix;
	w->cap = prefix + (size_hint ? size_hint : 64) + 1;
	w->buf = malloc(w->cap);
	w->failed = w->buf == NULL;
	w->first[0] = true;
}

/* Frees the buffer (the writer stays failed). */
void jsonw_free(struct jsonw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
	w->failed = true;
}

/* Makes room for n more bytes plus the final NUL. Returns false (and marks
 * the writer failed) when out of memory. */
static bool reserve(struct jsonw *w, size_t n)
{
	if (w->failed)
		return false;
	if (w->len + n + 1 <= w->cap)
		return true;
	size_t cap = w->cap * 2;
	while (cap < w->len + n + 1)
		cap *= 2;
	char *b = realloc(w->buf, cap);
	if (!b) {
		jsonw_free(w);
		return false;
	}
	w->buf = b;
	w->cap = cap;
	return true;
}

static void append(struct jsonw *w, const void *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void put_char(struct jsonw *w, char c)
{
	if (reserve(w, 1))
		w->buf[w->len++] = c;
}

/* A comma if this is not the first value at this level. */
static void before_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		put_char(w, ',');
	w->first[w->depth] = false;
}

/* The escape sequence of an ASCII control character, '"' or '\\'. */
static void escape(struct jsonw *w, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char seq[6] = {'\\', 0, 0, 0, 0, 0};
	size_t n = 2;
	switch (c) {
	case '"': seq[1] = '"'; break;
	case '\\': seq[1] = '\\'; break;
	case '\b': seq[1] = 'b'; break;
	case '\f': seq[1] = 'f'; break;
	case '\n': seq[1] = 'n'; break;
	case '\r': seq[1] = 'r'; break;
	case '\t': seq[1] = 't'; break;
	default:
		memcpy(seq + 1, "u00", 3);
		seq[4] = hex[c >> 4];
		seq[5] = hex[c & 15];
		n = 6;
		break;
	}
	append(w, seq, n);
}

/* The length of the valid UTF-8 sequence starting with the non-ASCII byte
 * at p (RFC 3629, as util/utf8.c: no overlongs, no surrogates, at most
 * U+10FFFF), or 0 if it is not one. Inline: most of a text in Arabic or
 * Ukrainian is such sequences. */
static inline size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	size_t left = (size_t)(end - p);
	unsigned char c = p[0];
	if (c >= 0xC2 && c <= 0xDF)
		return left >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
			return 0;   /* overlong, surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
			return 0;   /* overlong, above U+10FFFF */
		return 4;
	}
	return 0;
}

/* Writes s[0..n) as a JSON string; "" if it is not valid UTF-8. Runs of
 * bytes that need no escaping (valid multi-byte sequences included) are
 * copied at once. */
static void put_string(struct jsonw *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t start = w->len;
	if (!reserve(w, n + 2))
		return;
	w->buf[w->len++] = '"';
	while (p < end) {
		const unsigned char *run = p;
		while (p < end) {
			if (*p >= 0x80) {
				size_t l = utf8_seq(p, end);
				if (!l)
					goto invalid;
				p += l;
			} else if (*p < 0x20 || *p == '"' || *p == '\\') {
				break;
			} else {
				p++;
			}
		}
		append(w, run, (size_t)(p - run));
		if (p < end)
			escape(w, *p++);
	}
	put_char(w, '"');
	return;
invalid:
	w->len = start;
	append(w, "\"\"", 2);
}

void jsonw_obj_open(struct jsonw *w)
{
	before_value(w);
	put_char(w, '{');
	if (w->depth >= JSONW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	w->first[++w->depth] = true;
}

static void close_level(struct jsonw *w, char c)
{
	if (w->depth == 0 || w->after_key) {
		w->failed = true;
		return;
	}
	w->depth--;
	put_char(w, c);
}

void jsonw_obj_close(struct jsonw *w)
{
	close_level(w, '}');
}

void jsonw_arr_open(struct jsonw *w)
{
	before_value(w);
	put_char(w, '[');
	if (w->depth >= JSONW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	w->first[++w->depth] = true;
}

void jsonw_arr_close(struct jsonw *w)
{
	close_level(w, ']');
}

void jsonw_key(struct jsonw *w, const char *key)
{
	if (!key || w->after_key || w->depth == 0) {
		w->failed = true;
		return;
	}
	before_value(w);
	put_string(w, key, strlen(key));
	put_char(w, ':');
	w->after_key = true;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	before_value(w);
	put_string(w, s, strlen(s));
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_value(w);
	if (v)
		append(w, "true", 4);
	else
		append(w, "false", 5);
}

void jsonw_null(struct jsonw *w)
{
	before_value(w);
	append(w, "null", 4);
}

void jsonw_int(struct jsonw *w, long long v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%lld", v);
	before_value(w);
	append(w, b, (size_t)n);
}

char *jsonw_finish(struct jsonw *w, size_t *len)
{
	char *out = NULL;
	if (w->failed || w->depth != 0 || w->after_key || w->len == w->prefix || !reserve(w, 0))
		goto out;
	w->buf[w->len] = '\0';
	*len = w->len - w->prefix;
	out = w->buf;
	w->buf = NULL;
out:
	jsonw_free(w);
	return out;
}
