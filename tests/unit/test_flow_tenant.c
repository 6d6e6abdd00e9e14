/* test_flow_tenant.c - tenant_load: the valid sample tenant loads with all
 * of its fields; every rejection (required and unknown keys, languages,
 * contact shapes, colour, logo) has its exact position and message; and
 * tenant_check_flows reports an unknown start flow at tenant.yaml's "start". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_text.h"
#include "flow/tenant.h"
#include "util/strbuf.h"

#define DATA LOTSE_SOURCE_DIR "/tests/data/flow/valid/"
#define BASE "name: N\ndefault_lang: de\nlanguages: [de, en]\nstart: main\ncontact:\n" \
	"  name: C\n  email: a@example.org\n"

struct tenant_case {
	const char *name;
	const char *yaml;
	const char *expect; /* every error, sorted, one per line */
};

static const struct tenant_case cases[] = {
	{ "empty file",
	  "",
	  "tenant.yaml: empty file" },
	{ "not a mapping",
	  "[a]\n",
	  "tenant.yaml:1:1: tenant.yaml must be a mapping" },
	{ "missing keys",
	  "sample: true\n",
	  "tenant.yaml:1:1: missing key \"name\" in tenant\n"
	  "tenant.yaml:1:1: missing key \"default_lang\" in tenant\n"
	  "tenant.yaml:1:1: missing key \"languages\" in tenant\n"
	  "tenant.yaml:1:1: missing key \"start\" in tenant\n"
	  "tenant.yaml:1:1: missing key \"contact\" in tenant" },
	{ "unknown key",
	  BASE "color: '#ffffff'\n",
	  "tenant.yaml:8:1: unknown key \"color\" in tenant" },
	{ "unknown language",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, xx]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:3:17: unknown language \"xx\"" },
	{ "duplicate language",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, en, de]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:3:21: duplicate language \"de\"" },
	{ "languages not a list",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: de\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:3:12: \"languages\" must be a list" },
	{ "languages empty",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: []\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:3:12: \"languages\" must not be empty" },
	{ "default not offered",
	  "name: N\n"
	  "default_lang: ar\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:2:15: default language \"ar\" is not in \"languages\"" },
	{ "default unknown",
	  "name: N\n"
	  "default_lang: deu\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:2:15: unknown language \"deu\"" },
	{ "invalid start",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, en]\n"
	  "start: Main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:4:8: invalid id \"Main\" (use a-z, 0-9, _ and -, at most 64 characters)" },
	{ "contact not a mapping",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact: Frau X\n",
	  "tenant.yaml:5:10: \"contact\" must be a mapping" },
	{ "contact unknown key",
	  BASE "  fax: '123456'\n",
	  "tenant.yaml:8:3: unknown key \"fax\" in contact" },
	{ "contact missing",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact:\n"
	  "  person: X\n",
	  "tenant.yaml:6:3: missing key \"name\" in contact\n"
	  "tenant.yaml:6:3: contact needs \"phone\", \"email\" or \"web\"" },
	{ "bad phone",
	  BASE "  phone: 0800-CALL-NOW\n",
	  "tenant.yaml:8:10: invalid phone number \"0800-CALL-NOW\" (digits, spaces and + - / ( ), at least 5 digits)" },
	{ "short phone",
	  BASE "  phone: 12 34\n",
	  "tenant.yaml:8:10: invalid phone number \"12 34\" (digits, spaces and + - / ( ), at least 5 digits)" },
	{ "bad email two at",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@b@example.org\n",
	  "tenant.yaml:7:10: invalid email address \"a@b@example.org\"" },
	{ "bad email no dot",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@localhost\n",
	  "tenant.yaml:7:10: invalid email address \"a@localhost\"" },
	{ "bad email space",
	  "name: N\n"
	  "default_lang: de\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: 'a b@example.org'\n",
	  "tenant.yaml:7:10: invalid email address \"a b@example.org\"" },
	{ "bad web scheme",
	  BASE "  web: ftp://example.org\n",
	  "tenant.yaml:8:8: invalid web address \"ftp://example.org\" (http:// or https:// and a host)" },
	{ "bad web no host",
	  BASE "  web: https:///x\n",
	  "tenant.yaml:8:8: invalid web address \"https:///x\" (http:// or https:// and a host)" },
	{ "bad colour",
	  BASE "colour: '#12345g'\n",
	  "tenant.yaml:8:9: invalid colour \"#12345g\" (use #rrggbb)" },
	{ "colour as comment",
	  BASE "colour: #123456\n",
	  "tenant.yaml:8:8: \"colour\" has no value (a # starts a comment: write it in quotes)" },
	{ "bad logo",
	  BASE "logo: ../secret.svg\n",
	  "tenant.yaml:8:7: \"logo\" must be a file name in the tenant's folder" },
	{ "bad sample",
	  BASE "sample: maybe\n",
	  "tenant.yaml:8:9: \"sample\" must be true or false" },
	{ "name a list",
	  "name: [N]\n"
	  "default_lang: de\n"
	  "languages: [de, en]\n"
	  "start: main\n"
	  "contact:\n"
	  "  name: C\n"
	  "  email: a@example.org\n",
	  "tenant.yaml:1:7: \"name\" must be a text (a string or a mapping with \"text\")" },
};

