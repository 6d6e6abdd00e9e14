/* test_flow_offers.c - offers_parse/offers_load: the valid sample offers
 * load with all fields (facts as single values, lists and numbers), and every
 * rejection has its exact position and message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_text.h"
#include "flow/tenant.h"
#include "util/strbuf.h"

#define DATA LOTSE_SOURCE_DIR "/tests/data/flow/valid/"

struct offers_case {
	const char *name;
	const char *yaml;
	const char *expect; /* every error, sorted, one per line */
};

static const struct offers_case cases[] = {
	{ "empty file",
	  "",
	  "offers.yaml: empty file (expected \"offers:\" and a list)" },
	{ "not a mapping",
	  "- a\n",
	  "offers.yaml:1:1: an offers file must be a mapping" },
	{ "missing offers",
	  "offer: []\n",
	  "offers.yaml:1:1: unknown key \"offer\" in offers file\n"
	  "offers.yaml:1:1: missing key \"offers\" in offers file" },
	{ "offers not a list",
	  "offers: {a: 1}\n",
	  "offers.yaml:1:9: \"offers\" must be a list" },
	{ "offer not a mapping",
	  "offers:\n"
	  "  - x\n",
	  "offers.yaml:2:5: an offer must be a mapping" },
	{ "missing keys",
	  "offers:\n"
	  "  - id: a\n"
	  "    web: https://example.org\n",
	  "offers.yaml:2:5: missing key \"title\" in offer\n"
	  "offers.yaml:2:5: missing key \"description\" in offer\n"
	  "offers.yaml:2:5: missing key \"facts\" in offer\n"
	  "offers.yaml:2:5: missing key \"district\" in offer\n"
	  "offers.yaml:2:5: missing key \"address\" in offer\n"
	  "offers.yaml:2:5: missing key \"hours\" in offer\n"
	  "offers.yaml:2:5: missing key \"cost\" in offer" },
	{ "unknown key",
	  "offers:\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, web: 'https://e.org', phon: '12345'}\n",
	  "offers.yaml:2:116: unknown key \"phon\" in offer" },
	{ "no contact",
	  "offers:\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C}\n",
	  "offers.yaml:2:5: an offer needs \"phone\", \"email\" or \"web\"" },
	{ "duplicate ids",
	  "offers:\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: a@b.de}\n"
	  "  - {id: b, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: a@b.de}\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: a@b.de}\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: a@b.de}\n",
	  "offers.yaml:4:10: duplicate offer id \"a\" (first at line 2)\n"
	  "offers.yaml:5:10: duplicate offer id \"a\" (first at line 2)" },
	{ "bad facts",
	  "offers:\n"
	  "  - id: a\n"
	  "    title: T\n"
	  "    description: D\n"
	  "    facts: {age: {min: 1}, topic: [], lang: [de, ~], x: }\n"
	  "    district: X\n"
	  "    address: A\n"
	  "    hours: H\n"
	  "    cost: C\n"
	  "    email: a@b.de\n",
	  "offers.yaml:5:18: fact \"age\" must be a value or a list of values\n"
	  "offers.yaml:5:35: fact \"topic\" must be a value or a list of values\n"
	  "offers.yaml:5:50: fact \"lang\" must be a value or a list of values\n"
	  "offers.yaml:5:57: fact \"x\" must be a value or a list of values" },
	{ "facts not a mapping",
	  "offers:\n"
	  "  - {id: a, title: T, description: D, facts: [x], district: X, address: A, hours: H, cost: C, email: a@b.de}\n",
	  "offers.yaml:2:46: \"facts\" must be a mapping" },
	{ "bad languages",
	  "offers:\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: a@b.de, languages: [de, klingon]}\n",
	  "offers.yaml:2:125: unknown language \"klingon\"" },
	{ "bad contact",
	  "offers:\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: nope, phone: x, web: www.example.org}\n",
	  "offers.yaml:2:101: invalid email address \"nope\"\n"
	  "offers.yaml:2:114: invalid phone number \"x\" (digits, spaces and + - / ( ), at least 5 digits)\n"
	  "offers.yaml:2:122: invalid web address \"www.example.org\" (http:// or https:// and a host)" },
	{ "invalid id",
	  "offers:\n"
	  "  - {id: A_1, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: a@b.de}\n",
	  "offers.yaml:2:10: invalid id \"A_1\" (use a-z, 0-9, _ and -, at most 64 characters)" },
	{ "bad sample",
	  "offers:\n"
	  "  - {id: a, title: T, description: D, facts: {}, district: X, address: A, hours: H, cost: C, email: a@b.de, sample: 'true'}\n",
	  "offers.yaml:2:117: \"sample\" must be true or false" },
};

