/* test_i18n_po.c - the PO reader used by `lotse i18n-status`: fuzzy,
 * untranslated, plural and context entries, continued strings, escapes,
 * obsolete entries, and malformed lines with their positions. */
#include "check.h"
#include "i18n/po.h"

static const char good[] =
	"# comment\n"
	"msgid \"\"\n"
	"msgstr \"\"\n"
	"\"Language: uk\\n\"\n"
	"\n"
	"#, fuzzy\n"
	"msgid \"Weiter\"\n"
	"msgstr \"Далі\"\n"
	"\n"
	"#, c-format\n"
	"msgid \"%d Angebot\"\n"
	"msgid_plural \"%d Angebote\"\n"
	"msgstr[0] \"%d пропозиція\"\n"
	"msgstr[1] \"\"\n"
	"msgstr[2] \"%d пропозицій\"\n"
	"\n"
	"msgctxt \"Kopf\"\n"
	"msgid \"Kurse\"\n"
	"msgstr \"Курси\"\n"
	"msgid \"\"\n"
	"\"Zwei \\\"Zeilen\\\"\\n\"\n"
	"\"hier\"\n"
	"msgstr \"\"\n"
	"\"Два\"\n"
	"msgid \"Leer\"\n"
	"msgstr \"\"\n"
	"#~ msgid \"Alt\"\n"
	"#~ msgstr \"Старе\"\n";

int main(void)
{
	struct diag d;
	diag_init(&d);
	struct po_file *p = po_parse("uk.po", good, sizeof(good) - 1, &d);
	diag_print(&d, stderr);
	CHECK(p != NULL);
	if (p) {
		CHECK(p->n == 5);
		const struct po_entry *e = po_find(p, NULL, "Weiter");
		CHECK(e && e->fuzzy && e->translated);
		e = po_find(p, NULL, "%d Angebot");
		CHECK(e && e->plural && !e->translated && !e->fuzzy);  /* one empty form */
		e = po_find(p, "Kopf", "Kurse");
		CHECK(e && e->translated);
		CHECK(po_find(p, NULL, "Kurse") == NULL);
		e = po_find(p, NULL, "Zwei \"Zeilen\"\nhier");
		CHECK(e && e->translated);
		e = po_find(p, NULL, "Leer");
		CHECK(e && !e->translated);
		CHECK(po_find(p, NULL, "Alt") == NULL);
		CHECK(p->review == NULL);   /* no X-Review-Status in the header */
	}
	po_free(p);
	diag_free(&d);

	/* the header's review status (Easy German's draft mark), up to the end of its line */
	static const char draft[] =
		"msgid \"\"\n"
		"msgstr \"\"\n"
		"\"Language: de-x-es\\n\"\n"
		"\"X-Review-Status:  draft, needs review\\n\"\n"
		"\"X-Other: x\\n\"\n"
		"\n"
		"msgid \"Weiter\"\n"
		"msgstr \"Weiter\"\n";
	diag_init(&d);
	p = po_parse("de-x-es.po", draft, sizeof(draft) - 1, &d);
	CHECK(p != NULL && p->n == 1);
	CHECK_STR(p ? p->review : NULL, "draft, needs review");
	po_free(p);
	diag_free(&d);

	static const struct {
		const char *in, *err;
	} bad[] = {
		{"msgid \"a\"\nmsgstr b\n", "bad.po:2:8: expected a string in double quotes"},
		{"msgid \"a\nmsgstr \"b\"\n", "bad.po:1:7: expected a string in double quotes"},
		{"msgid \"a\\q\"\nmsgstr \"\"\n", "bad.po:1:9: invalid escape sequence in string"},
		{"msgstr \"x\"\n", "bad.po:1:1: msgstr without msgid"},
		{"  msgfoo \"x\"\n", "bad.po:1:3: unknown keyword"},
		{"\"x\"\n", "bad.po:1:1: a continued string must follow msgid, msgstr or msgctxt"},
		{"msgid \"x\"\nmsgstr \"\xd9\x83 \xd8\xb9\xd9+t\"\n",
		 "bad.po:2:14: invalid UTF-8 (byte 0xD9); save the catalogue as UTF-8"},
	};
	char buf[256];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		diag_init(&d);
		p = po_parse("bad.po", bad[i].in, strlen(bad[i].in), &d);
		CHECK(p == NULL);
		CHECK(d.n >= 1);
		if (d.n)
			CHECK_STR(diag_format(&d, 0, buf, sizeof(buf)), bad[i].err);
		po_free(p);
		diag_free(&d);
	}
	CHECK_DONE();
}