/* Writes yaml to a scratch file and loads it as tenant "x". */
static struct tenant *load_text(const char *yaml, const char *id, struct diag *d)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/test_flow_tenant.yaml", LOTSE_BINARY_DIR);
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "cannot write %s\n", path);
		check_failures++;
		return NULL;
	}
	fputs(yaml, f);
	fclose(f);
	struct tenant *t = tenant_load(path, "tenant.yaml", id, d);
	remove(path);
	return t;
}

static void test_error_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag d;
		diag_init(&d);
		struct tenant *t = load_text(cases[i].yaml, "x", &d);
		char *got = diag_text(&d);
		if (strcmp(got, cases[i].expect) != 0)
			fprintf(stderr, "case \"%s\":\n", cases[i].name);
		CHECK_STR(got, cases[i].expect);
		CHECK(t == NULL);
		tenant_free(t);
		free(got);
		diag_free(&d);
	}
}

static void test_base_and_id(void)
{
	struct diag d;
	diag_init(&d);
	struct tenant *t = load_text(BASE, "x", &d);
	CHECK(t != NULL && d.n == 0);
	if (t) {
		CHECK(t->colour == NULL && t->logo == NULL && !t->sample);
		CHECK(t->contact.phone == NULL && t->contact.web == NULL);
		CHECK(t->contact.hours.msgid == NULL);
	}
	tenant_free(t);
	t = load_text(BASE, "Bad Id", &d);
	CHECK(t == NULL);
	char *got = diag_text(&d);
	CHECK_STR(got, "tenant.yaml: invalid tenant id \"Bad Id\" (use a-z, 0-9, _ and -, at most 64 characters)");
	free(got);
	diag_free(&d);
	diag_init(&d);
	t = tenant_load(DATA "nope.yaml", "nope.yaml", "x", &d);
	CHECK(t == NULL);
	got = diag_text(&d);
	CHECK_STR(got, "nope.yaml: cannot open: No such file or directory");
	free(got);
	diag_free(&d);
}

static void test_valid(void)
{
	struct diag d;
	diag_init(&d);
	struct tenant *t = tenant_load(DATA "tenant.yaml", "flows/valid/tenant.yaml", "valid", &d);
	diag_print(&d, stderr);
	CHECK(t != NULL && d.n == 0);
	if (!t)
		return;
	CHECK_STR(t->id, "valid");
	CHECK_STR(t->file, "flows/valid/tenant.yaml");
	CHECK_STR(t->name.msgid, "Bildungsbüro Musterstadt");
	CHECK_STR(t->name.context, "office name");   /* its own msgctxt (TENANT_NAME_CONTEXT) */
	CHECK(t->name.line == 2);
	CHECK_STR(t->default_lang, "de");
	CHECK(t->nlangs == 4);
	if (t->nlangs == 4) {
		CHECK_STR(t->langs[0], "de");
		CHECK_STR(t->langs[2], "ar");
		CHECK_STR(t->langs[3], "tr");
	}
	CHECK_STR(t->start_flow, "main");
	CHECK(t->start_line == 5 && t->start_col == 8);
	CHECK_STR(t->contact.name.msgid, "Bildungsbüro");
	CHECK_STR(t->contact.name.note, "Name der Stelle");
	CHECK_STR(t->contact.person, "Frau Beispiel");
	CHECK_STR(t->contact.address, "Musterstraße 1, 12345 Musterstadt");
	CHECK_STR(t->contact.phone, "+49 5341 839-0");
	CHECK_STR(t->contact.email, "bildung@example.org");
	CHECK_STR(t->contact.web, "https://www.example.org/bildung");
	CHECK_STR(t->contact.hours.msgid, "Mo–Do 9–15 Uhr");
	CHECK_STR(t->colour, "#0b5ea8");
	CHECK_STR(t->logo, "logo.svg");
	CHECK(t->sample);

	/* The valid flows check clean with this tenant; a wrong start flow is
	 * reported where tenant.yaml names it. */
	struct flow *flows[2];
	flows[0] = flow_load(DATA "main.yaml", "flows/valid/main.yaml", &d);
	flows[1] = flow_load(DATA "family.yaml", "flows/valid/family.yaml", &d);
	CHECK(flows[0] && flows[1]);
	if (flows[0] && flows[1]) {
		CHECK(tenant_check_flows(t, flows, 2, &d) == 0);
		diag_print(&d, stderr);
		for (size_t k = 0; k < 2; k++)
			for (size_t i = 0; i < flows[k]->nnodes; i++)
				CHECK(flows[k]->nodes[i].reachable);
		t->start_flow = "family";
		CHECK(tenant_check_flows(t, flows, 2, &d) == 1);
		char *got = diag_text(&d);
		CHECK_STR(got, "flows/valid/main.yaml:2:7: flow \"main\" is not reachable from the start flow \"family\"");
		free(got);
		diag_free(&d);
		t->start_flow = "nope";
		CHECK(tenant_check_flows(t, flows, 2, &d) == 1);
		got = diag_text(&d);
		CHECK_STR(got, "flows/valid/tenant.yaml:5:8: unknown flow \"nope\"");
		free(got);
	}
	flow_free(flows[0]);
	flow_free(flows[1]);
	tenant_free(t);
	diag_free(&d);
}

int main(void)
{
	test_error_table();
	test_base_and_id();
	test_valid();
	CHECK_DONE();
}
