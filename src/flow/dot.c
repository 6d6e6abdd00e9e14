/* dot.c - DOT export of a flow (see dot.h). Every string from the flow is
 * written as a DOT quoted string with '"' and '\' escaped, so no text can
 * change the graph's structure. */
#include "flow/dot.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

#define LABEL_CHARS 60

struct style {
	const char *shape, *style, *fill, *line, *font, *kind;
};

static const struct style styles[] = {
	[NODE_ASK] = {"box", "rounded,filled", "#dbeafe", "#1d4ed8", "#111827", "Frage"},
	[NODE_SAY] = {"note", "filled", "#f3f4f6", "#4b5563", "#111827", "Information"},
	[NODE_BRANCH] = {"diamond", "filled", "#fef3c7", "#b45309", "#111827", "Verzweigung"},
	[NODE_OFFERS] = {"folder", "filled", "#dcfce7", "#15803d", "#111827", "Ergebnisse"},
	[NODE_PERSON] = {"house", "filled", "#f3e8ff", "#7e22ce", "#111827", "Person"},
	[NODE_END] = {"doubleoctagon", "filled", "#374151", "#111827", "#ffffff", "Ende"},
	[NODE_GOTO] = {"box", "rounded,dashed,filled", "#e0f2fe", "#0369a1", "#111827", "Sprung"},
};

void dot_escape(struct strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '"' || c == '\\') {
			strbuf_putc(out, '\\');
			strbuf_putc(out, c);
		} else if (c == '\n' || c == '\r') {
			strbuf_puts(out, "\\n");
		} else if ((unsigned char)c >= 0x20 || c == '\t') {
			strbuf_putc(out, c);
		}
	}
}

void dot_quoted(struct strbuf *out, const char *prefix, const char *s)
{
	strbuf_putc(out, '"');
	strbuf_puts(out, prefix);
	dot_escape(out, s, strlen(s));
	strbuf_putc(out, '"');
}

void dot_short_text(struct strbuf *out, const char *s, size_t max_chars)
{
	size_t n = strlen(s), i = 0, chars = 0;
	while (i < n && chars < max_chars) {
		size_t len = 1;
		if (utf8_decode(s + i, n - i, &len) < 0)
			len = 1;
		i += len;
		chars++;
	}
	dot_escape(out, s, i);
	if (i < n)
		strbuf_puts(out, "…");
}

/* The languages in which any text of the node is missing (deduplicated). */
static void node_missing(const struct node *nd, dot_missing_fn missing, void *ud,
                         struct strbuf *langs)
{
	struct strbuf one;
	if (!missing)
		return;
	strbuf_init(&one);
	const struct text *texts[2 + 16];
	size_t nt = 0;
	texts[nt++] = &nd->text;
	texts[nt++] = &nd->none;
	for (size_t i = 0; i < nd->nchoices && nt < sizeof(texts) / sizeof(texts[0]); i++)
		texts[nt++] = &nd->choices[i].label;
	for (size_t i = 0; i < nt; i++) {
		if (!texts[i]->msgid || !*texts[i]->msgid)
			continue;
		strbuf_reset(&one);
		missing(ud, texts[i], &one);
		/* add each language of `one` not yet in `langs` */
		const char *p = strbuf_str(&one);
		while (*p) {
			size_t l = strcspn(p, ",");
			char code[16];
			snprintf(code, sizeof(code), "%.*s", (int)(l < 15 ? l : 15), p);
			const char *have = strbuf_str(langs);
			char *hit = strstr(have, code);
			size_t cl = strlen(code);
			bool dup = false;
			while (hit && !dup) {
				dup = (hit == have || hit[-1] == ' ') && (hit[cl] == ',' || hit[cl] == '\0');
				hit = dup ? hit : strstr(hit + 1, code);
			}
			if (!dup && cl) {
				if (langs->len)
					strbuf_puts(langs, ", ");
				strbuf_puts(langs, code);
			}
			p += l;
			while (*p == ',' || *p == ' ')
				p++;
		}
	}
	strbuf_free(&one);
}

