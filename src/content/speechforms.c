/* speechforms.c - speech forms (docs/translating.md "Speech forms"): the catalogues of fully
 * vowelled texts that are read aloud instead of the displayed Arabic,
 * loaded into a snapshot, looked up, and checked against po/<lang>.po by
 * `lotse i18n-status`. */
#include "content/speechforms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content/messages.h"
#include "content/scan.h"
#include "i18n/po.h"
#include "i18n/saytext.h"
#include "i18n/vowels.h"
#include "util/utf8.h"

int content_load_speech_forms(struct content *c, const char *mo_dir, const char *const *langs,
                              size_t nlangs, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < nlangs && c->nspeech < CATALOG_MAX_LANGS; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/speech/%s.mo", mo_dir, langs[i]);
		if (stat(path, &st) != 0)
			continue;
		struct mo *m = mo_load(path, d);
		if (!m) {
			rc = -1;
			continue;
		}
		c->speech_forms[c->nspeech] = m;
		snprintf(c->speech_langs[c->nspeech], sizeof(c->speech_langs[0]), "%s", langs[i]);
		c->nspeech++;
	}
	return rc;
}

/* Steps over vowel marks from s[*i]. */
static void skip_marks(const char *s, size_t n, size_t *i)
{
	size_t l = 1;
	int32_t cp;
	while (*i < n && (cp = utf8_decode(s + *i, n - *i, &l)) >= 0 && vowels_is_mark((uint32_t)cp))
		*i += l;
}

/* True if form and shown are equal once both lose their vowel marks. */
static bool same_letters(const char *form, const char *shown)
{
	size_t nf = strlen(form), ns = strlen(shown), i = 0, j = 0;
	for (;;) {
		skip_marks(form, nf, &i);
		skip_marks(shown, ns, &j);
		if (i == nf || j == ns)
			return i == nf && j == ns;
		size_t l = 1;
		utf8_decode(form + i, nf - i, &l);
		if (j + l > ns || memcmp(form + i, shown + j, l) != 0)
			return false;
		i += l;
		j += l;
	}
}

const char *content_speech_form_in(const struct mo *forms, const char *ctx, const char *msgid,
                                   const char *shown)
{
	const char *form = forms && msgid && shown ? mo_lookup(forms, ctx, msgid) : NULL;
	return form && same_letters(form, shown) ? form : NULL;
}

const char *content_speech_form(const struct content *c, const char *lang, const char *ctx,
                                const char *msgid, const char *shown)
{
	for (size_t i = 0; c && lang && shown && i < c->nspeech; i++)
		if (!strcmp(c->speech_langs[i], lang))
			return content_speech_form_in(c->speech_forms[i], ctx, msgid, shown);
	return NULL;
}

void content_say_words_forms(struct say_words *sw, const struct mo *forms)
{
	for (size_t i = 0; forms && i < SAYW_COUNT; i++) {
		const char *form =
		    content_speech_form_in(forms, say_entries[i].ctx, say_entries[i].msgid, sw->w[i]);
		if (form)
			sw->said[i] = form;
	}
}

void content_say_words(const struct content *c, const char *lang, struct say_words *sw)
{
	say_words_load(sw, c->catalogs, lang);
	for (size_t i = 0; lang && i < c->nspeech; i++)
		if (!strcmp(c->speech_langs[i], lang))
			content_say_words_forms(sw, c->speech_forms[i]);
}

/* ---- the check behind `lotse i18n-status` ---- */

struct sfcheck {
	const struct po_file *shown, *speech;
	const char *shown_path, *speech_path;
	const struct po_entry **seen;     /* displayed entries already checked */
	size_t nseen, capseen;
	size_t missing, drifted;
	struct diag *d;
};

static bool seen_before(struct sfcheck *k, const struct po_entry *e)
{
	for (size_t i = 0; i < k->nseen; i++)
		if (k->seen[i] == e)
			return true;
	if (k->nseen == k->capseen) {
		size_t ncap = k->capseen ? k->capseen * 2 : 256;
		const struct po_entry **n = realloc(k->seen, ncap * sizeof(*n));
		if (!n)
			return false;
		k->seen = n;
		k->capseen = ncap;
	}
	k->seen[k->nseen++] = e;
	return false;
}

