/* lint.c - `lotse i18n-lint` (docs/translating.md "Lint"): what a
 * catalogue can be correct in and still come out badly on the kiosk page.
 * Answer buttons over a length limit (the German source in the flows and
 * every po/<lang>.po), Latin text inside a right-to-left translation that
 * is not isolated (U+2068 ... U+2069), and unbalanced isolates. */
#include "content/content.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "content/scan.h"
#include "i18n/lang.h"
#include "i18n/po.h"
#include "i18n/textlint.h"

/* One answer label (msgctxt + msgid), where it is first used, and how often. */
struct label {
	const char *ctx, *msgid;
	const char *file, *flow, *node, *choice;
	int line;
	size_t uses;
};

struct labels {
	struct label *v;
	size_t n, cap;
};

static bool same_text(const char *ca, const char *ma, const char *cb, const char *mb)
{
	return !strcmp(ma, mb) && ((!ca && !cb) || (ca && cb && !strcmp(ca, cb)));
}

/* Adds a use of a label; returns -1 when out of memory. */
static int add_label(struct labels *ls, const struct flow *fl, const struct node *nd,
                     const struct choice *ch)
{
	for (size_t i = 0; i < ls->n; i++)
		if (same_text(ls->v[i].ctx, ls->v[i].msgid, ch->label.context, ch->label.msgid)) {
			ls->v[i].uses++;
			return 0;
		}
	if (ls->n == ls->cap) {
		size_t ncap = ls->cap ? ls->cap * 2 : 128;
		struct label *v = realloc(ls->v, ncap * sizeof(*v));
		if (!v)
			return -1;
		ls->v = v;
		ls->cap = ncap;
	}
	ls->v[ls->n++] = (struct label){ch->label.context, ch->label.msgid, fl->file, fl->id,
	                                nd->id, ch->id, ch->label.line, 1};
	return 0;
}

/* Every answer label of every flow: the source ones over the limit into
 * d at their flow line, and each distinct text into ls. */
static int collect_labels(const struct tenant_content *tcs, size_t n, size_t max,
                          struct labels *ls, size_t *findings, struct diag *d)
{
	for (size_t t = 0; t < n; t++)
		for (size_t f = 0; f < tcs[t].nflows; f++) {
			const struct flow *fl = tcs[t].flows[f];
			for (size_t k = 0; k < fl->nnodes; k++) {
				const struct node *nd = &fl->nodes[k];
				for (size_t c = 0; c < nd->nchoices; c++) {
					const struct choice *ch = &nd->choices[c];
					const char *m = ch->label.msgid;
					if (!m || !*m)
						continue;
					size_t len = textlint_length(m, strlen(m));
					if (len > max) {
						diag_add(d, fl->file, ch->label.line, ch->label.col,
						         "answer label \"%s\" has %zu characters, over the limit of %zu "
						         "(flow %s, node %s, choice %s)", m, len, max, fl->id, nd->id,
						         ch->id);
						(*findings)++;
					}
					if (add_label(ls, fl, nd, ch) != 0)
						return -1;
				}
			}
		}
	return 0;
}

struct isoctx {
	const char *path, *text;
	int line;
	size_t *findings;
	struct diag *d;
};

static void on_isolation(void *ud, const struct textlint_finding *f)
{
	struct isoctx *x = ud;
	(*x->findings)++;
	switch (f->kind) {
	case TEXTLINT_LATIN:
		diag_add(x->d, x->path, x->line, 0,
		         "Latin text \"%.*s\" (character %zu) in a right-to-left translation is not "
		         "isolated: write it between U+2068 and U+2069 (FSI ... PDI)",
		         (int)f->len, x->text + f->off, f->col);
		break;
	case TEXTLINT_PDI_ALONE:
		diag_add(x->d, x->path, x->line, 0,
		         "U+2069 (PDI) at character %zu closes no isolate", f->col);
		break;
	case TEXTLINT_UNCLOSED:
		diag_add(x->d, x->path, x->line, 0,
		         "isolate opened at character %zu is not closed by U+2069 (PDI) before the end "
		         "of its line", f->col);
		break;
	}
}

