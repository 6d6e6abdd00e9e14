/* catalog.h - gettext catalogues (.mo) per language, with a fallback chain.
 *
 * Lotse reads the .mo files that msgfmt compiles from po/<lang>.po itself,
 * instead of going through glibc's gettext()/setlocale (see
 * docs/translating.md for why): each conversation has its own language, one
 * process serves all languages at once from immutable, shared catalogues, no
 * locale data has to exist on the machine, a reload simply builds a new set,
 * and every lookup knows whether it hit or fell back.
 *
 * The source language (the msgids) is German ("de"); a lookup that misses in
 * the requested language tries each language of the fallback chain and ends
 * with the msgid itself. Every lookup that did not come from the requested
 * language is counted as a fallback for the requested language.
 */
#ifndef LOTSE_CATALOG_H
#define LOTSE_CATALOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

#define CATALOG_SOURCE_LANG "de"

struct mo;  /* one compiled catalogue; private to mo.c */

/* Loads a .mo file (validates header, offsets, sizes and the Plural-Forms
 * expression). Returns NULL and adds an error to d on any problem. Caller
 * frees with mo_free. */
struct mo *mo_load(const char *path, struct diag *d);
/* Same from memory (copied). For tests and fuzzing. */
struct mo *mo_parse(const char *display, const void *buf, size_t len, struct diag *d);
void mo_free(struct mo *m);
/* Looks up a translation. ctx may be NULL. Returns NULL when absent (or
 * when the translation is empty). The result lives as long as m. */
const char *mo_lookup(const struct mo *m, const char *ctx, const char *msgid);
/* Plural lookup: picks the form for n by the catalogue's Plural-Forms. */
const char *mo_lookup_plural(const struct mo *m, const char *ctx, const char *msgid,
                             const char *msgid_plural, unsigned long n);
/* Number of messages in the catalogue (excluding the header). */
size_t mo_count(const struct mo *m);

/* Plural-Forms expression ("nplurals=3; plural=(n==1 ? 0 : ...);"):
 * parses it; returns NULL (and an error in d) on a syntax error. */
struct plural_expr;
struct plural_expr *plural_parse(const char *header_value, struct diag *d, const char *file);
unsigned long plural_eval(const struct plural_expr *e, unsigned long n);
unsigned plural_nplurals(const struct plural_expr *e);
void plural_free(struct plural_expr *e);

/* Counters of fallback lookups, per requested language. Shared between
 * threads (atomics); owned by whoever creates the catalog set and outlives
 * reloads (pass the same stats to every catalog_set_load). */
#define CATALOG_MAX_LANGS 32
struct catalog_stats {
	char lang[CATALOG_MAX_LANGS][8];
	atomic_ulong lookups[CATALOG_MAX_LANGS];
	atomic_ulong fallbacks[CATALOG_MAX_LANGS];
	atomic_uint nlangs;
};

struct catalog_set;  /* immutable once loaded; private */

/* Loads <dir>/<lang>.mo for every lang in langs (the source language needs no
 * file). `chains` gives, per language, the fallback languages to try before
 * the msgids: chains[i] is a NULL-terminated list for langs[i], or NULL for
 * the default chain `default_chain` (NULL-terminated, may be empty).
 * A fallback language that is not in langs is loaded as well ("de" in a
 * chain means the msgids and ends it). At most CATALOG_MAX_LANGS in all.
 * Returns NULL on error (all in d). Caller frees with catalog_set_free. */
struct catalog_set *catalog_set_load(const char *dir, const char *const *langs, size_t nlangs,
                                     const char *const *const *chains,
                                     const char *const *default_chain,
                                     struct catalog_stats *stats, struct diag *d);
void catalog_set_free(struct catalog_set *cs);
/* True if the set has a catalogue for lang (or lang is the source language). */
bool catalog_set_has(const struct catalog_set *cs, const char *lang);

/* Translates msgid (ctx may be NULL) into lang, following the fallback chain.
 * *fell_back (may be NULL) is set when the text did not come from lang
 * itself. Never returns NULL (at worst msgid). Lifetime: the set or msgid. */
const char *catalog_gettext(const struct catalog_set *cs, const char *lang, const char *ctx,
                            const char *msgid, bool *fell_back);
/* Like catalog_gettext but counts nothing and reports nothing: for indexing
 * and tooling, not for texts shown to a person. */
const char *catalog_lookup(const struct catalog_set *cs, const char *lang, const char *ctx,
                           const char *msgid);
/* lang's own translation of msgid (the msgid itself for the source
 * language), without any fallback language and without counting; NULL when
 * lang's catalogue lacks it (or cs is NULL). Lifetime: the set or msgid. */
const char *catalog_own(const struct catalog_set *cs, const char *lang, const char *ctx,
                        const char *msgid);
/* Plural variant; the source language uses German rules (n == 1). */
const char *catalog_ngettext(const struct catalog_set *cs, const char *lang, const char *ctx,
                             const char *msgid, const char *msgid_plural, unsigned long n,
                             bool *fell_back);

#endif
