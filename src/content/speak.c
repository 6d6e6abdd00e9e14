/* speak.c - `lotse speech-text`: prints the words that read-aloud speaks for
 * a text, one line per text, with the compiled catalogues `lotse serve`
 * uses, and the speech forms of the words (<dir>/speech/<lang>.mo, as the
 * server loads them) (see content.h, docs/speech.md). */
#include "content/content.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "content/speechforms.h"

#include "i18n/catalog.h"
#include "i18n/lang.h"
#include "i18n/saytext.h"
#include "util/strbuf.h"

int content_speech_text(const char *mo_dir, const char *lang, const char *source,
                        const char *const *texts, size_t ntexts, FILE *out, struct diag *d)
{
	if (!lang_find(lang)) {
		diag_add(d, lang, 0, 0, "unknown language (one of de en ar fa ku ps pl ro ru tr uk bg ...)");
		return -1;
	}
	const char *langs[] = {lang};
	const char *const none[] = {NULL};
	struct catalog_set *cs = catalog_set_load(mo_dir, langs, 1, NULL, none, NULL, d);
	if (!cs)
		return -1;
	struct say_words sw;
	say_words_load(&sw, cs, lang);
	int rc = 0;
	/* the spoken words from the speech forms, as read-aloud uses them; a
	 * missing file is no error (as in content_load_speech_forms) */
	struct mo *forms = NULL;
	char path[4096];
	struct stat st;
	snprintf(path, sizeof(path), "%s/speech/%s.mo", mo_dir, lang);
	if (stat(path, &st) == 0) {
		forms = mo_load(path, d);
		if (!forms) {
			catalog_set_free(cs);
			return -1;
		}
		content_say_words_forms(&sw, forms);
	}
	struct strbuf said, shown;
	strbuf_init(&said);
	strbuf_init(&shown);
	for (size_t i = 0; i < ntexts; i++) {
		strbuf_reset(&said);
		strbuf_reset(&shown);
		/* the text's own speech form, when --source names its entry (no
		 * context), as read-aloud reads that text */
		const char *form = content_speech_form_in(forms, NULL, source, texts[i]);
		say_text(&sw, form ? form : texts[i], source, &said);
		say_show(strbuf_str(&said), &shown);
		if (!strbuf_ok(&said) || !strbuf_ok(&shown)) {
			diag_add(d, lang, 0, 0, "out of memory");
			rc = -1;
			break;
		}
		fprintf(out, "%s\n", strbuf_str(&shown));
	}
	strbuf_free(&said);
	strbuf_free(&shown);
	mo_free(forms);
	catalog_set_free(cs);
	return rc;
}
