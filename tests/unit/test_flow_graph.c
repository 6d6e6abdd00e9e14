/* test_flow_graph.c - flows_check_graph: duplicate flow ids, gotos to
 * unknown flows, unreachable nodes and flows, dead ends (also across
 * gotos), and the node->reachable marks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_text.h"
#include "flow/flow.h"
#include "util/strbuf.h"

#define MAXF 4

struct graph_case {
	const char *name;
	const char *files[MAXF];  /* flow sources, named a.yaml, b.yaml, ... */
	const char *start;        /* tenant start flow or NULL */
	const char *expect;
};

static const struct graph_case cases[] = {
	{ "fine", {
		"flow: main\ntitle: T\nstart: q\nnodes:\n"
		"  q:\n    ask: Q\n    choices:\n"
		"      - { id: a, label: A, next: r }\n"
		"      - { id: b, label: B, next: more }\n"
		"  r:\n    branch:\n      - { when: { x: '1' }, next: done }\n      - next: q\n"
		"  more:\n    goto: other\n"
		"  done:\n    end: E\n",
		"flow: other\ntitle: T\nstart: s\nnodes:\n"
		"  s:\n    say: S\n    next: p\n"
		"  p:\n    person: P\n" },
	  "main", "" },
	{ "unreachable node", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a: { end: E }\n"
		"  lost: { end: L }\n" },
	  "main", "a.yaml:6:3: node \"lost\" is unreachable from the start node \"a\"" },
	{ "dead end loop", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    ask: Q\n    choices: [{ id: x, label: X, next: b }]\n"
		"  b:\n    say: S\n    next: a\n" },
	  "main",
	  "a.yaml:5:3: node \"a\" is a dead end (no offers, person or end node can be reached from it)\n"
	  "a.yaml:8:3: node \"b\" is a dead end (no offers, person or end node can be reached from it)" },
	{ "loop with a way out", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    ask: Q\n    choices:\n"
		"      - { id: x, label: X, next: b }\n"
		"      - { id: y, label: Y, next: e }\n"
		"  b:\n    say: S\n    next: a\n"
		"  e: { end: E }\n" },
	  "main", "" },
	{ "branch without exit", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    branch:\n      - { when: { x: y }, next: a }\n      - next: a\n" },
	  "main",
	  "a.yaml:5:3: node \"a\" is a dead end (no offers, person or end node can be reached from it)" },
	{ "unknown goto flow", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    goto: nowhere\n" },
	  "main", "a.yaml:6:11: unknown flow \"nowhere\"" },
	{ "duplicate flow id", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n",
		"flow: main\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n" },
	  "main", "b.yaml:1:7: duplicate flow id \"main\" (first in a.yaml)" },
	{ "flow not reachable", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n",
		"flow: other\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n" },
	  "main", "b.yaml:1:7: flow \"other\" is not reachable from the start flow \"main\"" },
	{ "flow reachable only from an unreachable node", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n  g: { goto: other }\n",
		"flow: other\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n" },
	  "main",
	  "a.yaml:6:3: node \"g\" is unreachable from the start node \"a\"\n"
	  "b.yaml:1:7: flow \"other\" is not reachable from the start flow \"main\"" },
	{ "no start flow given", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n",
		"flow: other\ntitle: T\nstart: a\nnodes:\n  a: { end: E }\n" },
	  NULL, "" },
	{ "dead end through goto", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    say: S\n    next: g\n"
		"  g:\n    goto: other\n",
		"flow: other\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    say: S\n    next: b\n"
		"  b:\n    say: S\n    next: a\n" },
	  "main",
	  "a.yaml:5:3: node \"a\" is a dead end (no offers, person or end node can be reached from it)\n"
	  "a.yaml:8:3: node \"g\" is a dead end (no offers, person or end node can be reached from it)\n"
	  "b.yaml:5:3: node \"a\" is a dead end (no offers, person or end node can be reached from it)\n"
	  "b.yaml:8:3: node \"b\" is a dead end (no offers, person or end node can be reached from it)" },
	{ "goto back and forth with an exit", {
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    ask: Q\n    choices:\n"
		"      - { id: x, label: X, next: g }\n"
		"      - { id: y, label: Y, next: r }\n"
		"  g: { goto: other }\n"
		"  r:\n    offers: { limit: 2 }\n    say: S\n    none: N\n",
		"flow: other\ntitle: T\nstart: a\nnodes:\n"
		"  a: { goto: main }\n" },
	  "main", "" },
};

static void run_case(const struct graph_case *c)
{
	struct flow *flows[MAXF] = { 0 };
	size_t n = 0;
	struct diag d;
	diag_init(&d);
	for (; n < MAXF && c->files[n]; n++) {
		char name[16];
		snprintf(name, sizeof(name), "%c.yaml", (char)('a' + n));
		flows[n] = flow_parse(name, c->files[n], strlen(c->files[n]), &d);
		CHECK(flows[n] != NULL);
		if (!flows[n]) {
			diag_print(&d, stderr);
			goto out;
		}
	}
	size_t errors = flows_check_graph(flows, n, c->start, &d);
	CHECK(errors == d.n);
	char *got = diag_text(&d);
	if (strcmp(got, c->expect) != 0)
		fprintf(stderr, "case \"%s\":\n", c->name);
	CHECK_STR(got, c->expect);
	free(got);
out:
	for (size_t i = 0; i < n; i++)
		flow_free(flows[i]);
	diag_free(&d);
}

/* node->reachable is set for reachable nodes and cleared for others. */
static void test_marks(void)
{
	static const char src[] =
		"flow: main\ntitle: T\nstart: a\nnodes:\n"
		"  a:\n    say: S\n    next: b\n"
		"  b: { end: E }\n"
		"  c: { end: C }\n";
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_parse("a.yaml", src, strlen(src), &d);
	CHECK(f != NULL);
	if (f) {
		f->nodes[2].reachable = true;
		CHECK(flows_check_graph(&f, 1, "main", &d) == 1);
		CHECK(f->nodes[0].reachable && f->nodes[1].reachable && !f->nodes[2].reachable);
	}
	flow_free(f);
	diag_free(&d);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_marks();
	CHECK_DONE();
}
