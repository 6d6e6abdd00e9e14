/* textlint.h - checks of one translated text for `lotse i18n-lint`
 * (docs/translating.md "Lint"): its length as a reader sees it, and whether
 * the Latin-script text inside a right-to-left translation (German terms,
 * names, e-mail and web addresses, street addresses) is wrapped in a
 * bidirectional isolate, U+2068 FIRST STRONG ISOLATE ... U+2069 POP
 * DIRECTIONAL ISOLATE (or U+2066 LRI / U+2067 RLI ... U+2069), and whether
 * the isolates are balanced. Pure: no I/O, no allocation, no global state.
 */
#ifndef LOTSE_TEXTLINT_H
#define LOTSE_TEXTLINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXTLINT_LRI 0x2066
#define TEXTLINT_RLI 0x2067
#define TEXTLINT_FSI 0x2068
#define TEXTLINT_PDI 0x2069

/* The length of s[0..n) in characters as a reader sees them: code points,
 * without combining marks (Arabic vowel marks, accents written as a second
 * code point) and invisible format characters (ZWNJ, ZWJ, LRM, RLM, the
 * isolates and embeddings, soft hyphen, BOM). An invalid byte counts as one. */
size_t textlint_length(const char *s, size_t n);

/* True for a Latin letter: A-Z, a-z, U+00C0..U+024F (without × and ÷),
 * U+1E00..U+1EFF, U+2C60..U+2C7F, U+A720..U+A7FF, fullwidth A-Z/a-z. */
bool textlint_is_latin(uint32_t cp);

/* True for a combining mark (written as its own code point, seen as part
 * of the letter before it): it neither ends nor breaks a run of letters. */
bool textlint_is_mark(uint32_t cp);

enum textlint_kind {
	TEXTLINT_LATIN,      /* Latin text outside any isolate (right-to-left texts only) */
	TEXTLINT_PDI_ALONE,  /* a U+2069 that closes no isolate */
	TEXTLINT_UNCLOSED,   /* an isolate opened and not closed before the end of its line */
};

struct textlint_finding {
	enum textlint_kind kind;
	size_t off, len;     /* bytes of s: the Latin stretch, or the one control character */
	size_t col;          /* 1-based character (code point) where it starts */
};

typedef void (*textlint_fn)(void *ud, const struct textlint_finding *f);

/* Calls fn (may be NULL) for each problem of s[0..n), in text order, and
 * returns how many there were. Isolates must be balanced within each line
 * (a line break closes every isolate, as in the Unicode bidi algorithm).
 * With rtl, every stretch of Latin text at isolate depth 0 is a problem:
 * a stretch starts at a Latin letter or ASCII digit and runs over Latin
 * letters, digits, spaces and punctuation up to the last Latin letter or
 * digit before a letter of another script, an isolate control, a line
 * break or the end (plus a closing bracket whose opening bracket is in the
 * stretch); it counts only if it has two Latin letters in a row, so a lone
 * digit or letter is no problem. Wrapping every reported stretch in
 * U+2068 ... U+2069 leaves no TEXTLINT_LATIN problem. */
size_t textlint_isolation(const char *s, size_t n, bool rtl, textlint_fn fn, void *ud);

#endif
