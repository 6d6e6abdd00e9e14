/* speechforms.h - loading the speech-form catalogues into a snapshot and
 * looking texts and speech words up in one (private to the content module;
 * the public lookup and check are in content.h). */
#ifndef LOTSE_SPEECHFORMS_H
#define LOTSE_SPEECHFORMS_H

#include "content/content.h"

/* Loads <mo_dir>/speech/<lang>.mo for each of langs that has one (a missing
 * file is no error: that language is read from its displayed texts) into
 * c->speech_forms, freed with the snapshot. Returns 0, or -1 with the
 * errors in d (a file that exists but does not load). */
int content_load_speech_forms(struct content *c, const char *mo_dir, const char *const *langs,
                              size_t nlangs, struct diag *d);

/* The speech form of (ctx, msgid) in forms (may be NULL) if, without vowel
 * marks, it is exactly shown; else NULL. Points into forms. */
struct mo;
const char *content_speech_form_in(const struct mo *forms, const char *ctx, const char *msgid,
                                   const char *shown);

/* Sets sw->said[i] to the speech form in forms (a speech-form catalogue,
 * or NULL: nothing changes) of each speech word sw->w[i] that has one with
 * the same letters (vowel marks aside). Points into forms. */
struct say_words;
void content_say_words_forms(struct say_words *sw, const struct mo *forms);

#endif
