/* lang.h - the languages Lotse knows: code, autonym, writing direction.
 *
 * A static table (no locale data needed). Codes are ISO 639-1 where one
 * exists ("ku" is Kurmanji). The autonym is the language's own name in its
 * own script, as a person looking for it would recognise it.
 */
#ifndef LOTSE_LANG_H
#define LOTSE_LANG_H

#include <stdbool.h>

struct lang {
	const char *code;     /* "de", "ar", ... */
	const char *autonym;  /* "Deutsch", "العربية", ... */
	const char *english;  /* "German", "Arabic", ... */
	bool rtl;             /* right-to-left script */
};

/* Returns the language with this code, or NULL if unknown. */
const struct lang *lang_find(const char *code);
/* "rtl" or "ltr"; "ltr" for unknown codes. */
const char *lang_dir(const char *code);
/* All known languages (NULL-terminated by code == NULL). */
const struct lang *lang_all(void);

#endif
