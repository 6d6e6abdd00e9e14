/* test_flow_schema.c - flow_parse rejects every schema error of
 * docs/flows.md with its exact position and message, and reports all of
 * them (one table row per error kind; rows with `body` true get the header
 * "flow: f / title: T / start: a / nodes:" (lines 1-4) prepended). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_text.h"
#include "flow/flow.h"
#include "util/strbuf.h"

#define HEADER "flow: f\ntitle: T\nstart: a\nnodes:\n"

struct schema_case {
	const char *name;
	bool body;          /* yaml is the body of "nodes:" after HEADER */
	const char *yaml;
	const char *expect; /* every error, sorted, one per line */
};

static const struct schema_case cases[] = {
	{ "not a mapping", false,
	  "- a\n",
	  "t.yaml:1:1: a flow file must be a mapping" },
	{ "empty file", false,
	  "",
	  "t.yaml: empty file (a flow needs \"flow\", \"title\", \"start\" and \"nodes\")" },
	{ "only a document marker", false,
	  "---\n",
	  "t.yaml: empty file (a flow needs \"flow\", \"title\", \"start\" and \"nodes\")" },
	{ "missing keys", false,
	  "flow: f\n",
	  "t.yaml:1:1: missing key \"title\" in flow\n"
	  "t.yaml:1:1: missing key \"start\" in flow\n"
	  "t.yaml:1:1: missing key \"nodes\" in flow" },
	{ "unknown top key", true,
	  "  a: {end: x}\n"
	  "colour: red\n",
	  "t.yaml:6:1: unknown key \"colour\" in flow" },
	{ "invalid flow id", false,
	  "flow: Main\n"
	  "title: T\n"
	  "start: a\n"
	  "nodes:\n"
	  "  a: {end: x}\n",
	  "t.yaml:1:7: invalid id \"Main\" (use a-z, 0-9, _ and -, at most 64 characters)" },
	{ "long flow id", false,
	  "flow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	  "title: T\n"
	  "start: a\n"
	  "nodes:\n"
	  "  a: {end: x}\n",
	  "t.yaml:1:7: invalid id \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" (use a-z, 0-9, _ and -, at most 64 characters)" },
	{ "title a list", false,
	  "flow: f\n"
	  "title: [a]\n"
	  "start: a\n"
	  "nodes:\n"
	  "  a: {end: x}\n",
	  "t.yaml:2:8: \"title\" must be a text (a string or a mapping with \"text\")" },
	{ "nodes a list", false,
	  "flow: f\n"
	  "title: T\n"
	  "start: a\n"
	  "nodes: [a]\n",
	  "t.yaml:4:8: \"nodes\" must be a mapping" },
	{ "nodes empty", false,
	  "flow: f\n"
	  "title: T\n"
	  "start: a\n"
	  "nodes: {}\n",
	  "t.yaml:4:8: \"nodes\" must have at least one node" },
	{ "unknown start", false,
	  "flow: f\n"
	  "title: T\n"
	  "start: zz\n"
	  "nodes:\n"
	  "  a: {end: x}\n",
	  "t.yaml:3:8: unknown node \"zz\"" },
	{ "no kind", true,
	  "  a:\n"
	  "    next: b\n"
	  "  b: {end: x}\n",
	  "t.yaml:5:3: node \"a\" has no kind (ask, say, branch, offers, person, end or goto)" },
	{ "two kinds", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    end: E\n"
	  "    choices: [{id: x, label: X, next: a}]\n",
	  "t.yaml:7:5: node \"a\" has two kinds (\"ask\" and \"end\")" },
	{ "unknown node key", true,
	  "  a:\n"
	  "    end: E\n"
	  "    foo: 1\n",
	  "t.yaml:7:5: unknown key \"foo\" in node" },
	{ "key not allowed for kind", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    next: a\n"
	  "    choices: [{id: x, label: X, next: a}]\n",
	  "t.yaml:7:5: \"next\" is not allowed in an ask node" },
	{ "none in say", true,
	  "  a:\n"
	  "    say: S\n"
	  "    none: N\n"
	  "    next: b\n"
	  "  b: {end: x}\n",
	  "t.yaml:7:5: \"none\" is not allowed in a say node" },
	{ "choices in end", true,
	  "  a:\n"
	  "    end: E\n"
	  "    choices: [{id: x, label: X, next: a}]\n",
	  "t.yaml:7:5: \"choices\" is not allowed in an end node" },
	{ "invalid node id", true,
	  "  a: {end: x}\n"
	  "  B: {end: y}\n",
	  "t.yaml:6:3: invalid node id \"B\" (use a-z, 0-9, _ and -, at most 64 characters)" },
	{ "node not a mapping", true,
	  "  a: {end: x}\n"
	  "  b: hello\n",
	  "t.yaml:6:6: node \"b\" must be a mapping" },
	{ "ask without choices", true,
	  "  a:\n"
	  "    ask: Q\n",
	  "t.yaml:6:5: missing key \"choices\" in node \"a\"" },
	{ "choices not a list", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices: {id: x}\n",
	  "t.yaml:7:14: \"choices\" must be a list" },
	{ "choices empty", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices: []\n",
	  "t.yaml:7:14: \"choices\" must have 1 to 16 items" },
	{ "17 choices", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: c0, label: L, next: a}\n"
	  "      - {id: c1, label: L, next: a}\n"
	  "      - {id: c2, label: L, next: a}\n"
	  "      - {id: c3, label: L, next: a}\n"
	  "      - {id: c4, label: L, next: a}\n"
	  "      - {id: c5, label: L, next: a}\n"
	  "      - {id: c6, label: L, next: a}\n"
	  "      - {id: c7, label: L, next: a}\n"
	  "      - {id: c8, label: L, next: a}\n"
	  "      - {id: c9, label: L, next: a}\n"
	  "      - {id: c10, label: L, next: a}\n"
	  "      - {id: c11, label: L, next: a}\n"
	  "      - {id: c12, label: L, next: a}\n"
	  "      - {id: c13, label: L, next: a}\n"
	  "      - {id: c14, label: L, next: a}\n"
	  "      - {id: c15, label: L, next: a}\n"
	  "      - {id: c16, label: L, next: a}\n",
	  "t.yaml:8:7: \"choices\" must have 1 to 16 items" },
	{ "choice not a mapping", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices: [x]\n",
	  "t.yaml:7:15: a choice must be a mapping" },
	{ "choice missing keys", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - set: {a: b}\n",
	  "t.yaml:8:9: missing key \"id\" in choice\n"
	  "t.yaml:8:9: missing key \"label\" in choice\n"
	  "t.yaml:8:9: missing key \"next\" in choice" },
	{ "choice unknown key", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: x, label: X, next: b, lable: Y}\n"
	  "  b: {end: E}\n",
	  "t.yaml:8:36: unknown key \"lable\" in choice" },
	{ "duplicate choice id", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: x, label: X, next: b}\n"
	  "      - {id: y, label: Y, next: b}\n"
	  "      - {id: x, label: Z, next: b}\n"
	  "  b: {end: E}\n",
	  "t.yaml:10:14: duplicate choice id \"x\" (first at line 8)" },
	{ "invalid choice id", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: 'x y', label: X, next: b}\n"
	  "  b: {end: E}\n",
	  "t.yaml:8:14: invalid id \"x y\" (use a-z, 0-9, _ and -, at most 64 characters)" },
	{ "unknown next", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: x, label: X, next: nowhere}\n",
	  "t.yaml:8:33: unknown node \"nowhere\"" },
	{ "set not a mapping", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: x, label: X, next: b, set: [a]}\n"
	  "  b: {end: E}\n",
	  "t.yaml:8:41: \"set\" must be a mapping" },
	{ "set fact a list", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: x, label: X, next: b, set: {age: [1, 2]}}\n"
	  "  b: {end: E}\n",
	  "t.yaml:8:47: fact \"age\" must be a single value" },
	{ "set fact empty", true,
	  "  a:\n"
	  "    ask: Q\n"
	  "    choices:\n"
	  "      - {id: x, label: X, next: b, set: {age: }}\n"
	  "  b: {end: E}\n",
	  "t.yaml:8:47: fact \"age\" has no value" },
	{ "say with next and choices", true,
	  "  a:\n"
	  "    say: S\n"
	  "    next: b\n"
	  "    choices: [{id: x, label: X, next: b}]\n"
	  "  b: {end: E}\n",
	  "t.yaml:5:3: node \"a\" has both \"next\" and \"choices\"" },
	{ "say without next", true,
	  "  a:\n"
	  "    say: S\n",
	  "t.yaml:5:3: node \"a\" needs \"next\" or \"choices\"" },
	{ "say unknown next", true,
	  "  a:\n"
	  "    say: S\n"
	  "    next: c\n",
	  "t.yaml:7:11: unknown node \"c\"" },
	{ "branch not a list", true,
	  "  a:\n"
	  "    branch: {next: b}\n"
	  "  b: {end: E}\n",
	  "t.yaml:6:13: \"branch\" must be a list" },
	{ "branch empty", true,
	  "  a:\n"
	  "    branch: []\n",
	  "t.yaml:6:13: \"branch\" must have at least one arm" },
	{ "arm not a mapping", true,
	  "  a:\n"
	  "    branch: [b]\n"
	  "  b: {end: E}\n",
	  "t.yaml:6:14: a branch arm must be a mapping" },
	{ "arm without next", true,
	  "  a:\n"
	  "    branch:\n"
	  "      - when: {x: y}\n"
	  "        nxt: b\n"
	  "      - next: b\n"
	  "  b: {end: E}\n",
	  "t.yaml:7:9: missing key \"next\" in branch arm\n"
	  "t.yaml:8:9: unknown key \"nxt\" in branch arm" },
	{ "last arm with when", true,
	  "  a:\n"
	  "    branch:\n"
	  "      - when: {x: y}\n"
	  "        next: b\n"
	  "  b: {end: E}\n",
	  "t.yaml:7:9: the last arm of a branch must have no \"when\"" },
	{ "arm without when", true,
	  "  a:\n"
	  "    branch:\n"
	  "      - next: b\n"
	  "      - next: b\n"
	  "  b: {end: E}\n",
	  "t.yaml:7:9: only the last arm of a branch may omit \"when\"" },
	{ "empty when", true,
	  "  a:\n"
	  "    branch:\n"
	  "      - when: {}\n"
	  "        next: b\n"
	  "      - next: b\n"
	  "  b: {end: E}\n",
	  "t.yaml:7:15: \"when\" must not be empty" },
	{ "unknown arm target", true,
	  "  a:\n"
	  "    branch:\n"
	  "      - when: {x: y}\n"
	  "        next: c\n"
	  "      - next: b\n"
	  "  b: {end: E}\n",
	  "t.yaml:8:15: unknown node \"c\"" },
	{ "offers unknown key", true,
	  "  a:\n"
	  "    offers: {match: [x], limt: 3}\n"
	  "    say: S\n"
	  "    none: N\n",
	  "t.yaml:6:26: unknown key \"limt\" in offers" },
	{ "limit 0", true,
	  "  a:\n"
	  "    offers: {limit: 0}\n"
	  "    say: S\n"
	  "    none: N\n",
	  "t.yaml:6:21: \"limit\" must be a whole number from 1 to 20" },
	{ "limit 21", true,
	  "  a:\n"
	  "    offers: {limit: 21}\n"
	  "    say: S\n"
	  "    none: N\n",
	  "t.yaml:6:21: \"limit\" must be a whole number from 1 to 20" },
	{ "limit quoted", true,
	  "  a:\n"
	  "    offers: {limit: '5'}\n"
	  "    say: S\n"
	  "    none: N\n",
	  "t.yaml:6:21: \"limit\" must be a whole number from 1 to 20" },
	{ "match not a list", true,
	  "  a:\n"
	  "    offers: {match: age}\n"
	  "    say: S\n"
	  "    none: N\n",
	  "t.yaml:6:21: \"match\" must be a list" },
	{ "offers a list", true,
	  "  a:\n"
	  "    offers: [age]\n"
	  "    say: S\n"
	  "    none: N\n",
	  "t.yaml:6:13: \"offers\" must be a mapping" },
	{ "offers without texts", true,
	  "  a:\n"
	  "    offers: {}\n",
	  "t.yaml:6:5: missing key \"say\" in node \"a\"\n"
	  "t.yaml:6:5: missing key \"none\" in node \"a\"" },
	{ "text unknown key", true,
	  "  a:\n"
	  "    end: {text: E, comment: c}\n",
	  "t.yaml:6:20: unknown key \"comment\" in text" },
	{ "text without text", true,
	  "  a:\n"
	  "    end: {context: c}\n",
	  "t.yaml:6:10: missing key \"text\" in text" },
	{ "text empty", true,
	  "  a:\n"
	  "    end: ''\n",
	  "t.yaml:6:10: \"end\" must not be empty" },
	{ "text null", true,
	  "  a:\n"
	  "    end:\n",
	  "t.yaml:6:9: \"end\" must not be empty" },
	{ "context a list", true,
	  "  a:\n"
	  "    end: {text: E, context: [c]}\n",
	  "t.yaml:6:29: \"context\" must be a string" },
	{ "goto invalid", true,
	  "  a:\n"
	  "    goto: Other\n",
	  "t.yaml:6:11: invalid id \"Other\" (use a-z, 0-9, _ and -, at most 64 characters)" },
	{ "goto a list", true,
	  "  a:\n"
	  "    goto: [x]\n",
	  "t.yaml:6:11: \"goto\" must be a string" },
	{ "person with bad choices", true,
	  "  a:\n"
	  "    person: P\n"
	  "    choices: [{id: x, label: X}]\n",
	  "t.yaml:7:15: missing key \"next\" in choice" },
	{ "yaml error stops", true,
	  "  a: {end: x}\n"
	  "  a: {end: y}\n",
	  "t.yaml:6:3: duplicate key \"a\" (first at line 5)" },
};

