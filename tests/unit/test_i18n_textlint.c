/* test_i18n_textlint.c - the text checks of `lotse i18n-lint`
 * (i18n/textlint.h): the length as seen (marks, joiners and isolates not
 * counted), the Latin stretches a right-to-left text leaves outside an
 * isolate (exact offsets and columns, brackets, addresses, e-mail), the
 * unbalanced isolates; and that speech text (i18n/saytext.h) neither reads
 * the isolates nor loses a German term in parentheses because of them. */
#include "check.h"
#include "i18n/saytext.h"
#include "i18n/textlint.h"

#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"
#define LRI "\xe2\x81\xa6"

struct got {
	char text[1024];   /* "kind col 'stretch'; ..." */
};

static void add(void *ud, const struct textlint_finding *f)
{
	struct got *g = ud;
	static const char *kinds[] = {"latin", "pdi-alone", "unclosed"};
	size_t n = strlen(g->text);
	snprintf(g->text + n, sizeof(g->text) - n, "%s%s %zu+%zu@%zu", n ? "; " : "", kinds[f->kind],
	         f->off, f->len, f->col);
}

static const char *run(const char *s, bool rtl, size_t *count)
{
	static struct got g;
	g.text[0] = '\0';
	*count = textlint_isolation(s, strlen(s), rtl, add, &g);
	return g.text;
}

/* The stretches of s as text, "a|b|c". */
static const char *stretches(const char *s)
{
	static char out[512];
	size_t count;
	const char *r = run(s, true, &count);
	out[0] = '\0';
	/* parse "latin OFF+LEN@COL" back into the text */
	for (const char *p = r; (p = strstr(p, "latin ")) != NULL;) {
		size_t off = 0, len = 0;
		if (sscanf(p, "latin %zu+%zu", &off, &len) == 2) {
			size_t n = strlen(out);
			snprintf(out + n, sizeof(out) - n, "%s%.*s", n ? "|" : "", (int)len, s + off);
		}
		p += 6;
	}
	return out;
}

int main(void)
{
	size_t n;

	/* length as seen */
	CHECK(textlint_length("Für mein Kind", strlen("Für mein Kind")) == 13);
	CHECK(textlint_length("مكان في الروضة (" FSI "Kita" PDI ")", strlen("مكان في الروضة (" FSI "Kita" PDI ")")) == 21);
	const char *vowelled = "كَمْ عُمْرُ";   /* 5 letters, a space and 5 marks */
	CHECK(textlint_length(vowelled, strlen(vowelled)) == 6);
	const char *zwnj = "شغل‌ها";   /* ZWNJ inside a Persian word */
	CHECK(textlint_length(zwnj, strlen(zwnj)) == 5);
	CHECK(textlint_length("e\xcc\x81\xff", 4) == 2);   /* e + combining acute, an invalid byte */

	/* Latin outside an isolate in a right-to-left text */
	CHECK_STR(run("مكان في الروضة (Kita) ورعاية الأطفال", true, &n), "latin 28+4@17");
	CHECK(n == 1);
	CHECK_STR(run("مكان في الروضة (" FSI "Kita" PDI ") ورعاية الأطفال", true, &n), "");
	CHECK(n == 0);
	CHECK_STR(run("مكان في الروضة (" LRI "Kita" PDI ")", true, &n), "");
	/* the same in a left-to-right text is fine */
	CHECK_STR(run("Miejsce w przedszkolu (Kita)", false, &n), "");
	CHECK(n == 0);
	/* a name with punctuation, an address with digits, an e-mail: one stretch each */
	CHECK_STR(stretches("ورشة المستقبل (Zukunftswerkstatt: Bildung!)"), "Zukunftswerkstatt: Bildung");
	CHECK_STR(stretches("العنوان: Chemnitzer Straße 33, 38226 Salzgitter، البريد: info@example.de."),
	          "Chemnitzer Straße 33, 38226 Salzgitter|info@example.de");
	/* a bracket opened inside the stretch is closed inside it */
	CHECK_STR(stretches("آموزش (Bildung für nachhaltige Entwicklung (BNE)) در مدرسه"),
	          "Bildung für nachhaltige Entwicklung (BNE)");
	/* digits and single letters alone are no Latin text */
	CHECK_STR(run("الصف 5 أ، غرفة B 12", true, &n), "");
	CHECK(n == 0);
	/* Latin after an isolate was closed is outside again */
	CHECK_STR(stretches("الروضة " FSI "Kita" PDI "-Platz"), "Platz");
	/* Latin next to Cyrillic ends at the Cyrillic letter */
	CHECK_STR(stretches("Förderfonds фонд Bildung"), "Förderfonds|Bildung");

	/* unbalanced isolates, in every direction; a line break closes them */
	CHECK_STR(run("ab" PDI " " FSI "x", false, &n), "pdi-alone 2+3@3; unclosed 6+3@5");
	CHECK(n == 2);
	CHECK_STR(run(FSI "Kita\n" PDI, true, &n), "unclosed 0+3@1; pdi-alone 8+3@7");
	CHECK(n == 2);
	CHECK_STR(run(FSI FSI "x" PDI PDI, false, &n), "");

	/* speech text: isolates are not read and keep a German term a German term */
	struct say_words sw = {0};
	sw.lang = "ar";
	struct strbuf out, shown;
	strbuf_init(&out);
	strbuf_init(&shown);
	say_text(&sw, "روضة (" FSI "Kita" PDI ") في", "Kindertagesstätte (Kita)", &out);
	say_show(strbuf_str(&out), &shown);
	CHECK_STR(strbuf_str(&shown), "روضة ([de: Kita]) في");
	strbuf_free(&out);
	strbuf_free(&shown);

	CHECK_DONE();
}
