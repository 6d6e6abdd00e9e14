/* test_content_speechforms.c - the speech forms of the default content
 * (docs/translating.md "Speech forms"): every Arabic text the default offices show has a speech
 * form in po/speech/ar.po, every form carries a vowel mark on every word of
 * two or more letters and, without its marks, is exactly the displayed text
 * of po/ar.po (content_speech_forms_check on the repository's files); a
 * missing, drifted or bare form is reported at its file:line; and the
 * lookup used for synthesis returns a form only while it matches the
 * displayed text. */
#include "check.h"
#include "content/content.h"
#include "i18n/po.h"
#include "tmpdir.h"

#include <sys/stat.h>

#define SRC LOTSE_SOURCE_DIR

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* Writes text with the first `from` replaced by `to` into path. */
static void write_replaced(const char *path, const char *text, const char *from, const char *to)
{
	const char *hit = from ? strstr(text, from) : NULL;
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	if (hit) {
		fwrite(text, 1, (size_t)(hit - text), f);
		fputs(to, f);
		fputs(hit + strlen(from), f);
	} else {
		fputs(text, f);
	}
	fclose(f);
}

/* The 1-based line of the first occurrence of needle in text. */
static int line_of(const char *text, const char *needle)
{
	const char *hit = strstr(text, needle);
	int line = 1;
	for (const char *p = text; hit && p < hit; p++)
		line += *p == '\n';
	return hit ? line : -1;
}

