/* test_yaml_parse.c - ydoc_parse/ydoc_load: every rejection with its exact
 * position and message, the tree built for valid input, and the helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_text.h"
#include "util/strbuf.h"
#include "yaml/ydoc.h"

/* Parses buf and returns the error text ("" when a document came back). */
static char *parse_errors(const char *buf, size_t len)
{
	struct diag d;
	diag_init(&d);
	struct ydoc *doc = ydoc_parse("t.yaml", buf, len, &d);
	char *text = diag_text(&d);
	if ((doc != NULL) != (d.n == 0))
		fprintf(stderr, "document returned despite errors (or none without)\n"), check_failures++;
	ydoc_free(doc);
	diag_free(&d);
	return text;
}

struct error_case {
	const char *name;
	const char *yaml;
	const char *expect;
};

static const struct error_case cases[] = {
	{ "anchor", "a: &x 1\n", "t.yaml:1:4: anchors and aliases are not allowed" },
	{ "anchor on map", "a: &m\n  b: 1\n", "t.yaml:1:4: anchors and aliases are not allowed" },
	{ "alias", "a: [1]\nb: *x\n", "t.yaml:2:4: anchors and aliases are not allowed" },
	{ "duplicate key", "next: a\nother: b\nnext: c\n",
	  "t.yaml:3:1: duplicate key \"next\" (first at line 1)" },
	{ "duplicate key, quoted", "a:\n  'x': 1\n  \"x\": 2\n",
	  "t.yaml:3:3: duplicate key \"x\" (first at line 2)" },
	{ "duplicate key three times", "k: 1\nk: 2\nj: 0\nk: 3\n",
	  "t.yaml:2:1: duplicate key \"k\" (first at line 1)\n"
	  "t.yaml:4:1: duplicate key \"k\" (first at line 1)" },
	{ "duplicate key in flow map", "a: {x: 1, y: 2, x: 3}\n",
	  "t.yaml:1:17: duplicate key \"x\" (first at line 1)" },
	{ "non-scalar key", "? [a]\n: b\n", "t.yaml:1:3: keys must be scalars" },
	{ "mapping key", "? {a: 1}\n: b\nc: d\n", "t.yaml:1:3: keys must be scalars" },
	{ "two documents", "a: 1\n---\nb: 2\n", "t.yaml:2:1: more than one document" },
	{ "two explicit documents", "---\na: 1\n...\n---\nb: 2\n",
	  "t.yaml:4:1: more than one document" },
	{ "invalid UTF-8", "a: x\nb: \xc3\xa4\xc3\xa4\xff\n", "t.yaml:2:6: invalid UTF-8" },
	{ "invalid UTF-8 after BOM", "\xef\xbb\xbf" "ab\xc3", "t.yaml:1:3: invalid UTF-8" },
	{ "overlong UTF-8", "a: \xc0\xaf\n", "t.yaml:1:4: invalid UTF-8" },
	{ "surrogate", "a: \xed\xa0\x80\n", "t.yaml:1:4: invalid UTF-8" },
	{ "invalid UTF-8 after CRLF", "a: 1\r\nb: 2\r\nc: \xfe", "t.yaml:3:4: invalid UTF-8" },
	{ "UTF-16 BOM", "\xff\xfe" "a\0:\0", "t.yaml:1:1: invalid UTF-8" },
	{ "syntax error", "a: b: c\n",
	  "t.yaml:1:5: YAML syntax error: mapping values are not allowed in this context" },
	{ "syntax error with context", "a:\n  - x\n  y: 2\n",
	  "t.yaml:3:3: YAML syntax error: did not find expected '-' indicator "
	  "(while parsing a block collection at line 2)" },
	{ "unclosed quote", "a: \"abc\n",
	  "t.yaml:2:1: YAML syntax error: found unexpected end of stream "
	  "(while scanning a quoted scalar at line 1)" },
	{ "tab indentation", "a:\n\tb: 1\n",
	  "t.yaml:2:1: YAML syntax error: tabs are not allowed here (indent with spaces)" },
	{ "tab after text", "a: 1\nb: \xc3\xa4\xc3\xa4\n\t- x\n",
	  "t.yaml:3:1: YAML syntax error: tabs are not allowed here (indent with spaces)" },
	{ "bad token", "a: 1\n`x\n",
	  "t.yaml:2:1: YAML syntax error: found character that cannot start any token "
	  "(while scanning for the next token at line 2)" },
	{ "control character", "a: \"x\x01\"\n",
	  "t.yaml:1:6: YAML syntax error: control characters are not allowed" },
	{ "NUL escape", "a: \"x\\0y\"\n", "t.yaml:1:4: NUL characters are not allowed" },
	{ "tag", "a: !!str 1\n", "t.yaml:1:4: tags are not allowed" },
	{ "tag on a list", "a: !foo [1]\n", "t.yaml:1:4: tags are not allowed" },
	{ "33 levels",
	  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	  "t.yaml:1:33: nesting deeper than 32 levels" },
	{ "several errors", "a: &x 1\nb: 2\nb: *x\n",
	  "t.yaml:1:4: anchors and aliases are not allowed\n"
	  "t.yaml:3:1: duplicate key \"b\" (first at line 2)\n"
	  "t.yaml:3:4: anchors and aliases are not allowed" },
};

