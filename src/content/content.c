/* content.c - loading, validating and sharing content snapshots; see
 * content.h. The only mutable shared state is the "current" pointer, guarded
 * by a mutex; snapshots themselves are immutable and reference counted. */
#include "content/content.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content/budget.h"
#include "content/scan.h"
#include "content/speechforms.h"
#include "i18n/normalise.h"
#include "util/budget.h"
#include "util/log.h"
#include "util/strbuf.h"

static atomic_long previews_alive;
static atomic_ulong retirements;

/* Frees a snapshot and everything it owns. */
static void content_free(struct content *c)
{
	if (!c)
		return;
	if (c->preview)
		atomic_fetch_sub(&previews_alive, 1);
	for (size_t i = 0; i < c->ntenants; i++)
		scan_tenant_free(&c->tenants[i]);
	free(c->tenants);
	catalog_set_free(c->catalogs);
	for (size_t i = 0; i < c->nspeech; i++)
		mo_free(c->speech_forms[i]);
	free(c);
}

struct content *content_ref(struct content *c)
{
	if (c)
		atomic_fetch_add(&c->refs, 1);
	return c;
}

void content_unref(struct content *c)
{
	if (c && atomic_fetch_sub(&c->refs, 1) == 1)
		content_free(c);
}

void content_mark_preview(struct content *c)
{
	if (c && !c->preview) {
		c->preview = true;
		atomic_fetch_add(&previews_alive, 1);
	}
}

void content_retire(struct content *c)
{
	if (c && !atomic_exchange(&c->retired, true))
		atomic_fetch_add(&retirements, 1);
}

bool content_retired(const struct content *c)
{
	return c && atomic_load(&c->retired);
}

long content_previews_alive(void)
{
	return atomic_load(&previews_alive);
}

unsigned long content_retirements(void)
{
	return atomic_load(&retirements);
}

const struct tenant_content *content_tenant(const struct content *c, const char *id)
{
	for (size_t i = 0; i < c->ntenants; i++)
		if (strcmp(c->tenants[i].tenant->id, id) == 0)
			return &c->tenants[i];
	return NULL;
}

const struct flow *tenant_flow(const struct tenant_content *tc, const char *flow_id)
{
	if (!flow_id)
		return NULL;
	for (size_t i = 0; i < tc->nflows; i++)
		if (strcmp(tc->flows[i]->id, flow_id) == 0)
			return tc->flows[i];
	return NULL;
}

const struct offer *tenant_offer(const struct tenant_content *tc, const char *offer_id)
{
	if (!tc->offers)
		return NULL;
	for (size_t i = 0; i < tc->offers->n; i++)
		if (strcmp(tc->offers->offers[i].id, offer_id) == 0)
			return &tc->offers->offers[i];
	return NULL;
}

/* ---- the shared current snapshot ---- */

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct content *current_content;
static unsigned long last_generation;

struct content *content_current(void)
{
	pthread_mutex_lock(&current_lock);
	struct content *c = content_ref(current_content);
	pthread_mutex_unlock(&current_lock);
	return c;
}

/* Takes over the caller's reference to c; drops the one to the old snapshot. */
void content_publish(struct content *c)
{
	pthread_mutex_lock(&current_lock);
	struct content *old = current_content;
	if (c)
		c->generation = ++last_generation;
	current_content = c;
	pthread_mutex_unlock(&current_lock);
	content_unref(old);
}

/* ---- loading ---- */

/* Collects every language the tenants offer (no duplicates). */
static size_t union_langs(const struct content *c, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t t = 0; t < c->ntenants; t++) {
		const struct tenant *tn = c->tenants[t].tenant;
		for (size_t l = 0; l < tn->nlangs; l++) {
			size_t k = 0;
			while (k < n && strcmp(out[k], tn->langs[l]) != 0)
				k++;
			if (k == n && n < max)
				out[n++] = tn->langs[l];
		}
	}
	return n;
}

static int load_catalogs(struct content *c, const struct content_options *o, struct diag *d)
{
	const char *langs[CATALOG_MAX_LANGS];
	const char *const *chains[CATALOG_MAX_LANGS];
	size_t n = union_langs(c, langs, CATALOG_MAX_LANGS);
	for (size_t i = 0; i < n; i++) {
		chains[i] = NULL;
		for (size_t r = 0; r < o->nfallbacks; r++)
			if (strcmp(o->fallbacks[r].lang, langs[i]) == 0)
				chains[i] = o->fallbacks[r].chain;
	}
	c->catalogs = catalog_set_load(o->mo_dir, langs, n, chains, o->default_chain, o->stats, d);
	if (!c->catalogs)
		return -1;
	return content_load_speech_forms(c, o->mo_dir, langs, n, d);
}