static void run_case(const struct schema_case *c)
{
	struct strbuf src;
	struct diag d;
	strbuf_init(&src);
	strbuf_puts(&src, c->body ? HEADER : "");
	strbuf_puts(&src, c->yaml);
	diag_init(&d);
	struct flow *f = flow_parse("t.yaml", strbuf_str(&src), src.len, &d);
	char *got = diag_text(&d);
	if (strcmp(got, c->expect) != 0)
		fprintf(stderr, "case \"%s\":\n", c->name);
	CHECK_STR(got, c->expect);
	CHECK(f == NULL);
	flow_free(f);
	free(got);
	diag_free(&d);
	strbuf_free(&src);
}

/* A minimal valid flow parses, with defaults filled in. */
static void test_minimal(void)
{
	static const char yaml[] = HEADER
		"  a:\n"
		"    offers:\n"
		"    say: S\n"
		"    none: N\n";
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_parse("t.yaml", yaml, strlen(yaml), &d);
	CHECK(f != NULL);
	CHECK(d.n == 0);
	if (f) {
		CHECK_STR(f->id, "f");
		CHECK_STR(f->file, "t.yaml");
		CHECK(f->nnodes == 1 && f->nodes[0].kind == NODE_OFFERS);
		CHECK(f->nodes[0].limit == 5 && f->nodes[0].nmatch == 0);
		CHECK(f->line == 1 && f->col == 7);
	}
	flow_free(f);
	diag_free(&d);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_minimal();
	CHECK_DONE();
}