static void test_error_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].yaml);
		if (strcmp(cases[i].name, "UTF-16 BOM") == 0)
			len = 6;
		char *got = parse_errors(cases[i].yaml, len);
		if (strcmp(got, cases[i].expect) != 0)
			fprintf(stderr, "case \"%s\":\n", cases[i].name);
		CHECK_STR(got, cases[i].expect);
		free(got);
	}
}

/* Builds n nested block mappings: "k1:\n  k2:\n    k3: x". */
static char *nested_maps(int n)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 1; i <= n; i++) {
		for (int j = 1; j < i; j++)
			strbuf_puts(&sb, "  ");
		strbuf_printf(&sb, "k%d:%s\n", i, i == n ? " x" : "");
	}
	return strbuf_steal(&sb);
}

static void test_depth(void)
{
	/* 32 levels of mappings are fine, 33 are not. */
	char *ok = nested_maps(32), *bad = nested_maps(33);
	char *e1 = parse_errors(ok, strlen(ok));
	char *e2 = parse_errors(bad, strlen(bad));
	CHECK_STR(e1, "");
	CHECK_STR(e2, "t.yaml:33:65: nesting deeper than 32 levels");
	free(ok), free(bad), free(e1), free(e2);

	/* 50k '[' stop at the 33rd, with one error. */
	size_t n = 50000;
	char *deep = malloc(n);
	memset(deep, '[', n);
	char *e3 = parse_errors(deep, n);
	CHECK_STR(e3, "t.yaml:1:33: nesting deeper than 32 levels");
	free(deep), free(e3);
}

static void test_size(void)
{
	size_t n = YDOC_MAX_BYTES + 1;
	char *big = malloc(n);
	memset(big, ' ', n);
	char *e = parse_errors(big, n);
	CHECK_STR(e, "t.yaml: file is larger than 1048576 bytes");
	free(e);
	e = parse_errors(big, n - 1);
	CHECK_STR(e, "");
	free(e);

	/* ydoc_load reads at most the cap + 1. */
	char path[4096];
	snprintf(path, sizeof(path), "%s/test_yaml_parse_big.yaml", LOTSE_BINARY_DIR);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		fwrite(big, 1, n, f);
		fclose(f);
	}
	struct diag d;
	diag_init(&d);
	struct ydoc *doc = ydoc_load(path, "big.yaml", &d);
	CHECK(doc == NULL);
	e = diag_text(&d);
	CHECK_STR(e, "big.yaml: file is larger than 1048576 bytes");
	free(e);
	diag_free(&d);
	remove(path);
	free(big);

	diag_init(&d);
	doc = ydoc_load(LOTSE_SOURCE_DIR "/tests/data/yaml/missing.yaml", "missing.yaml", &d);
	CHECK(doc == NULL);
	e = diag_text(&d);
	CHECK_STR(e, "missing.yaml: cannot open: No such file or directory");
	free(e);
	diag_free(&d);
}