int main(void)
{
	struct diag d;
	size_t missing = 99, drifted = 99;
	char line[1024], want[1024];
	diag_init(&d);

	/* (a), (b), (c): the default content, as shipped */
	CHECK(content_speech_forms_check(SRC "/flows", SRC "/po", &missing, &drifted, &d) == 0);
	CHECK(missing == 0 && drifted == 0);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", diag_format(&d, i, line, sizeof(line)));
	CHECK(d.n == 0);
	diag_free(&d);

	/* every entry of po/ar.po has one in po/speech/ar.po with as many forms */
	diag_init(&d);
	struct po_file *shown = po_load(SRC "/po/ar.po", &d), *speech =
	        po_load(SRC "/po/speech/ar.po", &d);
	CHECK(shown && speech && shown->n == speech->n && shown->n > 300);
	for (size_t i = 0; shown && speech && i < shown->n; i++) {
		const struct po_entry *e = &shown->entries[i];
		const struct po_entry *s = po_find(speech, e->ctx, e->msgid);
		CHECK(s && s->translated && !s->fuzzy && s->nstrs == e->nstrs && s->line > 0);
	}
	const struct po_entry *e = shown ? po_find(shown, NULL, "Wie alt ist Ihr Kind?") : NULL;
	CHECK(e && e->nstrs == 1);
	CHECK_STR(e ? e->strs[0] : NULL, "كم عمر طفلكم؟");
	e = speech ? po_find(speech, NULL, "Wie alt ist Ihr Kind?") : NULL;
	CHECK_STR(e ? e->strs[0] : NULL, "كَمْ عُمْرُ طِفْلِكُمْ؟");
	e = speech ? po_find(speech, NULL, "%d Angebot") : NULL;
	CHECK(e && e->plural && e->nstrs == 6);
	CHECK_STR(e ? e->strs[2] : NULL, "%d عَرْضَانِ");
	po_free(shown);
	po_free(speech);
	CHECK(d.n == 0);
	diag_free(&d);

	/* (e): a drifted form, a bare word and a missing form, each at its line */
	tmp_setup();
	char po[128], sp[128], spdir[128];
	snprintf(po, sizeof(po), "%s/ar.po", tmpdir);
	snprintf(spdir, sizeof(spdir), "%s/speech", tmpdir);
	snprintf(sp, sizeof(sp), "%s/speech/ar.po", tmpdir);
	mkdir(spdir, 0700);
	char *ar = slurp(SRC "/po/ar.po"), *sar = slurp(SRC "/po/speech/ar.po");
	CHECK(ar && sar);
	write_replaced(po, ar ? ar : "", NULL, NULL);
	/* drift: the child's age asked of one woman (طفلكِ) instead of the family (طفلكم) */
	write_replaced(sp, sar ? sar : "", "msgstr \"كَمْ عُمْرُ طِفْلِكُمْ؟\"",
	               "msgstr \"كَمْ عُمْرُ طِفْلِكِ؟\"");
	char *tmp = slurp(sp);
	write_replaced(sp, tmp ? tmp : "", "msgstr \"لِطِفْلِي\"", "msgstr \"لطفلي\"");
	free(tmp);
	tmp = slurp(sp);
	write_replaced(sp, tmp ? tmp : "", "msgid \"Für mich selbst\"\nmsgstr \"لِنَفْسِي\"",
	               "msgid \"Für mich selbst\"\nmsgstr \"\"");
	free(tmp);
	tmp = slurp(sp);
	diag_init(&d);
	CHECK(content_speech_forms_check(SRC "/flows", tmpdir, &missing, &drifted, &d) == 0);
	CHECK(missing == 1 && drifted == 2 && d.n == 3);
	int sp_age = tmp ? line_of(tmp, "msgid \"Wie alt ist Ihr Kind?\"") : -1;
	int ar_age = ar ? line_of(ar, "msgid \"Wie alt ist Ihr Kind?\"") : -1;
	int sp_child = tmp ? line_of(tmp, "msgid \"Für mein Kind\"") : -1;
	int ar_self = ar ? line_of(ar, "msgid \"Für mich selbst\"") : -1;
	CHECK(sp_age > 0 && ar_age > 0 && sp_child > 0 && ar_self > 0);
	snprintf(want, sizeof(want), "%s:%d: word \"لطفلي\" has no vowel mark (every Arabic word "
	         "of two or more letters needs at least one)", sp, sp_child);
	CHECK_STR(d.n > 0 ? diag_format(&d, 0, line, sizeof(line)) : NULL, want);
	snprintf(want, sizeof(want), "%s:%d: no speech form in %s for this text "
	         "(" SRC "/flows/boerde/main.yaml:15; msgid \"Für mich selbst\")", po, ar_self, sp);
	CHECK_STR(d.n > 1 ? diag_format(&d, 1, line, sizeof(line)) : NULL, want);
	snprintf(want, sizeof(want), "%s:%d: speech form differs from the displayed text (%s:%d) "
	         "once its vowel marks are removed, from character 12: \"؟\" instead of \"م؟\"",
	         sp, sp_age, po, ar_age);
	CHECK_STR(d.n > 2 ? diag_format(&d, 2, line, sizeof(line)) : NULL, want);
	diag_free(&d);

	/* no speech catalogue at all: said once, and every text is missing */
	unlink(sp);
	diag_init(&d);
	CHECK(content_speech_forms_check(SRC "/flows", tmpdir, &missing, &drifted, &d) == 0);
	CHECK(missing > 300 && drifted == 0 && d.n == missing + 1);
	snprintf(want, sizeof(want), "%s: no speech catalogue for ar: ar texts are read as "
	         "displayed, without vowel marks", sp);
	CHECK_STR(d.n > 0 ? diag_format(&d, 0, line, sizeof(line)) : NULL, want);
	diag_free(&d);
	/* without a speech/ folder nothing is checked (catalogues of other projects) */
	rmdir(spdir);
	diag_init(&d);
	CHECK(content_speech_forms_check(SRC "/flows", tmpdir, &missing, &drifted, &d) == 0);
	CHECK(missing == 0 && drifted == 0 && d.n == 0);
	diag_free(&d);
	free(tmp);
	free(ar);
	free(sar);
	tmp_cleanup();

	/* the lookup for synthesis: only a form that matches the displayed text */
	struct content c;
	memset(&c, 0, sizeof(c));
	diag_init(&d);
	c.speech_forms[0] = mo_load(LOTSE_BINARY_DIR "/po/speech/ar.mo", &d);
	CHECK(c.speech_forms[0] != NULL);
	snprintf(c.speech_langs[0], sizeof(c.speech_langs[0]), "ar");
	c.nspeech = 1;
	CHECK_STR(content_speech_form(&c, "ar", NULL, "Wie alt ist Ihr Kind?", "كم عمر طفلكم؟"),
	          "كَمْ عُمْرُ طِفْلِكُمْ؟");
	CHECK(content_speech_form(&c, "ar", NULL, "Fehlgeschlagen", "تعذّرت") == NULL);
	CHECK_STR(content_speech_form(&c, "ar", NULL, "Die Nachricht konnte nicht gelesen werden.",
	                              "تعذّرت قراءة الرسالة."), "تَعَذَّرَتْ قِرَاءَةُ الرِّسَالَةِ.");
	/* the displayed text was edited, the speech form not yet: not used */
	CHECK(content_speech_form(&c, "ar", NULL, "Wie alt ist Ihr Kind?", "كم عمر أطفالكم؟") == NULL);
	CHECK(content_speech_form(&c, "ar", NULL, "Wie alt ist Ihr Kind?", "كم عمر طفلكم") == NULL);
	CHECK(content_speech_form(&c, "fa", NULL, "Wie alt ist Ihr Kind?", "كم عمر طفلكم؟") == NULL);
	mo_free(c.speech_forms[0]);
	diag_free(&d);
	CHECK_DONE();
}
