/* lang.h - the languages Lotse knows: code, autonym, writing direction.
 *
 * A static table (no locale data needed). Codes are ISO 639-1 where one
 * exists ("ku" is Kurmanji). The autonym is the language's own name in its
 * own script, as a person looking for it would recognise it.
 *
 * A code may also be a language with a private-use subtag ("de-x-es",
 * Easy German): valid BCP 47, at most LANG_CODE_MAX characters (codes are
 * stored in char[8] everywhere). Such a language is read aloud with the
 * voice of its primary subtag (lang_base).
 */
#ifndef LOTSE_LANG_H
#define LOTSE_LANG_H

#include <stdbool.h>

/* The longest language code ("de-x-es"); buffers are char[LANG_CODE_MAX + 1]. */
#define LANG_CODE_MAX 7

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
/* The code of the language a known code is spoken in: the table's entry
 * for its primary subtag ("de" for "de-x-es"), the code itself when it has
 * no subtag; NULL for unknown codes. Static, never freed. */
const char *lang_base(const char *code);
/* Whether s has the form of a language code: 2-3 letters a-z, optionally
 * "-x-" and letters a-z or digits, at most LANG_CODE_MAX characters in all.
 * Says nothing about whether Lotse knows the code (lang_find). */
bool lang_code_ok(const char *s);
/* All known languages (NULL-terminated by code == NULL). */
const struct lang *lang_all(void);

#endif
