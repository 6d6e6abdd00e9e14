/* strbuf.c - growable NUL-terminated buffer; see strbuf.h. */
#include "util/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

/* Frees the owned buffer. */
void strbuf_free(struct strbuf *sb)
{
	free(sb->data);
	memset(sb, 0, sizeof(*sb));
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->failed = false;
	if (sb->data)
		sb->data[0] = '\0';
}

static bool grow(struct strbuf *sb, size_t extra)
{
	if (sb->failed)
		return false;
	if (extra > SIZE_MAX / 2 - sb->len) {
		sb->failed = true;
		return false;
	}
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return true;
	size_t ncap = sb->cap ? sb->cap : 64;
	while (ncap < need)
		ncap *= 2;
	char *nd = realloc(sb->data, ncap);
	if (!nd) {
		sb->failed = true;
		return false;
	}
	sb->data = nd;
	sb->cap = ncap;
	return true;
}

void strbuf_append(struct strbuf *sb, const char *s, size_t n)
{
	if (!grow(sb, n))
		return;
	if (n)
		memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_append(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c)
{
	strbuf_append(sb, &c, 1);
}

void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sb->failed = true;
		return;
	}
	if (!grow(sb, (size_t)n))
		return;
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

bool strbuf_ok(const struct strbuf *sb)
{
	return !sb->failed;
}

/* Transfers ownership of the buffer to the caller. */
char *strbuf_steal(struct strbuf *sb)
{
	if (sb->failed) {
		strbuf_free(sb);
		return NULL;
	}
	if (!sb->data && !grow(sb, 0))
		return NULL;
	if (sb->len == 0)
		sb->data[0] = '\0';
	char *d = sb->data;
	memset(sb, 0, sizeof(*sb));
	return d;
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->data && !sb->failed ? sb->data : "";
}
