/* test_staff_yaml.c - the offers.yaml writer: offers_parse(emit(x)) gives
 * back x field by field, for the sample content and for strings that would
 * break naive YAML (quotes, backslashes, "#", ": ", "yes", "null", numbers,
 * newlines, tabs, control and Unicode line-break characters); the written
 * file keeps its header and is stable when written again. */
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "staff/util.h"

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_text(const struct text *a, const struct text *b)
{
	return same_str(a->msgid, b->msgid) && same_str(a->context, b->context) &&
	       same_str(a->note, b->note);
}

static bool same_offer(const struct offer *a, const struct offer *b)
{
	if (!same_str(a->id, b->id) || !same_text(&a->title, &b->title) ||
	    !same_text(&a->description, &b->description) || !same_str(a->district, b->district) ||
	    !same_str(a->address, b->address) || !same_text(&a->hours, &b->hours) ||
	    !same_str(a->phone, b->phone) || !same_str(a->email, b->email) ||
	    !same_str(a->web, b->web) || !same_text(&a->cost, &b->cost) || a->sample != b->sample ||
	    a->nfacts != b->nfacts || a->nlangs != b->nlangs)
		return false;
	for (size_t i = 0; i < a->nlangs; i++)
		if (strcmp(a->langs[i], b->langs[i]))
			return false;
	for (size_t i = 0; i < a->nfacts; i++) {
		if (strcmp(a->facts[i].key, b->facts[i].key) || a->facts[i].nvalues != b->facts[i].nvalues)
			return false;
		for (size_t k = 0; k < a->facts[i].nvalues; k++)
			if (strcmp(a->facts[i].values[k], b->facts[i].values[k]))
				return false;
	}
	return true;
}

/* Emits l, parses it back and compares; returns the emitted text (caller
 * frees). */
static char *round_trip(const struct offer_list *l, const char *header)
{
	struct strbuf sb;
	struct diag d;
	strbuf_init(&sb);
	diag_init(&d);
	CHECK(staff_offers_emit(l, header, &sb) == 0);
	struct offer_list *back = offers_parse("emitted.yaml", sb.data, sb.len, &d);
	diag_print(&d, stderr);
	CHECK(back != NULL);
	CHECK(diag_count(&d) == 0);
	CHECK(back && back->n == l->n);
	for (size_t i = 0; back && i < l->n && i < back->n; i++)
		CHECK(same_offer(&l->offers[i], &back->offers[i]));
	/* writing it again gives the same bytes */
	struct strbuf again;
	strbuf_init(&again);
	if (back)
		CHECK(staff_offers_emit(back, header, &again) == 0);
	CHECK_STR(strbuf_str(&again), strbuf_str(&sb));
	strbuf_free(&again);
	offer_list_free(back);
	diag_free(&d);
	return strbuf_steal(&sb);
}

static void file(const char *path)
{
	struct diag d;
	diag_init(&d);
	struct offer_list *l = offers_load(path, path, &d);
	diag_print(&d, stderr);
	CHECK(l != NULL && l->n > 0);
	if (l)
		free(round_trip(l, "# header\n"));
	offer_list_free(l);
	diag_free(&d);
}

static void tricky(void)
{
	const char *vals[] = {"0-2", "yes", "null", "~", "3"};
	const char *langs[] = {"de", "ar"};
	struct offer_fact facts[] = {
		{"age", (const char **)vals, 5},
		{"needs: a \"colon\"", (const char **)vals, 1},
	};
	struct offer o = {
		.id = "kita-1",
		.title = {.msgid = "Kita \"Sonne\" # nicht ein Kommentar", .context = "Ort: Stadt",
		          .note = "Note with\ttab and \\ backslash"},
		.description = {.msgid = "Zeile 1\nZeile 2\r\n  eingerückt: ja\x01\x7f"},
		.facts = facts, .nfacts = 2,
		.district = "- Liste? [nein] {nein} & *alias !tag %d @at `tick`",
		.address = "  leading and trailing spaces  ",
		.hours = {.msgid = "Mo–Fr 7–16 Uhr \xc2\x85 NEL \xe2\x80\xa8 LS \xe2\x80\xa9 PS"},
		.phone = "+49 (5341) 839-0", .email = "a@example.org", .web = "https://example.org/?a=1#x",
		.langs = langs, .nlangs = 2,
		.cost = {.msgid = "true", .note = "ein Wort"},
		.sample = true,
	};
	struct offer o2 = {
		.id = "b", .title = {.msgid = "ابحث 🔍"}, .description = {.msgid = "'single'"},
		.facts = facts, .nfacts = 1, .district = "Nord", .address = "x", .hours = {.msgid = "123"},
		.web = "http://x.example", .cost = {.msgid = "0"},
	};
	struct offer both[] = {o, o2};
	struct offer_list l = {.offers = both, .n = 2};
	char *text = round_trip(&l, "# offers.yaml - test\n# second line");
	/* the header comes first, every string is double-quoted */
	CHECK(text && !strncmp(text, "# offers.yaml - test\n# second line\noffers:\n  - id: \"kita-1\"\n",
	                       strlen("# offers.yaml - test\n# second line\noffers:\n  - id: \"kita-1\"\n")));
	CHECK(text && strstr(text, "    title: { text: \"Kita \\\"Sonne\\\" # nicht ein Kommentar\", "
	                           "context: \"Ort: Stadt\", note: \"Note with\\ttab and \\\\ backslash\" }\n"));
	CHECK(text && strstr(text, "    description: \"Zeile 1\\nZeile 2\\r\\n  eingerückt: ja\\x01\\x7F\"\n"));
	CHECK(text && strstr(text, "    facts: { \"age\": [\"0-2\", \"yes\", \"null\", \"~\", \"3\"], "
	                           "\"needs: a \\\"colon\\\"\": [\"0-2\"] }\n"));
	CHECK(text && strstr(text, "\\N NEL \\L LS \\P PS"));
	CHECK(text && strstr(text, "    sample: true\n"));
	free(text);
	/* an empty list */
	struct offer_list empty = {0};
	struct strbuf sb;
	strbuf_init(&sb);
	CHECK(staff_offers_emit(&empty, NULL, &sb) == 0);
	CHECK_STR(strbuf_str(&sb), "offers: []\n");
	strbuf_free(&sb);
}

int main(void)
{
	file("tests/data/flow/valid/offers.yaml");
	file("flows/salzgitter/offers.yaml");
	file("flows/goslar/offers.yaml");
	file("flows/lueneburg/offers.yaml");
	tricky();
	CHECK_DONE();
}