static void test_error_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag d;
		diag_init(&d);
		const char *y = cases[i].yaml;
		struct offer_list *l = offers_parse("offers.yaml", y, strlen(y), &d);
		char *got = diag_text(&d);
		if (strcmp(got, cases[i].expect) != 0)
			fprintf(stderr, "case \"%s\":\n", cases[i].name);
		CHECK_STR(got, cases[i].expect);
		CHECK(l == NULL);
		offer_list_free(l);
		free(got);
		diag_free(&d);
	}
}

static void test_valid(void)
{
	struct diag d;
	diag_init(&d);
	struct offer_list *l = offers_load(DATA "offers.yaml", "flows/valid/offers.yaml", &d);
	diag_print(&d, stderr);
	CHECK(l != NULL && d.n == 0);
	if (!l)
		return;
	CHECK_STR(l->file, "flows/valid/offers.yaml");
	CHECK(l->n == 2);
	if (l->n != 2)
		goto out;
	const struct offer *o = &l->offers[0];
	CHECK_STR(o->id, "sprachkita-mitte");
	CHECK(o->line == 3);
	CHECK_STR(o->title.msgid, "Sprach-Kita Mitte");
	CHECK(o->title.line == 4);
	CHECK_STR(o->description.msgid, "Alltagsintegrierte Sprachbildung für Kinder von 1 bis 6 Jahren.");
	CHECK(o->nfacts == 3);
	if (o->nfacts == 3) {
		CHECK_STR(o->facts[0].key, "audience");
		CHECK(o->facts[0].nvalues == 2);
		CHECK_STR(o->facts[0].values[1], "parent");
		CHECK_STR(o->facts[1].key, "age");
		CHECK(o->facts[1].nvalues == 1);
		CHECK_STR(o->facts[1].values[0], "1-6");
	}
	CHECK_STR(o->district, "Mitte");
	CHECK_STR(o->address, "Musterweg 1, 12345 Musterstadt");
	CHECK_STR(o->hours.msgid, "Mo–Fr 7–16 Uhr");
	CHECK_STR(o->phone, "+49 5341 000000");
	CHECK_STR(o->email, "kita@example.org");
	CHECK_STR(o->web, "https://example.org/kita");
	CHECK(o->nlangs == 3);
	if (o->nlangs == 3)
		CHECK_STR(o->langs[1], "tr");
	CHECK_STR(o->cost.msgid, "kostenlos");
	CHECK(o->sample);

	o = &l->offers[1];
	CHECK_STR(o->id, "deutschkurs");
	CHECK_STR(o->title.msgid, "Deutschkurs am Abend");
	CHECK_STR(o->title.note, "Kurstitel");
	CHECK(o->nfacts == 3);
	if (o->nfacts == 3) {
		CHECK_STR(o->facts[2].key, "age");
		CHECK_STR(o->facts[2].values[0], "18");
	}
	CHECK(o->phone == NULL && o->email == NULL);
	CHECK_STR(o->web, "http://vhs.example.org");
	CHECK(o->nlangs == 0 && !o->sample);
	CHECK_STR(o->cost.msgid, "40 Euro");
out:
	offer_list_free(l);
	diag_free(&d);
}

static void test_empty_list(void)
{
	struct diag d;
	diag_init(&d);
	struct offer_list *l = offers_parse("offers.yaml", "offers: []\n", 11, &d);
	CHECK(l != NULL && l->n == 0 && d.n == 0);
	offer_list_free(l);
	diag_free(&d);
}

int main(void)
{
	test_error_table();
	test_valid();
	test_empty_list();
	CHECK_DONE();
}
