/* normalise.h - folding text for search, so spelling variants still match.
 *
 * Used both for the indexed offer texts and for the queries, in the same way:
 * lower-case (Unicode, incl. Cyrillic and Greek), Turkish dotted/dotless i
 * folded to "i", Latin diacritics removed (ü→u, ş→s, ß→ss), Arabic and
 * Persian letter variants unified (أ إ آ ٱ→ا, ى ي ی→ي, ك ک→ك, ة→ه, ؤ→و,
 * ئ→ي), Arabic short vowels/tatweel removed, Arabic-Indic and Persian digits
 * to ASCII, punctuation to spaces, runs of spaces collapsed.
 */
#ifndef LOTSE_NORMALISE_H
#define LOTSE_NORMALISE_H

#include <stddef.h>

/* Returns a newly allocated normalised copy of s[0..n) (caller frees), or
 * NULL on allocation failure. Invalid UTF-8 bytes are dropped. */
char *text_normalise(const char *s, size_t n);

#endif