static void test_tree(void)
{
	static const char yaml[] =
		"\xef\xbb\xbf# a comment\n"
		"name: Grüße\n"
		"list: [a, 'b', \"yes\", 12]\n"
		"map:\n"
		"  n: -12\n"
		"  t: yes\n"
		"  q: '12'\n"
		"  e:\n"
		"  z: ~\n"
		"  text: |\n"
		"    zwei\n"
		"    Zeilen\n";
	struct diag d;
	diag_init(&d);
	struct ydoc *doc = ydoc_parse("t.yaml", yaml, strlen(yaml), &d);
	CHECK(doc != NULL);
	CHECK(d.n == 0);
	if (!doc)
		return;
	CHECK_STR(doc->file, "t.yaml");
	const struct ynode *r = doc->root;
	CHECK(r->kind == YNODE_MAP && r->npairs == 3 && r->line == 2 && r->col == 1);
	const struct ynode *name = ynode_get(r, "name");
	CHECK_STR(name->str, "Grüße");
	CHECK(name->line == 2 && name->col == 7 && !name->quoted && name->len == 7);
	const struct ynode *list = ynode_get(r, "list");
	CHECK(list->kind == YNODE_SEQ && list->nitems == 4 && list->line == 3 && list->col == 7);
	CHECK(!list->items[0]->quoted && list->items[1]->quoted && list->items[2]->quoted);
	CHECK(list->items[3]->line == 3 && list->items[3]->col == 23);
	bool b = false;
	long v = 0;
	CHECK(!ynode_bool(list->items[2], &b)); /* "yes" quoted stays a string */
	CHECK(ynode_int(list->items[3], 0, 100, &v) && v == 12);
	CHECK(!ynode_int(list->items[3], 0, 11, &v));
	const struct ynode *map = ynode_get(r, "map");
	CHECK(map->kind == YNODE_MAP && map->npairs == 6);
	CHECK(ynode_int(ynode_get(map, "n"), -20, 20, &v) && v == -12);
	CHECK(ynode_bool(ynode_get(map, "t"), &b) && b);
	CHECK(!ynode_int(ynode_get(map, "q"), 0, 100, &v)); /* '12' quoted is a string */
	CHECK(!ynode_is_str(ynode_get(map, "e")) && !ynode_is_str(ynode_get(map, "z")));
	CHECK(ynode_is_str(ynode_get(map, "q")));
	CHECK_STR(ynode_get(map, "text")->str, "zwei\nZeilen\n");
	CHECK(ynode_get(map, "text")->quoted);
	CHECK(ynode_get(map, "absent") == NULL && ynode_get(name, "x") == NULL);
	ydoc_free(doc);
	diag_free(&d);

	/* Empty input and a comment-only file are empty documents. */
	doc = ydoc_parse("t.yaml", "", 0, &d);
	CHECK(doc != NULL && doc->root == NULL);
	ydoc_free(doc);
	doc = ydoc_parse("t.yaml", "# nothing\n", 10, &d);
	CHECK(doc != NULL && doc->root == NULL);
	ydoc_free(doc);
	CHECK(d.n == 0);
	diag_free(&d);
}

static void test_load(void)
{
	struct diag d;
	diag_init(&d);
	struct ydoc *doc = ydoc_load(LOTSE_SOURCE_DIR "/tests/data/yaml/dupkey.yaml", NULL, &d);
	CHECK(doc == NULL);
	CHECK(d.n == 1);
	if (d.n == 1) {
		CHECK(strstr(d.items[0].file, "tests/data/yaml/dupkey.yaml") != NULL);
		CHECK(d.items[0].line == 4 && d.items[0].col == 3);
		CHECK_STR(d.items[0].message, "duplicate key \"next\" (first at line 3)");
	}
	diag_free(&d);
}

int main(void)
{
	test_error_table();
	test_depth();
	test_size();
	test_tree();
	test_load();
	CHECK_DONE();
}
