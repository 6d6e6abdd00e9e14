/* fuzz_i18n_speechtext.c - feeds arbitrary text to the speech-text rewriter
 * (i18n/saytext.h) with the German words, once as German and once as if it
 * were another language (German parts marked, the input as its own German
 * source). Checks: the output is valid UTF-8 with no control characters but
 * balanced, unnested German marks (and none for German); it is at most
 * 16 bytes per input byte plus 64; and rewriting the output again (marks
 * removed) keeps all of that. (That the second pass changes nothing holds for
 * real texts and is checked on the twelve tables by test_speech_text.py; on
 * arbitrary bytes a digit the first pass wrote can meet a sign it left, as
 * in "5,50 €%".) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/saytext.h"
#include "util/utf8.h"

/* Reports which property failed, with the text, and aborts. */
static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_i18n_speechtext: %s: \"%s\"\n", what, text);
	abort();
}

/* Checks the marks and characters of out; returns it without marks
 * (malloc'd, caller frees). Aborts when a property fails. */
static char *checked(const struct strbuf *out, size_t in_len, bool german)
{
	const char *s = strbuf_str(out);
	size_t n = out->len;
	if (!strbuf_ok(out))
		fail("out of memory", s);
	if (n > 16 * in_len + 64)
		fail("output too long", s);
	if (utf8_invalid_at(s, n) != n)
		fail("invalid UTF-8", s);
	char *plain = malloc(n + 1);
	if (!plain)
		abort();
	size_t k = 0;
	bool open = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == SAY_DE_BEGIN || c == SAY_DE_END) {
			if (german || open != (c == SAY_DE_END))
				fail("German marks unbalanced, nested or in German", s);
			open = c == SAY_DE_BEGIN;
			continue;
		}
		if (c < 0x20 || c == 0x7F)
			fail("control character", s);
		plain[k++] = (char)c;
	}
	if (open)
		fail("German mark not closed", s);
	plain[k] = '\0';
	return plain;
}

static void one(const struct say_words *sw, const char *text, size_t len, const char *source)
{
	struct strbuf a, b;
	strbuf_init(&a);
	strbuf_init(&b);
	say_text(sw, text, source, &a);
	char *p1 = checked(&a, len, sw->w[0] && !strcmp(sw->lang, "de"));
	say_text(sw, p1, NULL, &b);
	char *p2 = checked(&b, strlen(p1), !strcmp(sw->lang, "de"));
	free(p1);
	free(p2);
	strbuf_free(&a);
	strbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct say_words de, other;
	say_words_load(&de, NULL, "de");
	other = de;
	other.lang = "en";   /* German words, but German parts get marked */
	one(&de, s, strlen(s), NULL);
	one(&other, s, strlen(s), s);
	free(s);
	return 0;
}
