/* test_flow_pictogram.c - a choice's "icon" (docs/flows.md, "Pictograms"):
 * known names parse into the choice, every wrong one is reported with its
 * exact position and message (the closest name when there is one); the
 * table's lookups, suggestions and right-to-left arrows; and the table in
 * src/flow/pictogram.c agrees row by row with the list in docs/flows.md. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_text.h"
#include "flow/flow.h"
#include "flow/pictogram.h"
#include "util/strbuf.h"

#define HEADER "flow: f\ntitle: T\nstart: a\nnodes:\n  a:\n    ask: Q\n    choices:\n"
#define END "  e: {end: x}\n"

struct icon_case {
	const char *name;
	const char *choices;  /* the choice lines (from line 8) */
	const char *expect;   /* every error, sorted, one per line */
};

static const struct icon_case cases[] = {
	{ "a typo: the closest name",
	  "      - { id: x, label: L, next: e, icon: babby }\n",
	  "t.yaml:8:43: unknown pictogram \"babby\" in \"icon\"; did you mean \"baby\"?" },
	{ "two neighbours swapped count as one edit",
	  "      - { id: x, label: L, next: e, icon: shcool }\n",
	  "t.yaml:8:43: unknown pictogram \"shcool\" in \"icon\"; did you mean \"school\"?" },
	{ "a word with no close name",
	  "      - { id: x, label: L, next: e, icon: kita }\n",
	  "t.yaml:8:43: unknown pictogram \"kita\" in \"icon\" (the names are listed in "
	  "docs/flows.md, \"Pictograms\")" },
	{ "one letter off a two-letter name is too far to guess",
	  "      - { id: x, label: L, next: e, icon: mx }\n",
	  "t.yaml:8:43: unknown pictogram \"mx\" in \"icon\" (the names are listed in "
	  "docs/flows.md, \"Pictograms\")" },
	{ "an emoji is not a name",
	  "      - { id: x, label: L, next: e, icon: \"\xF0\x9F\x91\xB6\" }\n",
	  "t.yaml:8:43: unknown pictogram \"\xF0\x9F\x91\xB6\" in \"icon\" (the names are listed in "
	  "docs/flows.md, \"Pictograms\")" },
	{ "names are lower case",
	  "      - { id: x, label: L, next: e, icon: Baby }\n",
	  "t.yaml:8:43: unknown pictogram \"Baby\" in \"icon\"; did you mean \"baby\"?" },
	{ "a list",
	  "      - { id: x, label: L, next: e, icon: [baby] }\n",
	  "t.yaml:8:43: \"icon\" must be a pictogram name" },
	{ "a mapping",
	  "      - id: x\n"
	  "        label: L\n"
	  "        next: e\n"
	  "        icon: { name: baby }\n",
	  "t.yaml:11:15: \"icon\" must be a pictogram name" },
	{ "empty",
	  "      - { id: x, label: L, next: e, icon: \"\" }\n",
	  "t.yaml:8:43: \"icon\" must not be empty" },
	{ "null",
	  "      - { id: x, label: L, next: e, icon: }\n",
	  "t.yaml:8:43: \"icon\" must not be empty" },
	{ "every wrong icon of a file at once, beside other errors",
	  "      - { id: x, label: L, next: e, icon: babby }\n"
	  "      - { id: y, label: L, next: e, icon: kita, colour: red }\n"
	  "      - { id: z, label: L, next: nowhere, icon: school }\n",
	  "t.yaml:8:43: unknown pictogram \"babby\" in \"icon\"; did you mean \"baby\"?\n"
	  "t.yaml:9:43: unknown pictogram \"kita\" in \"icon\" (the names are listed in "
	  "docs/flows.md, \"Pictograms\")\n"
	  "t.yaml:9:49: unknown key \"colour\" in choice\n"
	  "t.yaml:10:34: unknown node \"nowhere\"" },
	{ "icon is a choice's key, not a node's",
	  "      - { id: x, label: L, next: e }\n"
	  "    icon: baby\n",
	  "t.yaml:9:5: unknown key \"icon\" in node" },
};

