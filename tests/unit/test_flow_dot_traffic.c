/* test_flow_dot_traffic.c - flow_dot_traffic for a small flow: the exact
 * DOT text (figures on steps, drop-off share and band, choice counts with
 * their share and pen width, no figures on branch nodes, a step nobody
 * reached, quotes in labels escaped), and that `dot` accepts it when
 * Graphviz is installed. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "flow/dot_traffic.h"
#include "flow/flow.h"
#include "util/strbuf.h"

static const char yaml[] =
	"flow: main\ntitle: Test\nstart: q\nnodes:\n"
	"  q:\n    ask: Was suchen Sie?\n    choices:\n"
	"      - { id: kita, label: Kita, next: r }\n"
	"      - { id: schule, label: 'Schule \"neu\"', next: info }\n"
	"      - { id: nie, label: Nie, next: leer }\n"
	"  info:\n    say: S\n    next: done\n"
	"  r:\n    branch:\n      - { when: { x: '1' }, next: done }\n      - next: done\n"
	"  leer: { end: L }\n"
	"  done: { end: E }\n";

static const char expect[] =
	"digraph traffic {\n"
	"  graph [rankdir=TB, fontname=\"Noto Sans\", bgcolor=\"white\", label=\"main: Test · "
	"2026-03-02 – 2026-03-09\", labelloc=t];\n"
	"  node [fontname=\"Noto Sans\", fontsize=11];\n"
	"  edge [fontname=\"Noto Sans\", fontsize=10, color=\"#374151\"];\n"
	"  \"start:\" [shape=point, width=0.15, label=\"\"];\n"
	"  \"start:\" -> \"n:q\";\n"
	"  \"n:q\" [label=\"q (Start)\\n[Frage]\\nerreicht: 10\\nverlassen: 2 (20 %)\", shape=box, "
	"style=\"rounded,filled\", fillcolor=\"#fed7aa\", color=\"#374151\", penwidth=1, "
	"class=\"step drop-mid\"];\n"
	"  \"n:info\" [label=\"info\\n[Information]\\nerreicht: 3\\nverlassen: 1 (33 %)\", "
	"shape=box, style=\"rounded,filled\", fillcolor=\"#fecaca\", color=\"#374151\", penwidth=3, "
	"class=\"step drop-high\"];\n"
	"  \"n:r\" [label=\"r\\n[Verzweigung]\", shape=box, style=\"rounded,filled,dashed\", "
	"fillcolor=\"#f3f4f6\", color=\"#374151\", penwidth=1, class=\"step\"];\n"
	"  \"n:leer\" [label=\"leer\\n[Ende]\\nnicht erreicht\", shape=box, "
	"style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#374151\", penwidth=1, "
	"class=\"step drop-unused\"];\n"
	"  \"n:done\" [label=\"done\\n[Ende]\\nerreicht: 7\\nverlassen: 0 (0 %)\", shape=box, "
	"style=\"rounded,filled\", fillcolor=\"#dcfce7\", color=\"#374151\", penwidth=1, "
	"class=\"step drop-none\"];\n"
	"  \"n:q\" -> \"n:r\" [label=\"Kita\\n5× (50 %)\", penwidth=4.0, class=\"choice\"];\n"
	"  \"n:q\" -> \"n:info\" [label=\"Schule \\\"neu\\\"\\n3× (30 %)\", penwidth=2.8, "
	"class=\"choice\"];\n"
	"  \"n:q\" -> \"n:leer\" [label=\"Nie\\n0× (0 %)\", penwidth=1.0, class=\"choice\"];\n"
	"  \"n:info\" -> \"n:done\" [label=\"Weiter\"];\n"
	"  \"n:r\" -> \"n:done\" [label=\"x=1\", style=dashed];\n"
	"  \"n:r\" -> \"n:done\" [label=\"sonst\", style=dashed];\n"
	"}\n";

int main(void)
{
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_parse("main.yaml", yaml, strlen(yaml), &d);
	CHECK(f != NULL);
	if (!f) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].message);
		CHECK_DONE();
	}
	const struct dot_step steps[] = {
		{"q", 10, 2}, {"info", 3, 1}, {"done", 7, 0}, {"anderswo", 99, 99},
	};
	const struct dot_taken taken[] = {
		{"q", "kita", 5}, {"q", "schule", 3}, {"info", "kita", 77},
	};
	struct dot_traffic t = {steps, 4, taken, 3, "2026-03-02 – 2026-03-09"};
	struct strbuf out;
	strbuf_init(&out);
	CHECK(flow_dot_traffic(f, &t, &out) == 0);
	CHECK_STR(strbuf_str(&out), expect);

	/* Graphviz reads it (skipped where dot is not installed) */
	FILE *p = popen("if command -v dot >/dev/null; then dot -Tsvg >/dev/null; fi", "w");
	CHECK(p != NULL);
	if (p) {
		fwrite(out.data, 1, out.len, p);
		CHECK(pclose(p) == 0);
	}
	strbuf_free(&out);
	flow_free(f);
	diag_free(&d);
	CHECK_DONE();
}
