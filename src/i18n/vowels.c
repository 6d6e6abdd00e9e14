/* vowels.c - speech forms: removing and checking Arabic vowel marks; see
 * vowels.h. */
#include "i18n/vowels.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/utf8.h"

bool vowels_wanted(const char *lang)
{
	return lang && strcmp(lang, "ar") == 0;
}

bool vowels_is_mark(uint32_t cp)
{
	return (cp >= 0x064B && cp <= 0x0652) || cp == 0x0670;
}

bool vowels_is_letter(uint32_t cp)
{
	return (cp >= 0x0621 && cp <= 0x063A) || (cp >= 0x0641 && cp <= 0x064A) ||
	       (cp >= 0x0671 && cp <= 0x06D3);
}

/* Returns a malloc'd string; caller frees. */
char *vowels_strip(const char *s)
{
	struct strbuf sb;
	size_t n = strlen(s), i = 0;
	strbuf_init(&sb);
	while (i < n) {
		size_t len = 1;
		int32_t cp = utf8_decode(s + i, n - i, &len);
		if (cp < 0 || !vowels_is_mark((uint32_t)cp))
			strbuf_append(&sb, s + i, len);
		i += len;
	}
	char *out = strbuf_ok(&sb) ? strdup(strbuf_str(&sb)) : NULL;
	strbuf_free(&sb);
	return out;
}

bool vowels_every_word_marked(const char *s, size_t *off, size_t *len)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t start = i, letters = 0, marks = 0, l = 1;
		int32_t cp;
		while (i < n && (cp = utf8_decode(s + i, n - i, &l)) >= 0 &&
		       (vowels_is_letter((uint32_t)cp) || vowels_is_mark((uint32_t)cp))) {
			if (vowels_is_mark((uint32_t)cp))
				marks++;
			else
				letters++;
			i += l;
		}
		if (letters >= 2 && marks == 0) {
			*off = start;
			*len = i - start;
			return false;
		}
		if (i == start) {
			utf8_decode(s + i, n - i, &l);
			i += l;
		}
	}
	return true;
}

/* Index (in characters) of the first place a and b differ. */
static size_t first_difference(const char *a, const char *b)
{
	size_t i = 0, chars = 0, na = strlen(a), nb = strlen(b);
	while (i < na && i < nb) {
		size_t la = 1, lb = 1;
		int32_t ca = utf8_decode(a + i, na - i, &la), cb = utf8_decode(b + i, nb - i, &lb);
		if (ca != cb || la != lb)
			break;
		i += la;
		chars++;
	}
	return chars + 1;
}

/* The text from character `at` (1-based) on, at most 24 characters, into out. */
static void excerpt(const char *s, size_t at, char *out, size_t outlen)
{
	size_t n = strlen(s), i = 0, c = 1, l = 1;
	while (i < n && c < at) {
		utf8_decode(s + i, n - i, &l);
		i += l;
		c++;
	}
	size_t j = i;
	for (int k = 0; j < n && k < 24; k++) {
		utf8_decode(s + j, n - j, &l);
		j += l;
	}
	if (j - i >= outlen)
		j = i;
	memcpy(out, s + i, j - i);
	out[j - i] = '\0';
}

size_t vowels_check(const char *speech, const char *shown, const char *speech_file,
                    int speech_line, const char *shown_file, int shown_line, struct diag *d)
{
	size_t problems = 0, off = 0, len = 0;
	char *bare = vowels_strip(speech), *plain = vowels_strip(shown);
	if (!bare || !plain) {
		free(bare);
		free(plain);
		diag_add(d, speech_file, speech_line, 0, "out of memory");
		return 1;
	}
	if (strcmp(bare, plain) != 0) {
		char a[128], b[128];
		size_t at = first_difference(bare, plain);
		excerpt(bare, at, a, sizeof(a));
		excerpt(plain, at, b, sizeof(b));
		diag_add(d, speech_file, speech_line, 0,
		         "speech form differs from the displayed text (%s:%d) once its vowel marks are "
		         "removed, from character %zu: \"%s\" instead of \"%s\"",
		         shown_file, shown_line, at, a, b);
		problems++;
	}
	if (!vowels_every_word_marked(speech, &off, &len)) {
		diag_add(d, speech_file, speech_line, 0,
		         "word \"%.*s\" has no vowel mark (every Arabic word of two or more letters "
		         "needs at least one)", (int)len, speech + off);
		problems++;
	}
	free(bare);
	free(plain);
	return problems;
}
