/* diag.h - a list of positioned diagnostics ("file:line:column: message").
 *
 * Every loader (YAML documents, flows, tenants, offers, config) reports into a
 * struct diag instead of stopping at the first problem, so `lotse check` and a
 * reload can show every error at once. Lines and columns are 1-based, as
 * editors count; column counts characters (code points), not bytes.
 */
#ifndef LOTSE_DIAG_H
#define LOTSE_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct diag_item {
	char *file;     /* owned */
	int line;       /* 1-based; 0 when the message concerns the whole file */
	int col;        /* 1-based; 0 when unknown */
	char *message;  /* owned */
};

struct diag {
	struct diag_item *items; /* owned array of n items */
	size_t n, cap;
	size_t max;              /* stop storing after this many (0 = 1000) */
	size_t dropped;          /* errors past max, counted but not stored */
};

/* Initialises an empty list. */
void diag_init(struct diag *d);
/* Frees every item and the array; the struct can be reused after diag_init. */
void diag_free(struct diag *d);
/* Appends one error. Copies file and the formatted message. Never fails
 * silently: on out-of-memory the error is counted in d->dropped. */
void diag_add(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag_addv(struct diag *d, const char *file, int line, int col, const char *fmt, va_list ap);
/* Number of errors reported (stored + dropped). */
size_t diag_count(const struct diag *d);
/* Sorts by file, line, column (stable) - for readable output. */
void diag_sort(struct diag *d);
/* Writes each item as "file:line:col: message\n" (omitting 0 line/col). */
void diag_print(const struct diag *d, FILE *out);
/* Formats item i into buf (bounded); returns buf. */
const char *diag_format(const struct diag *d, size_t i, char *buf, size_t len);

#endif
