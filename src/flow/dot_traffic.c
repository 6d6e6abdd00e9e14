/* dot_traffic.c - DOT export of a flow with its traffic (see
 * dot_traffic.h). Like dot.c, every string from the flow is written as a
 * DOT quoted string with '"' and '\' escaped, so no text can change the
 * graph's structure; figures are integers, shares whole percents (rounded
 * half up) and pen widths tenths, so the text is the same on every
 * machine. */
#include "flow/dot_traffic.h"
#include "flow/dot.h"

#include <stdbool.h>
#include <string.h>


#define LABEL_CHARS 40

static const char *const kind_de[] = {
	[NODE_ASK] = "Frage", [NODE_SAY] = "Information", [NODE_BRANCH] = "Verzweigung",
	[NODE_OFFERS] = "Ergebnisse", [NODE_PERSON] = "Person", [NODE_END] = "Ende",
	[NODE_GOTO] = "Sprung",
};

/* part / whole in whole percents, rounded half up (0 when whole is 0). */
static long long percent(long long part, long long whole)
{
	return whole > 0 ? (part * 200 + whole) / (2 * whole) : 0;
}

static const struct dot_step *step_of(const struct dot_traffic *t, const char *node)
{
	for (size_t i = 0; i < t->nsteps; i++)
		if (t->steps[i].node && !strcmp(t->steps[i].node, node))
			return &t->steps[i];
	return NULL;
}

static long long taken_of(const struct dot_traffic *t, const char *node, const char *choice)
{
	for (size_t i = 0; i < t->nchoices; i++)
		if (t->choices[i].node && t->choices[i].choice && !strcmp(t->choices[i].node, node) &&
		    !strcmp(t->choices[i].choice, choice))
			return t->choices[i].taken;
	return 0;
}

static bool is_step(const struct node *nd)
{
	return nd->kind != NODE_BRANCH && nd->kind != NODE_GOTO;
}

static void node_line(struct strbuf *out, const struct flow *f, const struct node *nd,
                      const struct dot_traffic *t)
{
	const struct dot_step *st = step_of(t, nd->id);
	long long reached = st ? st->reached : 0, left = st ? st->left : 0;
	long long share = percent(left, reached);
	/* the drop-off band: none (0 %), low (< 10 %), mid (< 25 %), high */
	const char *band = !is_step(nd) ? "" : !reached ? "unused" : !left ? "none" :
	                   share < 10 ? "low" : share < 25 ? "mid" : "high";
	const char *fill = !is_step(nd) ? "#f3f4f6" : !reached ? "#ffffff" : !left ? "#dcfce7" :
	                   share < 10 ? "#fef9c3" : share < 25 ? "#fed7aa" : "#fecaca";
	strbuf_puts(out, "  ");
	dot_quoted(out, "n:", nd->id);
	strbuf_puts(out, " [label=\"");
	dot_escape(out, nd->id, strlen(nd->id));
	strbuf_printf(out, "%s\\n[%s]", strcmp(nd->id, f->start ? f->start : "") ? "" : " (Start)",
	              kind_de[nd->kind]);
	if (nd->kind == NODE_GOTO && nd->goto_flow) {
		strbuf_puts(out, "\\n→ ");
		dot_escape(out, nd->goto_flow, strlen(nd->goto_flow));
	}
	if (is_step(nd) && reached)
		strbuf_printf(out, "\\nerreicht: %lld\\nverlassen: %lld (%lld %%)", reached, left, share);
	else if (is_step(nd))
		strbuf_puts(out, "\\nnicht erreicht");
	strbuf_printf(out, "\", shape=box, style=\"rounded,filled%s\", fillcolor=\"%s\", "
	              "color=\"#374151\", penwidth=%s, class=\"step%s%s\"];\n",
	              is_step(nd) ? "" : ",dashed", fill, share >= 25 ? "3" : "1",
	              *band ? " drop-" : "", band);
}

static void edge_start(struct strbuf *out, const struct flow *f, const char *from,
                       const char *next)
{
	strbuf_puts(out, "  ");
	dot_quoted(out, "n:", from);
	strbuf_puts(out, " -> ");
	dot_quoted(out, next && flow_node(f, next) ? "n:" : "missing:", next ? next : "");
}

static void node_edges(struct strbuf *out, const struct flow *f, const struct node *nd,
                       const struct dot_traffic *t)
{
	const struct dot_step *st = step_of(t, nd->id);
	long long reached = st ? st->reached : 0;
	for (size_t i = 0; i < nd->nchoices; i++) {
		const struct choice *c = &nd->choices[i];
		long long n = taken_of(t, nd->id, c->id);
		long long share = percent(n, reached);
		if (share > 100)
			share = 100;
		edge_start(out, f, nd->id, c->next);
		strbuf_puts(out, " [label=\"");
		dot_short_text(out, c->label.msgid ? c->label.msgid : c->id, LABEL_CHARS);
		/* pen width 1.0 .. 7.0 by the share of the step's visitors */
		long long tenths = 10 + share * 60 / 100;
		strbuf_printf(out, "\\n%lld× (%lld %%)\", penwidth=%lld.%lld, class=\"choice\"];\n", n,
		              share, tenths / 10, tenths % 10);
	}
	if (nd->kind == NODE_SAY && nd->next && !nd->nchoices) {
		edge_start(out, f, nd->id, nd->next);
		strbuf_puts(out, " [label=\"Weiter\"];\n");
	}
	for (size_t i = 0; i < nd->narms; i++) {
		const struct branch_arm *arm = &nd->arms[i];
		edge_start(out, f, nd->id, arm->next);
		strbuf_puts(out, " [label=\"");
		if (!arm->nwhen)
			strbuf_puts(out, "sonst");
		for (size_t w = 0; w < arm->nwhen; w++) {
			strbuf_puts(out, w ? ", " : "");
			dot_escape(out, arm->when[w].key, strlen(arm->when[w].key));
			strbuf_putc(out, '=');
			dot_escape(out, arm->when[w].value, strlen(arm->when[w].value));
		}
		strbuf_puts(out, "\", style=dashed];\n");
	}
}

int flow_dot_traffic(const struct flow *f, const struct dot_traffic *t, struct strbuf *out)
{
	dot_graph_begin(out, "traffic", f, LABEL_CHARS, t->caption);
	for (size_t i = 0; i < f->nnodes; i++)
		node_line(out, f, &f->nodes[i], t);
	for (size_t i = 0; i < f->nnodes; i++)
		node_edges(out, f, &f->nodes[i], t);
	strbuf_puts(out, "}\n");
	return strbuf_ok(out) ? 0 : -1;
}
