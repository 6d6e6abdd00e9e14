/* vowels.h - speech forms: fully vowelled texts that only the synthesiser
 * reads (docs/translating.md "Speech forms").
 *
 * Arabic is written without vowel marks (harakat), and espeak-ng cannot
 * read it so ("كم عمر طفلكم؟" -> "kilometre ʕumr tflkm"). A second
 * catalogue, po/speech/<lang>.po, has the same msgctxt/msgid as
 * po/<lang>.po and, as msgstr, the displayed translation with full vowel
 * marks. These helpers check that a speech form is the displayed text plus
 * marks and nothing else, and that every word carries marks.
 */
#ifndef LOTSE_VOWELS_H
#define LOTSE_VOWELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

/* True for the languages whose texts need a speech form to be read
 * correctly (today Arabic only). */
bool vowels_wanted(const char *lang);

/* True for an Arabic vowel mark: the tanwin (U+064B..U+064D), fatha,
 * damma, kasra (U+064E..U+0650), shadda (U+0651), sukun (U+0652) and the
 * dagger alif (U+0670). Hamza and madda (letters' parts) are not marks. */
bool vowels_is_mark(uint32_t cp);
/* True for an Arabic letter (U+0621..U+063A, U+0641..U+064A,
 * U+0671..U+06D3); the tatweel U+0640 is not one. */
bool vowels_is_letter(uint32_t cp);

/* Returns a malloc'd copy of s without any vowel mark (caller frees), or
 * NULL when out of memory. Invalid UTF-8 bytes are kept as they are. */
char *vowels_strip(const char *s);

/* The rule every speech form follows: each Arabic word (a run of Arabic
 * letters and marks) of two or more letters has at least one mark.
 * Returns true if s follows it; else false with the byte offset and length
 * of the first word without a mark in *off and *len. */
bool vowels_every_word_marked(const char *s, size_t *off, size_t *len);

/* Checks one speech form against its displayed text: both stripped of
 * marks (a displayed text may carry a few, e.g. a shadda), they must be
 * equal exactly (letters, spaces, punctuation), and it must follow the word rule. Problems
 * go into d at speech_file:speech_line (naming shown_file:shown_line).
 * Returns the number of problems added (0 or more). */
size_t vowels_check(const char *speech, const char *shown, const char *speech_file,
                    int speech_line, const char *shown_file, int shown_line, struct diag *d);

#endif
