/* speak_page.h - what the kiosk page's speakers read besides flow and offer
 * texts: the page's own words (welcome, idle warning), taken from the
 * catalogues (src/content/messages.c lists them with a context, so
 * translators see them), the numbering of "read all answers" and the count
 * of a results heading. Pure helpers for the /speak routes of kiosk.c
 * (docs/protocol.md, "Kiosk HTTP endpoints").
 */
#ifndef LOTSE_SPEAK_PAGE_H
#define LOTSE_SPEAK_PAGE_H

#include <stddef.h>

#include "util/strbuf.h"

/* One of the page's words that can be heard (/speak/<t>/<l>/words/<key>.opus)
 * or is shown from the catalogue (words.json): welcome, idle, no_voice and
 * every key of PAGE_WORDS (content/messages.h), the page's own words. */
struct speak_word {
	const char *key;       /* "welcome", "idle", "no_voice", "back", ... */
	const char *context;   /* msgctxt */
	const char *msgid;     /* German */
	int spoken;            /* 1: has a recording route; 0: only shown (no_voice) */
};

/* The table, terminated by key == NULL (static storage). */
extern const struct speak_word speak_words[];

/* The word with this key, or NULL. Spoken-only lookups check ->spoken. */
const struct speak_word *speak_word_find(const char *key);

/* Appends "<n>: <label>" for the n-th answer of "read all answers" (1-based),
 * and ends the sentence with "." unless label already ends in punctuation,
 * so espeak-ng pauses between answers. */
void speak_numbered(struct strbuf *out, size_t n, const char *label);

/* Appends a count template from the catalogue ("%d Angebote") with its
 * first "%d" replaced by n; no other conversion is interpreted (the
 * template is never used as a printf format). */
void speak_count(struct strbuf *out, const char *tmpl, unsigned n);

#endif
