/* test_flow_every_error.c - `lotse check` reports every error of a file at once (issue 10,
 * item 13): after a duplicate key (a YAML error that leaves the tree whole) the flow, tenant and
 * offers schemas still check the file, so an unknown key on the next line is reported too, with
 * exact file:line:col; the file is still rejected. Errors that leave no whole tree (an alias, a
 * syntax error) stop as before, without follow-up errors. ydoc_parse keeps its contract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_text.h"
#include "flow/flow.h"
#include "flow/tenant.h"
#include "tmpdir.h"
#include "yaml/ydoc.h"

#define HEADER "flow: f\ntitle: T\nstart: a\nnodes:\n"

/* Parses yaml as a flow named t.yaml; checks that it is rejected with exactly expect. */
static void flow_case(const char *name, const char *yaml, const char *expect)
{
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_parse("t.yaml", yaml, strlen(yaml), &d);
	char *got = diag_text(&d);
	if (strcmp(got, expect) != 0)
		fprintf(stderr, "case \"%s\":\n", name);
	CHECK_STR(got, expect);
	CHECK(f == NULL);
	flow_free(f);
	free(got);
	diag_free(&d);
}

/* Writes text to tmpdir/name; the path goes into path (size n). */
static void write_file(const char *name, const char *text, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "w");
	if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

static void test_flows(void)
{
	flow_case("unknown key after a duplicate key",
	          "flow: f\n"
	          "title: T\n"
	          "title: U\n"
	          "colour: red\n"
	          "start: a\n"
	          "nodes:\n"
	          "  a: {end: x}\n",
	          "t.yaml:3:1: duplicate key \"title\" (first at line 2)\n"
	          "t.yaml:4:1: unknown key \"colour\" in flow");
	flow_case("duplicate key in a node and schema errors further down", HEADER
	          "  a:\n"
	          "    say: S\n"
	          "    say: T\n"
	          "    nxt: b\n"
	          "  b:\n"
	          "    goto: Other\n",
	          "t.yaml:5:3: node \"a\" needs \"next\" or \"choices\"\n"
	          "t.yaml:7:5: duplicate key \"say\" (first at line 6)\n"
	          "t.yaml:8:5: unknown key \"nxt\" in node\n"
	          "t.yaml:10:11: invalid id \"Other\" (use a-z, 0-9, _ and -, at most 64 characters)");
	/* a duplicate key alone still rejects the flow */
	flow_case("only a duplicate key", HEADER
	          "  a: {end: x, end: y}\n",
	          "t.yaml:5:15: duplicate key \"end\" (first at line 5)");
	/* an alias leaves no whole tree: only its own error, no "must not be empty" after it */
	flow_case("alias stops", HEADER
	          "  a: {end: *x}\n"
	          "colour: red\n",
	          "t.yaml:5:12: anchors and aliases are not allowed");
	flow_case("syntax error stops", HEADER
	          "  a: {end: x\n"
	          "colour: red\n",
	          "t.yaml:6:7: YAML syntax error: did not find expected ',' or '}' "
	          "(while parsing a flow mapping at line 5)");

	/* flow_load: the same, with the display name */
	char path[256];
	write_file("main.yaml", "flow: f\ntitle: T\ntitle: U\ncolour: red\nstart: a\nnodes:\n"
	                        "  a: {end: x}\n", path, sizeof(path));
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_load(path, "flows/testamt/main.yaml", &d);
	char *got = diag_text(&d);
	CHECK_STR(got, "flows/testamt/main.yaml:3:1: duplicate key \"title\" (first at line 2)\n"
	               "flows/testamt/main.yaml:4:1: unknown key \"colour\" in flow");
	CHECK(f == NULL);
	flow_free(f);
	free(got);
	diag_free(&d);
}

static void test_tenant_and_offers(void)
{
	char path[256];
	write_file("tenant.yaml",
	           "name: Testamt\n"
	           "default_lang: de\n"
	           "default_lang: en\n"
	           "langs: [de]\n"
	           "languages: [de, en]\n"
	           "start: main\n"
	           "contact: {name: Amt, phone: '+49 30 000000'}\n", path, sizeof(path));
	struct diag d;
	diag_init(&d);
	struct tenant *t = tenant_load(path, "flows/testamt/tenant.yaml", "testamt", &d);
	char *got = diag_text(&d);
	CHECK_STR(got, "flows/testamt/tenant.yaml:3:1: duplicate key \"default_lang\" (first at line 2)\n"
	               "flows/testamt/tenant.yaml:4:1: unknown key \"langs\" in tenant");
	CHECK(t == NULL);
	tenant_free(t);
	free(got);
	diag_free(&d);

	static const char offers[] =
		"offers:\n"
		"  - {id: a, id: b, title: T, description: D, facts: {}, district: X, address: A, "
		"hours: H, cost: C, email: a@b.de, phon: '12345'}\n";
	diag_init(&d);
	struct offer_list *l = offers_parse("offers.yaml", offers, strlen(offers), &d);
	got = diag_text(&d);
	CHECK_STR(got, "offers.yaml:2:13: duplicate key \"id\" (first at line 2)\n"
	               "offers.yaml:2:116: unknown key \"phon\" in offer");
	CHECK(l == NULL);
	offer_list_free(l);
	free(got);
	diag_free(&d);
}

/* ydoc_parse still returns no tree on any error; ydoc_parse_all says whether it was clean. */
static void test_ydoc_contract(void)
{
	static const char dup[] = "a: 1\na: 2\nb: 3\n", ok[] = "a: 1\n", alias[] = "a: *x\n";
	struct diag d;
	bool clean = true;
	diag_init(&d);
	CHECK(ydoc_parse("t.yaml", dup, strlen(dup), &d) == NULL);
	CHECK(d.n == 1);
	diag_free(&d);

	diag_init(&d);
	struct ydoc *doc = ydoc_parse_all("t.yaml", dup, strlen(dup), &d, &clean);
	CHECK(doc != NULL && !clean && d.n == 1);
	/* the later "a" is dropped: the first counts */
	CHECK(doc && doc->root && doc->root->npairs == 2);
	CHECK(doc && doc->root && doc->root->npairs == 2 &&
	      !strcmp(doc->root->pairs[0].key->str, "a") && !strcmp(doc->root->pairs[0].value->str, "1") &&
	      !strcmp(doc->root->pairs[1].key->str, "b"));
	ydoc_free(doc);
	diag_free(&d);

	diag_init(&d);
	doc = ydoc_parse_all("t.yaml", ok, strlen(ok), &d, &clean);
	CHECK(doc != NULL && clean && d.n == 0);
	ydoc_free(doc);
	diag_free(&d);

	clean = true;
	diag_init(&d);
	CHECK(ydoc_parse_all("t.yaml", alias, strlen(alias), &d, &clean) == NULL);
	CHECK(!clean && d.n == 1);
	diag_free(&d);
}

int main(void)
{
	tmp_setup();
	test_flows();
	test_tenant_and_offers();
	test_ydoc_contract();
	tmp_cleanup();
	CHECK_DONE();
}