struct content *content_of_tenant(const struct content_options *o, struct tenant_content *tc,
                                  struct diag *d)
{
	struct content *c = calloc(1, sizeof(*c));
	if (!c || !(c->tenants = calloc(1, sizeof(*c->tenants)))) {
		free(c);
		scan_tenant_free(tc);
		diag_add(d, "", 0, 0, "out of memory");
		return NULL;
	}
	atomic_init(&c->refs, 1);
	c->tenants[0] = *tc;
	c->ntenants = 1;
	memset(tc, 0, sizeof(*tc));
	c->default_tenant = c->tenants[0].tenant->id;
	struct content_options without_stats = *o;
	without_stats.stats = NULL;
	if (load_catalogs(c, &without_stats, d) < 0) {
		content_unref(c);
		return NULL;
	}
	return c;
}

/* Every tenant's largest message in each of its languages fits the size
 * budget (content/budget.h), and so does the list of all tenants. Returns
 * 0, or -1 with the errors in d. */
static int check_budget(const struct content *c, struct diag *d)
{
	size_t errors = 0, list = 0;
	for (size_t i = 0; i < c->ntenants; i++) {
		const struct tenant_content *tc = &c->tenants[i];
		const struct tenant *t = tc->tenant;
		for (size_t k = 0; k < t->nlangs; k++)
			errors += budget_check_tenant(tc, c->catalogs, t->langs[k], d);
		list += budget_json_len(t->id) + t->nlangs * BUDGET_LANG_BYTES +
		        budget_json_len(t->name.msgid ? catalog_lookup(c->catalogs, t->default_lang,
		                                                         t->name.context, t->name.msgid)
		                                      : t->id);
		for (size_t k = 0; t->name.msgid && k < t->nlangs; k++)   /* "names" */
			list += budget_json_len(t->langs[k]) + 1 +
			        budget_json_len(catalog_lookup(c->catalogs, t->langs[k],
			                                       t->name.context, t->name.msgid));
	}
	if (!errors && list > BUDGET_CONTENT_MAX) {
		diag_add(d, c->tenants[0].tenant->file, 0, 0, "the list of all %zu offices is too big "
		         "to send: %zu bytes as JSON, more than the limit of %u bytes per message",
		         c->ntenants, list, BUDGET_CONTENT_MAX);
		errors++;
	}
	return errors ? -1 : 0;
}

/* The searchable text of one offer in one language: title, description,
 * district and topic facts, translated and normalised. Caller frees. */
static char *search_body(const struct catalog_set *cs, const char *lang, const struct offer *o)
{
	struct strbuf sb;
	strbuf_init(&sb);
	const struct text *texts[] = {&o->title, &o->description, &o->cost};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!texts[i]->msgid)
			continue;
		strbuf_puts(&sb, catalog_lookup(cs, lang, texts[i]->context, texts[i]->msgid));
		strbuf_putc(&sb, ' ');
	}
	if (o->district)
		strbuf_puts(&sb, o->district);
	char *norm = strbuf_ok(&sb) ? text_normalise(sb.data ? sb.data : "", sb.len) : NULL;
	strbuf_free(&sb);
	return norm;
}

/* Writes one tenant's offers and search rows, then reads them back. */
static int store_tenant(struct tenant_content *tc, const struct catalog_set *cs, struct store *db,
                        struct diag *d)
{
	const struct tenant *t = tc->tenant;
	size_t nrows = tc->offers->n * t->nlangs, k = 0;
	struct search_row *rows = calloc(nrows ? nrows : 1, sizeof(*rows));
	int rc = -1;
	if (!rows)
		goto out;
	for (size_t i = 0; i < tc->offers->n; i++) {
		for (size_t l = 0; l < t->nlangs; l++) {
			char *body = search_body(cs, t->langs[l], &tc->offers->offers[i]);
			if (!body)
				goto out;
			rows[k].offer_id = tc->offers->offers[i].id;
			rows[k].lang = t->langs[l];
			rows[k].body = body;
			k++;
		}
	}
	if (store_offers_replace(db, t->id, tc->offers, rows, k, d) != 0)
		goto out;
	struct offer_list *back = store_offers_read(db, t->id, d);
	if (!back)
		goto out;
	offer_list_free(tc->offers);
	tc->offers = back;
	rc = 0;
out:
	for (size_t i = 0; i < k; i++)
		free((char *)rows[i].body);
	free(rows);
	if (rc != 0 && diag_count(d) == 0)
		diag_add(d, t->file, 0, 0, "could not store the offers of tenant \"%s\"", t->id);
	return rc;
}

struct content *content_load(const struct content_options *o, struct store *db, struct diag *d)
{
	size_t before = diag_count(d);
	struct content *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	atomic_init(&c->refs, 1);
	if (scan_tenants(o->flows_dir, &c->tenants, &c->ntenants, d) != 0 || c->ntenants == 0) {
		if (c->ntenants == 0 && diag_count(d) == before)
			diag_add(d, o->flows_dir, 0, 0, "no tenant folders (with tenant.yaml) found");
		goto fail;
	}
	if (load_catalogs(c, o, d) != 0 || check_budget(c, d) != 0)
		goto fail;
	for (size_t i = 0; i < c->ntenants; i++)
		if (store_tenant(&c->tenants[i], c->catalogs, db, d) != 0)
			goto fail;
	c->default_tenant = c->tenants[0].tenant->id;
	if (diag_count(d) != before)
		goto fail;
	return c;
fail:
	content_free(c);
	return NULL;
}
