/* catalog.c - a set of .mo catalogues, one per configured language, with
 * per-language fallback chains and lock-free fallback counters.
 *
 * A catalog_set is immutable once catalog_set_load returns, so any number of
 * threads may look texts up in it without locks; a reload builds a new set.
 * Counters live in the caller's struct catalog_stats (atomics): each language
 * of a set gets its stats slot at load time, so a lookup only does two
 * relaxed atomic increments. Slots are added (never removed) under a mutex
 * held only while loading; the slot's name is written before nlangs is
 * published (release), so readers load nlangs (acquire) and then may read
 * lang[0 .. nlangs).
 */
#include "i18n/catalog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 8

struct cat_lang {
	char code[8];
	struct mo *mo;                  /* owned; NULL for the source language */
	const struct mo *chain[MAX_CHAIN];  /* NULL entry = the source language (msgid) */
	size_t nchain;
	int slot;                       /* stats slot, -1 if none */
};

struct catalog_set {
	struct cat_lang *langs;         /* owned, n entries */
	size_t n;
	const struct mo *defchain[MAX_CHAIN];  /* for requested languages not in the set */
	size_t ndefchain;
	struct catalog_stats *stats;
};

static pthread_mutex_t slot_mutex = PTHREAD_MUTEX_INITIALIZER;

static bool is_source(const char *lang)
{
	return strcmp(lang, CATALOG_SOURCE_LANG) == 0;
}

/* Language codes become file names: letters, digits, '_' and '-' only. */
static bool valid_code(const char *code)
{
	size_t n = strlen(code);
	if (n == 0 || n > 7)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int stats_find(struct catalog_stats *st, const char *lang)
{
	unsigned n = atomic_load_explicit(&st->nlangs, memory_order_acquire);
	for (unsigned i = 0; i < n && i < CATALOG_MAX_LANGS; i++)
		if (strcmp(st->lang[i], lang) == 0)
			return (int)i;
	return -1;
}

/* Finds or adds the stats slot of lang; -1 when the table is full. */
static int stats_slot(struct catalog_stats *st, const char *lang)
{
	pthread_mutex_lock(&slot_mutex);
	int i = stats_find(st, lang);
	unsigned n = atomic_load_explicit(&st->nlangs, memory_order_relaxed);
	if (i < 0 && n < CATALOG_MAX_LANGS) {
		memset(st->lang[n], 0, sizeof(st->lang[n]));
		memcpy(st->lang[n], lang, strlen(lang));
		atomic_store_explicit(&st->nlangs, n + 1, memory_order_release);
		i = (int)n;
	}
	pthread_mutex_unlock(&slot_mutex);
	return i;
}

static struct cat_lang *find_lang(const struct catalog_set *cs, const char *code)
{
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->langs[i].code, code) == 0)
			return &cs->langs[i];
	return NULL;
}

/* Resolves a NULL-terminated list of codes into catalogues (NULL = source). */
static int resolve_chain(struct catalog_set *cs, const char *owner, const char *const *codes,
                         const struct mo **out, size_t *nout, const char *dir, struct diag *d)
{
	int rc = 0;
	*nout = 0;
	for (size_t i = 0; codes && codes[i]; i++) {
		if (owner && strcmp(codes[i], owner) == 0)
			continue;  /* a language falling back to itself adds nothing */
		struct cat_lang *l = is_source(codes[i]) ? NULL : find_lang(cs, codes[i]);
		if (!is_source(codes[i]) && !l) {
			diag_add(d, dir, 0, 0, "fallback language \"%s\"%s%s is not a configured language",
			         codes[i], owner ? " of " : "", owner ? owner : "");
			rc = -1;
			continue;
		}
		if (*nout == MAX_CHAIN) {
			diag_add(d, dir, 0, 0, "fallback chain%s%s longer than %d languages",
			         owner ? " of " : "", owner ? owner : "", MAX_CHAIN);
			return -1;
		}
		out[(*nout)++] = l ? l->mo : NULL;
		if (!l)
			break;  /* the msgids end every chain */
	}
	return rc;
}

