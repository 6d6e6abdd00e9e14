/* speechforms.h - loading the speech-form catalogues into a snapshot
 * (private to the content module; the public lookup and check are in
 * content.h). */
#ifndef LOTSE_SPEECHFORMS_H
#define LOTSE_SPEECHFORMS_H

#include "content/content.h"

/* Loads <mo_dir>/speech/<lang>.mo for each of langs that has one (a missing
 * file is no error: that language is read from its displayed texts) into
 * c->speech_forms, freed with the snapshot. Returns 0, or -1 with the
 * errors in d (a file that exists but does not load). */
int content_load_speech_forms(struct content *c, const char *mo_dir, const char *const *langs,
                              size_t nlangs, struct diag *d);

#endif