/* Texts that are heard, not shown: their direction does not matter, and
 * the speech words are patterns the rewriter matches. */
static bool shown_on_screen(const char *ctx)
{
	return !ctx || (strncmp(ctx, "speech:", 7) && strncmp(ctx, "kiosk read aloud", 16));
}

static void lint_po(const char *path, const char *lang, const struct labels *ls, size_t max,
                    size_t *findings, struct diag *d)
{
	struct po_file *po = po_load(path, d);
	if (!po) {
		(*findings)++;
		return;
	}
	for (size_t i = 0; i < ls->n; i++) {
		const struct label *lb = &ls->v[i];
		const struct po_entry *e = po_find(po, lb->ctx, lb->msgid);
		for (size_t s = 0; e && s < e->nstrs; s++) {
			size_t len = textlint_length(e->strs[s], strlen(e->strs[s]));
			if (len <= max)
				continue;
			char more[48] = "";
			if (lb->uses > 1)
				snprintf(more, sizeof(more), "; used %zu times", lb->uses);
			diag_add(d, path, e->line, 0,
			         "answer label \"%s\" has %zu characters, over the limit of %zu (%s:%d, "
			         "flow %s, node %s, choice %s%s)", e->strs[s], len, max, lb->file, lb->line,
			         lb->flow, lb->node, lb->choice, more);
			(*findings)++;
		}
	}
	bool rtl = !strcmp(lang_dir(lang), "rtl");
	for (size_t i = 0; i < po->n; i++) {
		const struct po_entry *e = &po->entries[i];
		if (!shown_on_screen(e->ctx))
			continue;
		for (size_t s = 0; s < e->nstrs; s++) {
			struct isoctx x = {path, e->strs[s], e->line, findings, d};
			textlint_isolation(e->strs[s], strlen(e->strs[s]), rtl, on_isolation, &x);
		}
	}
	po_free(po);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

long content_i18n_lint(const char *flows_dir, const char *po_dir, size_t max_label,
                       struct diag *d)
{
	struct tenant_content *tcs = NULL;
	struct labels ls = {0};
	char **names = NULL;
	size_t n = 0, nnames = 0, findings = 0;
	long rc = -1;
	DIR *dir = NULL;
	if (scan_tenants(flows_dir, &tcs, &n, d) != 0)
		goto out;
	if (collect_labels(tcs, n, max_label, &ls, &findings, d) != 0) {
		diag_add(d, flows_dir, 0, 0, "out of memory while collecting the answer labels");
		goto out;
	}
	dir = opendir(po_dir);
	if (!dir) {
		diag_add(d, po_dir, 0, 0, "cannot open the catalogue folder");
		goto out;
	}
	for (struct dirent *de; (de = readdir(dir)) != NULL;) {
		size_t len = strlen(de->d_name);
		if (len <= 3 || de->d_name[0] == '.' || strcmp(de->d_name + len - 3, ".po"))
			continue;
		char **nn = realloc(names, (nnames + 1) * sizeof(*nn));
		if (!nn || !(nn[nnames] = strdup(de->d_name))) {
			names = nn ? nn : names;
			diag_add(d, po_dir, 0, 0, "out of memory while listing the catalogues");
			goto out;
		}
		names = nn;
		nnames++;
	}
	if (nnames)
		qsort(names, nnames, sizeof(*names), cmp_names);
	for (size_t i = 0; i < nnames; i++) {
		char path[4096], lang[64];
		size_t len = strlen(names[i]) - 3;
		snprintf(path, sizeof(path), "%s/%s", po_dir, names[i]);
		snprintf(lang, sizeof(lang), "%.*s", (int)(len < sizeof(lang) ? len : sizeof(lang) - 1),
		         names[i]);
		lint_po(path, lang, &ls, max_label, &findings, d);
	}
	rc = (long)findings;
out:
	if (dir)
		closedir(dir);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(ls.v);
	for (size_t i = 0; tcs && i < n; i++)
		scan_tenant_free(&tcs[i]);
	free(tcs);
	return rc;
}