static void node_line(struct strbuf *out, const struct flow *f, const struct node *nd,
                      dot_missing_fn missing, void *ud)
{
	const struct style *s = &styles[nd->kind];
	struct strbuf langs;
	strbuf_init(&langs);
	node_missing(nd, missing, ud, &langs);
	bool lost = !nd->reachable, untr = langs.len > 0;
	strbuf_puts(out, "  ");
	dot_quoted(out, "n:", nd->id);
	strbuf_puts(out, " [label=\"");
	dot_escape(out, nd->id, strlen(nd->id));
	strbuf_printf(out, "%s\\n[%s]", strcmp(nd->id, f->start ? f->start : "") ? "" : " (Start)",
	              s->kind);
	if (nd->kind == NODE_GOTO && nd->goto_flow) {
		strbuf_puts(out, "\\n→ ");
		dot_escape(out, nd->goto_flow, strlen(nd->goto_flow));
	} else if (nd->text.msgid) {
		strbuf_puts(out, "\\n");
		dot_short_text(out, nd->text.msgid, LABEL_CHARS);
	}
	if (lost)
		strbuf_puts(out, "\\nunerreichbar");
	if (untr) {
		strbuf_puts(out, "\\nnicht übersetzt: ");
		dot_escape(out, langs.data, langs.len);
	}
	strbuf_printf(out, "\", shape=%s, style=\"%s%s\", fillcolor=\"%s\", color=\"%s\", "
	              "fontcolor=\"%s\"%s, class=\"kind-%s%s%s\"];\n",
	              s->shape, s->style, lost ? ",dashed" : "", lost ? "#fee2e2" : s->fill,
	              lost ? "#dc2626" : untr ? "#ea580c" : s->line, lost ? "#111827" : s->font,
	              lost || untr ? ", penwidth=3" : "", node_kind_name(nd->kind),
	              lost ? " unreachable" : "", untr ? " untranslated" : "");
	strbuf_free(&langs);
}

/* An edge to `next`; a target that names no node gets a red stand-in. */
static void edge(struct strbuf *out, const struct flow *f, const char *from, const char *next,
                 const char *label, bool dashed)
{
	bool known = next && flow_node(f, next);
	strbuf_puts(out, "  ");
	dot_quoted(out, "n:", from);
	strbuf_puts(out, " -> ");
	dot_quoted(out, known ? "n:" : "missing:", next ? next : "");
	strbuf_puts(out, " [label=\"");
	if (label)
		dot_short_text(out, label, LABEL_CHARS);
	strbuf_printf(out, "\"%s];\n", dashed ? ", style=dashed" : "");
	if (!known) {
		strbuf_puts(out, "  ");
		dot_quoted(out, "missing:", next ? next : "");
		strbuf_puts(out, " [label=\"fehlt: ");
		dot_escape(out, next ? next : "", next ? strlen(next) : 0);
		strbuf_puts(out, "\", shape=box, style=\"dashed,filled\", fillcolor=\"#fee2e2\", "
		                 "color=\"#dc2626\"];\n");
	}
}

static void arm_label(struct strbuf *lb, const struct branch_arm *arm)
{
	strbuf_reset(lb);
	if (!arm->nwhen)
		strbuf_puts(lb, "sonst");
	for (size_t i = 0; i < arm->nwhen; i++)
		strbuf_printf(lb, "%s%s=%s", i ? ", " : "", arm->when[i].key, arm->when[i].value);
}

static void node_edges(struct strbuf *out, const struct flow *f, const struct node *nd)
{
	for (size_t i = 0; i < nd->nchoices; i++)
		edge(out, f, nd->id, nd->choices[i].next, nd->choices[i].label.msgid, false);
	if (nd->kind == NODE_SAY && nd->next && !nd->nchoices)
		edge(out, f, nd->id, nd->next, "Weiter", false);
	struct strbuf lb;
	strbuf_init(&lb);
	for (size_t i = 0; i < nd->narms; i++) {
		arm_label(&lb, &nd->arms[i]);
		edge(out, f, nd->id, nd->arms[i].next, strbuf_str(&lb), true);
	}
	strbuf_free(&lb);
}

void dot_graph_begin(struct strbuf *out, const char *name, const struct flow *f,
                     size_t title_chars, const char *caption)
{
	strbuf_puts(out, "digraph ");
	strbuf_puts(out, name);
	strbuf_puts(out, " {\n"
	                 "  graph [rankdir=TB, fontname=\"Noto Sans\", bgcolor=\"white\", label=\"");
	dot_escape(out, f->id ? f->id : "", f->id ? strlen(f->id) : 0);
	if (f->title.msgid) {
		strbuf_puts(out, ": ");
		dot_short_text(out, f->title.msgid, title_chars);
	}
	if (caption) {
		strbuf_puts(out, " · ");
		dot_escape(out, caption, strlen(caption));
	}
	strbuf_puts(out, "\", labelloc=t];\n"
	                 "  node [fontname=\"Noto Sans\", fontsize=11];\n"
	                 "  edge [fontname=\"Noto Sans\", fontsize=10, color=\"#374151\"];\n"
	                 "  \"start:\" [shape=point, width=0.15, label=\"\"];\n");
	if (f->start && flow_node(f, f->start)) {
		strbuf_puts(out, "  \"start:\" -> ");
		dot_quoted(out, "n:", f->start);
		strbuf_puts(out, ";\n");
	}
}

int flow_dot(const struct flow *f, dot_missing_fn missing, void *ud, struct strbuf *out)
{
	dot_graph_begin(out, "flow", f, LABEL_CHARS, NULL);
	for (size_t i = 0; i < f->nnodes; i++)
		node_line(out, f, &f->nodes[i], missing, ud);
	for (size_t i = 0; i < f->nnodes; i++)
		node_edges(out, f, &f->nodes[i]);
	strbuf_puts(out, "}\n");
	return strbuf_ok(out) ? 0 : -1;
}
