/* speak_page.c - the page's own words that are read aloud or shown from the
 * catalogues, and the small text pieces of "read all answers" and of a
 * results heading (see speak_page.h). */
#include "net/speak_page.h"

#include <stdio.h>
#include <string.h>

#include "content/messages.h"

const struct speak_word speak_words[] = {
	{"welcome", CTX_SPEAK_WELCOME, MSG_SPEAK_WELCOME, 1},
	{"idle", CTX_SPEAK_IDLE, MSG_SPEAK_IDLE, 1},
	{"no_voice", CTX_NO_VOICE, MSG_NO_VOICE, 0},
	{"fb_question", CTX_FEEDBACK, MSG_FB_QUESTION, 0},
	{"fb_yes", CTX_FEEDBACK, MSG_FB_YES, 0},
	{"fb_no", CTX_FEEDBACK, MSG_FB_NO, 0},
	{"fb_nothing", CTX_FEEDBACK, MSG_FB_NOTHING, 0},
	{"fb_thanks", CTX_FEEDBACK, MSG_FB_THANKS, 0},
	{"privacy_title", CTX_PRIVACY, MSG_PRIVACY_TITLE, 0},
	{"privacy_text", CTX_PRIVACY, MSG_PRIVACY_TEXT, 0},
	{"privacy_close", CTX_PRIVACY, MSG_PRIVACY_CLOSE, 0},
#define PAGE_WORD(key, msgid, note) {#key, PAGE_WORD_CTX(key), msgid, 0},
	PAGE_WORDS(PAGE_WORD)
#undef PAGE_WORD
	{NULL, NULL, NULL, 0},
};

const struct speak_word *speak_word_find(const char *key)
{
	for (const struct speak_word *w = speak_words; key && w->key; w++)
		if (strcmp(w->key, key) == 0)
			return w;
	return NULL;
}

/* Whether s ends in a sentence mark of one of our scripts (., ?, !, :, the
 * Arabic question mark and full stop, the ideographic full stop). */
static int ends_in_mark(const char *s)
{
	static const char *const marks[] = {".", "?", "!", ":", "\xd8\x9f" /* ؟ */,
	                                    "\xdb\x94" /* ۔ */, "\xe3\x80\x82" /* 。 */, NULL};
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	for (size_t i = 0; marks[i]; i++) {
		size_t k = strlen(marks[i]);
		if (n >= k && memcmp(s + n - k, marks[i], k) == 0)
			return 1;
	}
	return 0;
}

void speak_numbered(struct strbuf *out, size_t n, const char *label)
{
	char num[32];
	snprintf(num, sizeof(num), "%zu: ", n);
	strbuf_puts(out, num);
	strbuf_puts(out, label ? label : "");
	if (!label || !ends_in_mark(label))
		strbuf_puts(out, ".");
}

void speak_count(struct strbuf *out, const char *tmpl, unsigned n)
{
	const char *p = tmpl ? strstr(tmpl, "%d") : NULL;
	if (!p) {
		strbuf_puts(out, tmpl ? tmpl : "");
		return;
	}
	char num[16];
	snprintf(num, sizeof(num), "%u", n);
	strbuf_append(out, tmpl, (size_t)(p - tmpl));
	strbuf_puts(out, num);
	strbuf_puts(out, p + 2);
}
