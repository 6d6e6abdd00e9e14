/* po.h - a reader for gettext PO files, for coverage figures only.
 *
 * The server never reads .po files (it reads the .mo files msgfmt compiles);
 * `lotse i18n-status` needs what .mo files drop: which entries are fuzzy and
 * which are untranslated, and the speech-form check (i18n/vowels.h) needs
 * the msgstr texts with their line numbers. The reader understands comments, flags (#,),
 * msgctxt, msgid, msgid_plural, msgstr, msgstr[N], continued strings and the
 * usual escapes; obsolete entries (#~) are skipped. Malformed lines are
 * reported as file:line:col.
 */
#ifndef LOTSE_PO_H
#define LOTSE_PO_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

struct po_entry {
	char *ctx;          /* NULL when none */
	char *msgid;
	bool plural;
	bool translated;    /* every msgstr form non-empty */
	bool fuzzy;
	int line;           /* line of the msgid keyword (1-based) */
	const char **strs;  /* the msgstr forms in order (msgstr, or msgstr[0], [1], ...) */
	size_t nstrs;
};

struct po_file {
	struct po_entry *entries;  /* the header entry (empty msgid) is left out */
	size_t n;
	const char *review;        /* the header's "X-Review-Status" value, or NULL */
	struct arena *arena;       /* owns everything */
};

/* Parses buf[0..len). Returns NULL on a syntax error (all errors in d).
 * Caller frees with po_free. */
struct po_file *po_parse(const char *display, const char *buf, size_t len, struct diag *d);
/* Reads and parses a file (at most 16 MiB). */
struct po_file *po_load(const char *path, struct diag *d);
void po_free(struct po_file *p);
/* Finds an entry by context (may be NULL) and msgid; NULL when absent. */
const struct po_entry *po_find(const struct po_file *p, const char *ctx, const char *msgid);

#endif