static void check_one(struct sfcheck *k, const char *ctx, const char *msgid, const char *where)
{
	const struct po_entry *e = po_find(k->shown, ctx, msgid);
	if (!e || !e->translated || e->fuzzy || seen_before(k, e))
		return;   /* not shown translated: the German text is read */
	const struct po_entry *s = k->speech ? po_find(k->speech, ctx, msgid) : NULL;
	if (!s || !s->translated || s->fuzzy) {
		diag_add(k->d, k->shown_path, e->line, 0,
		         "no speech form in %s for this text (%s; msgid \"%.60s\")%s", k->speech_path,
		         where, msgid, s && s->fuzzy ? ": it is marked fuzzy" : "");
		k->missing++;
		return;
	}
	if (s->nstrs != e->nstrs) {
		diag_add(k->d, k->speech_path, s->line, 0,
		         "speech form has %zu plural forms, the displayed text (%s:%d) has %zu",
		         s->nstrs, k->shown_path, e->line, e->nstrs);
		k->drifted++;
		return;
	}
	size_t problems = 0;
	for (size_t i = 0; i < s->nstrs; i++)
		problems += vowels_check(s->strs[i], e->strs[i], k->speech_path, s->line,
		                         k->shown_path, e->line, k->d);
	if (problems)
		k->drifted++;
}

static void check_text(void *ud, const struct text *t, const char *file, const char *role)
{
	(void)role;
	char where[600];
	snprintf(where, sizeof(where), "%s:%d", file, t->line);
	check_one(ud, t->context, t->msgid, where);
}

static bool wants_check(const char *po_dir, const char *lang)
{
	char path[4096];
	struct stat st;
	if (vowels_wanted(lang))
		return true;
	snprintf(path, sizeof(path), "%s/speech/%s.po", po_dir, lang);
	return stat(path, &st) == 0;
}

/* Checks one language over every tenant that offers it. */
static void check_lang(const char *po_dir, const char *lang, const struct tenant_content *tcs,
                       size_t n, size_t *missing, size_t *drifted, struct diag *d)
{
	char shown[4096], speech[4096];
	snprintf(shown, sizeof(shown), "%s/%s.po", po_dir, lang);
	snprintf(speech, sizeof(speech), "%s/speech/%s.po", po_dir, lang);
	struct sfcheck k = {.shown_path = shown, .speech_path = speech, .d = d};
	k.shown = po_load(shown, d);
	if (!k.shown)
		return;
	struct stat st;
	if (stat(speech, &st) == 0)
		k.speech = po_load(speech, d);
	else
		diag_add(d, speech, 0, 0, "no speech catalogue for %s: %s texts are read as displayed, "
		         "without vowel marks", lang, lang);
	for (size_t i = 0; i < n; i++) {
		bool offers = false;
		for (size_t l = 0; l < tcs[i].tenant->nlangs; l++)
			offers = offers || !strcmp(tcs[i].tenant->langs[l], lang);
		if (offers)
			scan_each_text(&tcs[i], check_text, &k);
	}
	for (const struct ui_msg *m = ui_messages; m->msgid; m++) {
		char where[300];
		snprintf(where, sizeof(where), "%s:%d", m->file, m->line);
		check_one(&k, NULL, m->msgid, where);
	}
	*missing += k.missing;
	*drifted += k.drifted;
	po_free((struct po_file *)k.shown);
	po_free((struct po_file *)k.speech);
	free(k.seen);
}

int content_speech_forms_check(const char *flows_dir, const char *po_dir, size_t *missing,
                               size_t *drifted, struct diag *d)
{
	char dir[4096];
	struct tenant_content *tcs = NULL;
	size_t n = 0;
	int rc = 0;
	*missing = *drifted = 0;
	snprintf(dir, sizeof(dir), "%s/speech", po_dir);
	if (!scan_is_dir(dir))
		return 0;
	if (scan_tenants(flows_dir, &tcs, &n, d) != 0) {
		rc = -1;
		goto out;
	}
	/* every language some tenant offers, once */
	const char *langs[CATALOG_MAX_LANGS];
	size_t nl = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t l = 0; l < tcs[i].tenant->nlangs; l++) {
			const char *lang = tcs[i].tenant->langs[l];
			size_t k = 0;
			while (k < nl && strcmp(langs[k], lang))
				k++;
			if (k == nl && nl < CATALOG_MAX_LANGS && strcmp(lang, CATALOG_SOURCE_LANG) &&
			    wants_check(po_dir, lang))
				langs[nl++] = lang;
		}
	for (size_t i = 0; i < nl; i++)
		check_lang(po_dir, langs[i], tcs, n, missing, drifted, d);
out:
	for (size_t i = 0; tcs && i < n; i++)
		scan_tenant_free(&tcs[i]);
	free(tcs);
	return rc;
}