/* Checks the codes and loads <dir>/<code>.mo for each non-source language. */
static int load_langs(struct catalog_set *cs, const char *dir, const char *const *langs,
                      size_t nlangs, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < nlangs; i++) {
		struct cat_lang *l = &cs->langs[i];
		l->slot = -1;
		if (!langs[i] || !valid_code(langs[i])) {
			diag_add(d, dir, 0, 0, "invalid language code \"%s\"", langs[i] ? langs[i] : "");
			rc = -1;
			continue;
		}
		if (find_lang(cs, langs[i])) {
			diag_add(d, dir, 0, 0, "language \"%s\" configured twice", langs[i]);
			rc = -1;
			continue;
		}
		memcpy(l->code, langs[i], strlen(langs[i]) + 1);
		cs->n = i + 1;
		if (is_source(langs[i]))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.mo", dir, langs[i]);
		l->mo = mo_load(path, d);
		if (!l->mo)
			rc = -1;
	}
	cs->n = nlangs;
	return rc;
}

static bool listed(const char *const *codes, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (codes[i] && strcmp(codes[i], code) == 0)
			return true;
	return false;
}

/* Appends the languages of chain that are neither listed nor the source. */
static void add_chain_langs(const char **codes, size_t *n, size_t cap, const char *const *chain)
{
	for (size_t i = 0; chain && chain[i]; i++)
		if (!is_source(chain[i]) && !listed(codes, *n, chain[i]) && *n < cap)
			codes[(*n)++] = chain[i];
}

/* The configured languages followed by the fallback languages that are not
 * configured themselves (they are loaded too); returns their number, or
 * cap + 1 when there are more than cap. */
static size_t all_codes(const char **codes, size_t cap, const char *const *langs, size_t nlangs,
                        const char *const *const *chains, const char *const *default_chain)
{
	size_t n = 0;
	if (nlangs > cap)
		return cap + 1;
	for (; n < nlangs; n++)
		codes[n] = langs[n];
	for (size_t i = 0; chains && i < nlangs; i++)
		add_chain_langs(codes, &n, cap + 1, chains[i]);
	add_chain_langs(codes, &n, cap + 1, default_chain);
	return n;
}

/* Loads a catalogue set; see catalog.h. Returns a new set (free with
 * catalog_set_free) or NULL with every problem in d. */
struct catalog_set *catalog_set_load(const char *dir, const char *const *langs, size_t nlangs,
                                     const char *const *const *chains,
                                     const char *const *default_chain,
                                     struct catalog_stats *stats, struct diag *d)
{
	size_t before = diag_count(d);
	const char *codes[CATALOG_MAX_LANGS + 1];
	size_t ncodes = all_codes(codes, CATALOG_MAX_LANGS, langs, nlangs, chains, default_chain);
	struct catalog_set *cs = calloc(1, sizeof(*cs));
	if (!cs || !(cs->langs = calloc(CATALOG_MAX_LANGS, sizeof(*cs->langs)))) {
		diag_add(d, dir, 0, 0, "out of memory");
		goto fail;
	}
	if (ncodes > CATALOG_MAX_LANGS) {
		diag_add(d, dir, 0, 0, "more than %d languages (with their fallbacks) configured",
		         CATALOG_MAX_LANGS);
		goto fail;
	}
	cs->stats = stats;
	if (load_langs(cs, dir, codes, ncodes, d) != 0)
		goto fail;
	resolve_chain(cs, NULL, default_chain, cs->defchain, &cs->ndefchain, dir, d);
	for (size_t i = 0; i < ncodes; i++) {
		struct cat_lang *l = &cs->langs[i];
		const char *const *c = chains && i < nlangs && chains[i] ? chains[i] : default_chain;
		resolve_chain(cs, l->code, c, l->chain, &l->nchain, dir, d);
	}
	if (diag_count(d) != before)
		goto fail;
	for (size_t i = 0; stats && i < ncodes; i++)
		cs->langs[i].slot = stats_slot(stats, cs->langs[i].code);
	return cs;
fail:
	catalog_set_free(cs);
	return NULL;
}

