/* diag_text.h - all diagnostics of a list, sorted, one per line, for tests
 * that compare every error of an input at once. */
#ifndef LOTSE_TEST_DIAG_TEXT_H
#define LOTSE_TEST_DIAG_TEXT_H

#include "util/diag.h"
#include "util/strbuf.h"

/* All diagnostics of d, sorted, one per line (caller frees). */
static char *diag_text(struct diag *d)
{
	struct strbuf sb;
	char line[2048];
	strbuf_init(&sb);
	strbuf_puts(&sb, "");
	diag_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		if (i)
			strbuf_putc(&sb, '\n');
		strbuf_puts(&sb, diag_format(d, i, line, sizeof(line)));
	}
	return strbuf_steal(&sb);
}

#endif
