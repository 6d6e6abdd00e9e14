/* status.c - `lotse i18n-status`: per tenant and language, how many of the
 * texts that tenant shows are translated, fuzzy or untranslated in
 * po/<lang>.po, and whether each language reaches the threshold. */
#include "content/content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/messages.h"
#include "content/scan.h"
#include "i18n/po.h"

struct tally {
	const struct po_file *po;
	size_t translated, fuzzy, untranslated;
	/* texts already counted for this tenant (a text used twice counts once) */
	const struct text **seen;
	size_t nseen, capseen;
};

static bool seen_before(struct tally *t, const struct text *x)
{
	for (size_t i = 0; i < t->nseen; i++) {
		const struct text *s = t->seen[i];
		if (!strcmp(s->msgid, x->msgid) &&
		    ((!s->context && !x->context) || (s->context && x->context && !strcmp(s->context, x->context))))
			return true;
	}
	if (t->nseen == t->capseen) {
		size_t ncap = t->capseen ? t->capseen * 2 : 256;
		const struct text **n = realloc(t->seen, ncap * sizeof(*n));
		if (!n)
			return false;
		t->seen = n;
		t->capseen = ncap;
	}
	t->seen[t->nseen++] = x;
	return false;
}

static void count_one(struct tally *t, const char *ctx, const char *msgid)
{
	const struct po_entry *e = t->po ? po_find(t->po, ctx, msgid) : NULL;
	if (e && e->fuzzy)
		t->fuzzy++;
	else if (e && e->translated)
		t->translated++;
	else
		t->untranslated++;
}

static void count_text(void *ud, const struct text *x, const char *file, const char *role)
{
	(void)file;
	(void)role;
	struct tally *t = ud;
	if (!seen_before(t, x))
		count_one(t, x->context, x->msgid);
}

/* Prints one row; returns true if the language reaches the threshold. */
static bool report(FILE *out, const struct i18n_coverage *t, double threshold)
{
	size_t total = t->translated + t->fuzzy + t->untranslated;
	double pct = total ? 100.0 * (double)t->translated / (double)total : 100.0;
	bool ok = pct + 1e-9 >= threshold;
	fprintf(out, "%-16s %-7s %10zu %6zu %13zu %8.1f%%%s\n", t->tenant, t->lang, t->translated,
	        t->fuzzy, t->untranslated, pct, ok ? "" : "  below threshold");
	return ok;
}

int content_i18n_coverage(const char *flows_dir, const char *po_dir,
                          struct i18n_coverage **rows, size_t *nrows, struct diag *d)
{
	struct tenant_content *tcs;
	size_t n, cap = 0;
	int rc = 0;
	*rows = NULL;
	*nrows = 0;
	if (scan_tenants(flows_dir, &tcs, &n, d) != 0) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		cap += tcs[i].tenant->nlangs;
	*rows = calloc(cap ? cap : 1, sizeof(**rows));
	if (!*rows) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct tenant *tn = tcs[i].tenant;
		for (size_t l = 0; l < tn->nlangs; l++) {
			const char *lang = tn->langs[l];
			if (!strcmp(lang, CATALOG_SOURCE_LANG))
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s.po", po_dir, lang);
			struct tally t = {0};
			t.po = po_load(path, d);
			scan_each_text(&tcs[i], count_text, &t);
			for (const struct ui_msg *m = ui_messages; m->msgid; m++)
				count_one(&t, m->context, m->msgid);
			struct i18n_coverage *row = &(*rows)[(*nrows)++];
			snprintf(row->tenant, sizeof(row->tenant), "%s", tn->id);
			snprintf(row->lang, sizeof(row->lang), "%s", lang);
			row->translated = t.translated;
			row->fuzzy = t.fuzzy;
			row->untranslated = t.untranslated;
			if (t.po && t.po->review)
				snprintf(row->review, sizeof(row->review), "%s", t.po->review);
			po_free((struct po_file *)t.po);
			free(t.seen);
		}
	}
out:
	for (size_t i = 0; tcs && i < n; i++)
		scan_tenant_free(&tcs[i]);
	free(tcs);
	return rc;
}

/* After the table: each catalogue whose header has an X-Review-Status
 * (e.g. a draft that readers of its target group must check), once. */
static void review_notes(FILE *out, const struct i18n_coverage *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(rows[k].lang, rows[i].lang);
		if (rows[i].review[0] && !seen)
			fprintf(out, "review status of %s.po: %s\n", rows[i].lang, rows[i].review);
	}
}

int content_i18n_status(const char *flows_dir, const char *po_dir, double threshold, FILE *out,
                        struct diag *d)
{
	struct i18n_coverage *rows;
	size_t n;
	int below = 0;
	if (content_i18n_coverage(flows_dir, po_dir, &rows, &n, d) != 0) {
		free(rows);
		return -1;
	}
	fprintf(out, "%-16s %-7s %10s %6s %13s %9s\n", "tenant", "lang", "translated", "fuzzy",
	        "untranslated", "coverage");
	for (size_t i = 0; i < n; i++)
		if (!report(out, &rows[i], threshold))
			below++;
	review_notes(out, rows, n);
	free(rows);
	return below;
}