/* Frees the set and every catalogue in it; NULL is fine. */
void catalog_set_free(struct catalog_set *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; cs->langs && i < cs->n; i++)
		mo_free(cs->langs[i].mo);
	free(cs->langs);
	free(cs);
}

bool catalog_set_has(const struct catalog_set *cs, const char *lang)
{
	return lang && (is_source(lang) || (cs && find_lang(cs, lang)));
}

static void count(const struct catalog_set *cs, const struct cat_lang *l, const char *lang,
                  bool fell_back)
{
	if (!cs || !cs->stats)
		return;
	int slot = l ? l->slot : stats_find(cs->stats, lang);
	if (slot < 0)
		return;
	atomic_fetch_add_explicit(&cs->stats->lookups[slot], 1, memory_order_relaxed);
	if (fell_back)
		atomic_fetch_add_explicit(&cs->stats->fallbacks[slot], 1, memory_order_relaxed);
}

/* One lookup: in the language's own catalogue, then its chain; NULL when
 * only the msgids are left. *own is set when the text came from the first. */
static const char *chain_lookup(const struct catalog_set *cs, const struct cat_lang *l,
                                const char *ctx, const char *msgid, const char *msgid_plural,
                                unsigned long n, bool plural, bool *own)
{
	const struct mo *const *chain = l ? l->chain : cs->defchain;
	size_t nchain = l ? l->nchain : cs->ndefchain;
	const char *r = NULL;
	*own = false;
	if (l && l->mo) {
		r = plural ? mo_lookup_plural(l->mo, ctx, msgid, msgid_plural, n)
		           : mo_lookup(l->mo, ctx, msgid);
		if (r) {
			*own = true;
			return r;
		}
	}
	for (size_t i = 0; i < nchain && chain[i]; i++) {
		r = plural ? mo_lookup_plural(chain[i], ctx, msgid, msgid_plural, n)
		           : mo_lookup(chain[i], ctx, msgid);
		if (r)
			return r;
	}
	return NULL;
}

static const char *translate(const struct catalog_set *cs, const char *lang, const char *ctx,
                             const char *msgid, const char *msgid_plural, unsigned long n,
                             bool plural, bool counted, bool *fell_back)
{
	const char *source = plural && n != 1 && msgid_plural ? msgid_plural : msgid;
	bool own = false;
	const char *r = NULL;
	const struct cat_lang *l = cs && lang ? find_lang(cs, lang) : NULL;
	if (lang && is_source(lang)) {
		own = true;
		r = source;
	} else if (cs) {
		r = chain_lookup(cs, l, ctx, msgid, msgid_plural, n, plural, &own);
	}
	if (counted)
		count(cs, l, lang ? lang : "", !own);
	if (fell_back)
		*fell_back = !own;
	return r ? r : source;
}

const char *catalog_gettext(const struct catalog_set *cs, const char *lang, const char *ctx,
                            const char *msgid, bool *fell_back)
{
	return translate(cs, lang, ctx, msgid, NULL, 1, false, true, fell_back);
}

const char *catalog_lookup(const struct catalog_set *cs, const char *lang, const char *ctx,
                           const char *msgid)
{
	return translate(cs, lang, ctx, msgid, NULL, 1, false, false, NULL);
}

const char *catalog_own(const struct catalog_set *cs, const char *lang, const char *ctx,
                        const char *msgid)
{
	if (lang && is_source(lang))
		return msgid;
	const struct cat_lang *l = cs && lang ? find_lang(cs, lang) : NULL;
	return l && l->mo ? mo_lookup(l->mo, ctx, msgid) : NULL;
}

const char *catalog_ngettext(const struct catalog_set *cs, const char *lang, const char *ctx,
                             const char *msgid, const char *msgid_plural, unsigned long n,
                             bool *fell_back)
{
	return translate(cs, lang, ctx, msgid, msgid_plural, n, true, true, fell_back);
}