static void run_case(const struct icon_case *c)
{
	struct strbuf src;
	struct diag d;
	strbuf_init(&src);
	strbuf_puts(&src, HEADER);
	strbuf_puts(&src, c->choices);
	strbuf_puts(&src, END);
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

/* Known names land in the choice (the table's own string); no icon is NULL. */
static void test_valid(void)
{
	static const char yaml[] = HEADER
		"      - { id: x, label: L, next: e, icon: baby }\n"
		"      - { id: y, label: L, next: e, icon: school-start }\n"
		"      - { id: z, label: L, next: e }\n"
		END;
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_parse("t.yaml", yaml, strlen(yaml), &d);
	CHECK(f != NULL);
	CHECK(diag_count(&d) == 0);
	const struct node *n = f ? flow_node(f, "a") : NULL;
	CHECK(n && n->nchoices == 3);
	if (n && n->nchoices == 3) {
		CHECK_STR(n->choices[0].icon, "baby");
		CHECK(n->choices[0].icon == pictogram_find("baby")->name);
		CHECK_STR(n->choices[1].icon, "school-start");
		CHECK(n->choices[2].icon == NULL);
	}
	flow_free(f);
	diag_free(&d);
}

static void test_lookup(void)
{
	CHECK_STR(pictogram_emoji("baby", false), "\xF0\x9F\x91\xB6");          /* U+1F476 */
	CHECK_STR(pictogram_emoji("baby", true), "\xF0\x9F\x91\xB6");
	CHECK_STR(pictogram_emoji("next", false), "\xE2\x9E\xA1\xEF\xB8\x8F");   /* U+27A1 U+FE0F */
	CHECK_STR(pictogram_emoji("next", true), "\xE2\xAC\x85\xEF\xB8\x8F");    /* U+2B05 U+FE0F */
	CHECK_STR(pictogram_emoji("back", true), "\xE2\x9E\xA1\xEF\xB8\x8F");
	/* a ZWJ sequence: person, ZWJ, school */
	CHECK_STR(pictogram_emoji("teacher", false), "\xF0\x9F\xA7\x91\xE2\x80\x8D\xF0\x9F\x8F\xAB");
	CHECK_STR(pictogram_emoji("german", false), "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA");
	CHECK(pictogram_emoji("nothing", false) == NULL);
	CHECK(pictogram_emoji(NULL, false) == NULL);
	CHECK(pictogram_find("") == NULL);
	CHECK(pictogram_find("bab") == NULL);
	CHECK(pictogram_at(pictogram_count()) == NULL);

	CHECK_STR(pictogram_suggest("babby"), "baby");
	CHECK_STR(pictogram_suggest("yuoth"), "youth");
	CHECK_STR(pictogram_suggest("schol"), "school");
	CHECK_STR(pictogram_suggest("calender"), "calendar");
	CHECK(pictogram_suggest("kita") == NULL);
	CHECK(pictogram_suggest("mx") == NULL);
	CHECK(pictogram_suggest("") == NULL);
	CHECK(pictogram_suggest(NULL) == NULL);
	char longname[80];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK(pictogram_suggest(longname) == NULL);
}

/* Decodes one UTF-8 character at *p (valid input assumed: checked by the
 * caller's comparison with the list); advances p. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t cp;
	size_t n;
	if (s[0] < 0x80) { cp = s[0]; n = 1; }
	else if (s[0] < 0xE0) { cp = s[0] & 0x1Fu; n = 2; }
	else if (s[0] < 0xF0) { cp = s[0] & 0x0Fu; n = 3; }
	else { cp = s[0] & 0x07u; n = 4; }
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3Fu);
	*p = s + n;
	return cp;
}

/* "U+1F9D1 U+200D U+1F3EB" for an emoji. */
static void code_points(const char *emoji, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)emoji;
	char b[16];
	bool first = true;
	while (*p) {
		snprintf(b, sizeof(b), "%sU+%04X", first ? "" : " ", (unsigned)next_cp(&p));
		strbuf_puts(out, b);
		first = false;
	}
}

static bool valid_name(const char *s)
{
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || *c == '-'))
			return false;
	return *s != '\0';
}

/* The table is sorted and well-formed, and docs/flows.md has exactly its rows:
 * "| `name` | EMOJI | U+... |" (or "EMOJI / RTL | U+... / U+... (right-to-left) |"). */
static void test_table_and_docs(void)
{
	FILE *fp = fopen(LOTSE_SOURCE_DIR "/docs/flows.md", "r");
	CHECK(fp != NULL);
	if (!fp)
		return;
	struct strbuf doc;
	strbuf_init(&doc);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_append(&doc, buf, n);
	fclose(fp);

	CHECK(pictogram_count() >= 60);
	size_t rows = 0;
	for (const char *p = strbuf_str(&doc); (p = strstr(p, "\n| `")) != NULL; p++)
		rows++;
	CHECK(rows == pictogram_count());
	for (size_t i = 0; i < pictogram_count(); i++) {
		const struct pictogram *pg = pictogram_at(i);
		CHECK(valid_name(pg->name));
		if (i > 0)
			CHECK(strcmp(pictogram_at(i - 1)->name, pg->name) < 0);
		CHECK(pictogram_find(pg->name) == pg);
		struct strbuf row;
		strbuf_init(&row);
		strbuf_puts(&row, "\n| `");
		strbuf_puts(&row, pg->name);
		strbuf_puts(&row, "` | ");
		strbuf_puts(&row, pg->emoji);
		if (pg->emoji_rtl) {
			strbuf_puts(&row, " / ");
			strbuf_puts(&row, pg->emoji_rtl);
		}
		strbuf_puts(&row, " | ");
		code_points(pg->emoji, &row);
		if (pg->emoji_rtl) {
			strbuf_puts(&row, " / ");
			code_points(pg->emoji_rtl, &row);
			strbuf_puts(&row, " (right-to-left)");
		}
		strbuf_puts(&row, " | ");
		if (!strstr(strbuf_str(&doc), strbuf_str(&row)))
			fprintf(stderr, "docs/flows.md lacks the row %s\n", strbuf_str(&row) + 1);
		CHECK(strstr(strbuf_str(&doc), strbuf_str(&row)) != NULL);
		strbuf_free(&row);
	}
	strbuf_free(&doc);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_valid();
	test_lookup();
	test_table_and_docs();
	CHECK_DONE();
}
