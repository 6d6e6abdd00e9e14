/* test_content_lint.c - `lotse i18n-lint` (content_i18n_lint,
 * docs/translating.md "Lint"): the default content, as shipped, has no
 * finding in any language (so it keeps passing); and a catalogue with an
 * answer label over the limit, Latin text not isolated in a right-to-left
 * language and a stray U+2069 gets exactly those findings at their lines,
 * while a left-to-right catalogue's Latin text is fine; a lower limit
 * finds the German labels in the flows at their line and column. */
#include "check.h"
#include "content/content.h"
#include "tmpdir.h"

#define SRC LOTSE_SOURCE_DIR

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* True if d has exactly this formatted finding. */
static bool has(const struct diag *d, const char *want)
{
	char line[1024];
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(diag_format(d, i, line, sizeof(line)), want))
			return true;
	fprintf(stderr, "missing: %s\n", want);
	return false;
}

int main(void)
{
	struct diag d;
	char line[1024];

	/* the default content, as shipped */
	diag_init(&d);
	CHECK(content_i18n_lint(SRC "/flows", SRC "/po", LINT_LABEL_MAX, &d) == 0);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", diag_format(&d, i, line, sizeof(line)));
	CHECK(d.n == 0);
	diag_free(&d);

	/* crafted catalogues */
	tmp_setup();
	char ar[128], en[128];
	snprintf(ar, sizeof(ar), "%s/ar.po", tmpdir);
	snprintf(en, sizeof(en), "%s/en.po", tmpdir);
	write_file(ar, "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
	               "msgid \"Für mein Kind\"\n"
	               "msgstr \"لطفلي أو لطفلتي الصغيرة أو الكبيرة في المدرسة\"\n\n"
	               "msgid \"Kita-Platz und Betreuung\"\n"
	               "msgstr \"مكان في الروضة (Kita) والرعاية\"\n\n"
	               "msgctxt \"speech: street endings\"\n"
	               "msgid \"straße\"\nmsgstr \"straße\"\n\n"
	               "msgid \"Sprache und Sprachförderung\"\n"
	               "msgstr \"اللغة \xe2\x81\xa9ودعمها\"\n");
	write_file(en, "msgid \"Für mein Kind\"\nmsgstr \"For my child (Kind)\"\n\n"
	               "msgid \"Wir sind neu in Deutschland\"\n"
	               "msgstr \"We have only just arrived in Germany\"\n");
	diag_init(&d);
	CHECK(content_i18n_lint(SRC "/flows", tmpdir, LINT_LABEL_MAX, &d) == 4);
	CHECK(d.n == 4);
	char want[1024];
	snprintf(want, sizeof(want),
	         "%s:4: answer label \"لطفلي أو لطفلتي الصغيرة أو الكبيرة في المدرسة\" has 45 "
	         "characters, over the limit of 32 (%s/flows/boerde/main.yaml:14, flow main, node who, "
	         "choice child; used 9 times)", ar, SRC);
	CHECK(has(&d, want));
	snprintf(want, sizeof(want),
	         "%s:7: Latin text \"Kita\" (character 17) in a right-to-left translation is not "
	         "isolated: write it between U+2068 and U+2069 (FSI ... PDI)", ar);
	CHECK(has(&d, want));
	snprintf(want, sizeof(want), "%s:14: U+2069 (PDI) at character 7 closes no isolate", ar);
	CHECK(has(&d, want));
	snprintf(want, sizeof(want),
	         "%s:4: answer label \"We have only just arrived in Germany\" has 36 characters, over "
	         "the limit of 32 (%s/flows/boerde/main.yaml:17, flow main, node who, choice new; used 4 "
	         "times)", en, SRC);
	CHECK(has(&d, want));
	diag_free(&d);
	tmp_cleanup();

	/* a lower limit: the German labels in the flows, at line and column */
	diag_init(&d);
	long found = content_i18n_lint(SRC "/flows", SRC "/po", 26, &d);
	CHECK(found > 0 && (size_t)found == d.n);
	snprintf(want, sizeof(want), "%s/flows/goslar/main.yaml:15:30: answer label \"Für mich als "
	         "Mutter oder Vater\" has 30 characters, over the limit of 26 (flow main, node who, "
	         "choice parent)", SRC);
	CHECK(has(&d, want));
	diag_free(&d);
	CHECK_DONE();
}
