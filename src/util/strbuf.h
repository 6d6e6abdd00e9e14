/* strbuf.h - a growable, always NUL-terminated byte buffer.
 *
 * Used wherever text is assembled (JSON, templates, messages). All appends are
 * bounded; on allocation failure the buffer is marked failed and further
 * appends are ignored, so callers check once at the end with strbuf_ok().
 */
#ifndef LOTSE_STRBUF_H
#define LOTSE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data;   /* owned; NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
	bool failed;
};

void strbuf_init(struct strbuf *sb);
/* Frees the buffer; the struct is empty afterwards. */
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_append(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
bool strbuf_ok(const struct strbuf *sb);
/* Hands the buffer to the caller (who must free() it) and empties sb.
 * Returns NULL if an append failed. Never returns NULL for an empty, ok buffer. */
char *strbuf_steal(struct strbuf *sb);
/* Returns the text ("" when empty); valid until the next append. */
const char *strbuf_str(const struct strbuf *sb);

#endif
