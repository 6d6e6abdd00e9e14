/* extract.c - `lotse extract`: writes the gettext template (po/lotse.pot).
 *
 * xgettext cannot read YAML, so the loader itself lists every text of every
 * tenant folder (flows, tenant.yaml, offers.yaml) with "#: file:LINE"
 * references, translator notes ("#." comments) and msgctxt, plus the
 * program's own texts (src/content/messages.c). Entries are unique by
 * (msgctxt, msgid) and keep the order of first appearance, so the template
 * diffs well. msgmerge and msgfmt read the result unchanged.
 */
#include "content/content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/scan.h"
#include "content/messages.h"
#include "util/strbuf.h"

struct pot_entry {
	const char *ctx, *msgid, *plural;
	struct strbuf refs;   /* "file:line file:line" */
	struct strbuf notes;  /* "#. note\n" lines */
	bool c_format;
};

struct pot {
	struct pot_entry *e;
	size_t n, cap;
	bool failed;
};

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static struct pot_entry *pot_find(struct pot *p, const char *ctx, const char *msgid)
{
	for (size_t i = 0; i < p->n; i++)
		if (same(p->e[i].ctx, ctx) && strcmp(p->e[i].msgid, msgid) == 0)
			return &p->e[i];
	return NULL;
}

static void entry_note(struct pot_entry *e, const char *note)
{
	char line[1024];
	snprintf(line, sizeof(line), "#. %s\n", note);
	if (!strstr(strbuf_str(&e->notes), line))
		strbuf_puts(&e->notes, line);
}

static void pot_add_note(struct pot *p, const char *ctx, const char *msgid, const char *note)
{
	struct pot_entry *e = pot_find(p, ctx, msgid);
	if (e)
		entry_note(e, note);
}

static void pot_add(struct pot *p, const char *ctx, const char *msgid, const char *plural,
                    const char *note, const char *file, int line)
{
	if (!msgid || !*msgid)
		return;
	struct pot_entry *e = pot_find(p, ctx, msgid);
	if (!e) {
		if (p->n == p->cap) {
			size_t ncap = p->cap ? p->cap * 2 : 256;
			struct pot_entry *ne = realloc(p->e, ncap * sizeof(*ne));
			if (!ne) {
				p->failed = true;
				return;
			}
			p->e = ne;
			p->cap = ncap;
		}
		e = &p->e[p->n++];
		memset(e, 0, sizeof(*e));
		e->ctx = ctx;
		e->msgid = msgid;
		e->plural = plural;
		e->c_format = plural && strstr(msgid, "%d");
	}
	if (note)
		entry_note(e, note);
	strbuf_printf(&e->refs, "%s%s:%d", e->refs.len ? " " : "", file, line);
}

/* Adds a text with an automatic note saying where it appears (its role),
 * plus the author's own note if the file has one. */
static void pot_text(void *ud, const struct text *t, const char *file, const char *role)
{
	struct pot *p = ud;
	pot_add(p, t->context, t->msgid, NULL, role, file, t->line);
	if (t->note)
		pot_add_note(p, t->context, t->msgid, t->note);
}

/* Writes s as a PO string literal, wrapped after each "\n". */
static void po_string(FILE *f, const char *key, const char *s)
{
	fprintf(f, "%s \"", key);
	for (const char *c = s; *c; c++) {
		switch (*c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		default: fputc(*c, f);
		}
	}
	fputs("\"\n", f);
}

static void write_entry(FILE *f, const struct pot_entry *e)
{
	fputc('\n', f);
	fputs(strbuf_str(&e->notes), f);
	fprintf(f, "#: %s\n", strbuf_str(&e->refs));
	if (e->c_format)
		fputs("#, c-format\n", f);
	if (e->ctx)
		po_string(f, "msgctxt", e->ctx);
	po_string(f, "msgid", e->msgid);
	if (e->plural) {
		po_string(f, "msgid_plural", e->plural);
		fputs("msgstr[0] \"\"\nmsgstr[1] \"\"\n", f);
	} else {
		fputs("msgstr \"\"\n", f);
	}
}

static int write_pot(const struct pot *p, const char *out_path, struct diag *d)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		diag_add(d, out_path, 0, 0, "cannot write the template");
		return -1;
	}
	fputs("# Lotse: texts of the flows, offers and offices, and of the program.\n"
	      "# Written by `lotse extract`; do not edit by hand (see docs/translating.md).\n"
	      "#, fuzzy\n"
	      "msgid \"\"\nmsgstr \"\"\n"
	      "\"Project-Id-Version: lotse\\n\"\n"
	      "\"Report-Msgid-Bugs-To: \\n\"\n"
	      "\"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n\"\n"
	      "\"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n\"\n"
	      "\"Language-Team: LANGUAGE <LL@li.org>\\n\"\n"
	      "\"Language: \\n\"\n"
	      "\"MIME-Version: 1.0\\n\"\n"
	      "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	      "\"Content-Transfer-Encoding: 8bit\\n\"\n"
	      "\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n", f);
	for (size_t i = 0; i < p->n; i++)
		write_entry(f, &p->e[i]);
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		remove(tmp);
		diag_add(d, out_path, 0, 0, "cannot write the template");
		return -1;
	}
	fclose(f);
	if (rename(tmp, out_path) != 0) {
		remove(tmp);
		diag_add(d, out_path, 0, 0, "cannot replace the template");
		return -1;
	}
	return 0;
}

int content_extract(const char *flows_dir, const char *out_path, struct diag *d)
{
	struct tenant_content *tcs;
	size_t n;
	struct pot p = {0};
	int rc = -1;
	if (scan_tenants(flows_dir, &tcs, &n, d) != 0)
		goto out;
	for (const struct ui_msg *m = ui_messages; m->msgid; m++)
		pot_add(&p, m->context, m->msgid, m->plural, m->note && *m->note ? m->note : NULL, m->file,
		        m->line);
	for (size_t i = 0; i < n; i++)
		scan_each_text(&tcs[i], pot_text, &p);
	if (p.failed) {
		diag_add(d, out_path, 0, 0, "out of memory");
		goto out;
	}
	rc = write_pot(&p, out_path, d);
out:
	for (size_t i = 0; i < p.n; i++) {
		strbuf_free(&p.e[i].refs);
		strbuf_free(&p.e[i].notes);
	}
	free(p.e);
	for (size_t i = 0; tcs && i < n; i++)
		scan_tenant_free(&tcs[i]);
	free(tcs);
	return rc;
}
