/* speak.c - `lotse speech-text`: prints the words that read-aloud speaks for
 * a text, one line per text, with the compiled catalogues `lotse serve`
 * uses (see content.h, docs/speech.md). */
#include "content/content.h"

#include <stdio.h>
#include <string.h>

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
	struct strbuf said, shown;
	strbuf_init(&said);
	strbuf_init(&shown);
	for (size_t i = 0; i < ntexts; i++) {
		strbuf_reset(&said);
		strbuf_reset(&shown);
		say_text(&sw, texts[i], source, &said);
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
	catalog_set_free(cs);
	return rc;
}
