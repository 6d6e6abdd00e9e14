/* stats_csv.c - one statistics table as CSV (see stats_api.h). Pure: no
 * HTTP, no database; unit-tested in test_staff_stats_csv.c. */
#include <string.h>

#include "staff/stats_api.h"

static void field(struct strbuf *out, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = strchr("=+-@\t", s[0]) && s[0];
	if (quote)
		strbuf_putc(out, '"');
	if (formula)
		strbuf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			strbuf_putc(out, '"');
		strbuf_putc(out, *p);
	}
	if (quote)
		strbuf_putc(out, '"');
}

void staff_stats_csv(const struct stats_table *t, struct strbuf *out)
{
	size_t ncols = t->nkeys + t->nvals;
	for (size_t c = 0; c < ncols; c++) {
		strbuf_puts(out, c ? "," : "");
		field(out, t->cols[c]);
	}
	strbuf_puts(out, "\r\n");
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t k = 0; k < t->nkeys; k++) {
			strbuf_puts(out, k ? "," : "");
			field(out, t->rows[i].key[k]);
		}
		for (size_t v = 0; v < t->nvals; v++) {
			long long x = t->rows[i].val[v];
			strbuf_puts(out, t->nkeys + v ? "," : "");
			if (stats_hidden(t, t->nkeys + v, x))
				strbuf_puts(out, "< 3");
			else
				strbuf_printf(out, "%lld", x);
		}
		strbuf_puts(out, "\r\n");
	}
}
