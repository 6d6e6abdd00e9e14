/* budget.c - the largest message a tenant's content can make (see
 * content/budget.h and util/budget.h). The sums follow net/proto.c's frames:
 * every content string a step, answer or tenants message carries, escaped
 * as JSON; keys, numbers and program texts are in BUDGET_FRAME_OVERHEAD. */
#include "content/budget.h"

#include <stdio.h>
#include <string.h>

#include "util/budget.h"

struct lang_ctx {
	const struct catalog_set *cs;
	const char *lang;
};

/* A text as the client gets it: translated, or the source text. */
static const char *tr(const struct lang_ctx *x, const struct text *t)
{
	if (!t->msgid)
		return NULL;
	return x->cs ? catalog_lookup(x->cs, x->lang, t->context, t->msgid) : t->msgid;
}

static size_t tlen(const struct lang_ctx *x, const struct text *t)
{
	return budget_json_len(tr(x, t));
}

static size_t offer_bytes(const struct lang_ctx *x, const struct offer *o)
{
	return budget_json_len(o->id) + tlen(x, &o->title) + tlen(x, &o->description) +
	       budget_json_len(o->district) + budget_json_len(o->address) + tlen(x, &o->hours) +
	       budget_json_len(o->phone) + budget_json_len(o->email) + budget_json_len(o->web) +
	       o->nlangs * BUDGET_LANG_BYTES + tlen(x, &o->cost);
}

static size_t contact_bytes(const struct lang_ctx *x, const struct contact *c)
{
	return tlen(x, &c->name) + budget_json_len(c->person) + budget_json_len(c->address) +
	       budget_json_len(c->phone) + budget_json_len(c->email) + budget_json_len(c->web) +
	       tlen(x, &c->hours);
}

/* The n largest offers of tc together (n <= BUDGET_OFFERS_MAX). */
static size_t largest_offers(const struct lang_ctx *x, const struct tenant_content *tc, size_t n)
{
	size_t top[BUDGET_OFFERS_MAX] = {0}, sum = 0;
	if (n > BUDGET_OFFERS_MAX)
		n = BUDGET_OFFERS_MAX;
	for (size_t i = 0; tc->offers && i < tc->offers->n; i++) {
		size_t b = offer_bytes(x, &tc->offers->offers[i]);
		for (size_t k = 0; k < n; k++) {   /* keep the n largest, largest first */
			if (b > top[k]) {
				size_t t = top[k];
				top[k] = b;
				b = t;
			}
		}
	}
	for (size_t k = 0; k < n; k++)
		sum += top[k];
	return sum;
}

static size_t step_bytes(const struct lang_ctx *x, const struct tenant_content *tc,
                         const struct flow *f, const struct node *n)
{
	size_t b = budget_json_len(tc->tenant->id) + budget_json_len(f->id) +
	           budget_json_len(n->id) + tlen(x, &n->text) + tlen(x, &n->none);
	for (size_t i = 0; i < n->nchoices; i++)
		b += budget_json_len(n->choices[i].id) + tlen(x, &n->choices[i].label) +
		     (n->choices[i].icon ? budget_json_len(n->choices[i].icon) : 0);
	if (n->kind == NODE_OFFERS || n->kind == NODE_PERSON)
		b += contact_bytes(x, &tc->tenant->contact);
	if (n->kind == NODE_OFFERS)
		b += largest_offers(x, tc, n->limit > 0 ? (size_t)n->limit : 0);
	return b;
}

size_t budget_step_bytes(const struct tenant_content *tc, const struct flow *f,
                         const struct node *n, const struct catalog_set *cs, const char *lang)
{
	struct lang_ctx x = {cs, lang};
	return step_bytes(&x, tc, f, n);
}

size_t budget_offer_bytes(const struct offer *o, const struct catalog_set *cs, const char *lang)
{
	struct lang_ctx x = {cs, lang};
	return offer_bytes(&x, o);
}

/* The start of a source text for an error message: up to 24 characters
 * (UTF-8 kept whole, control characters as '?'), "..." when cut. */
static void excerpt(const char *s, char *out, size_t cap)
{
	size_t k = 0, chars = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p && chars < 24) {
		size_t l = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
		if (k + l + 4 > cap)
			break;
		for (size_t i = 0; i < l; i++) {
			if (!p[0])
				break;   /* a cut sequence (content is checked UTF-8 anyway) */
			out[k++] = (char)(p[0] < 0x20 ? '?' : p[0]);
			p++;
		}
		chars++;
	}
	if (*p && k + 4 <= cap) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

/* The text of node n that takes the most bytes (the one to name). */
static const struct text *biggest_text(const struct lang_ctx *x, const struct node *n)
{
	const struct text *best = &n->text;
	if (tlen(x, &n->none) > tlen(x, best))
		best = &n->none;
	for (size_t i = 0; i < n->nchoices; i++)
		if (tlen(x, &n->choices[i].label) > tlen(x, best))
			best = &n->choices[i].label;
	return best;
}

static void in_lang(const struct lang_ctx *x, char *out, size_t cap)
{
	if (x->cs)
		snprintf(out, cap, " in \"%s\"", x->lang);
	else
		out[0] = '\0';
}

size_t budget_check_tenant(const struct tenant_content *tc, const struct catalog_set *cs,
                           const char *lang, struct diag *d)
{
	struct lang_ctx x = {cs, lang};
	char ex[128], where[32];
	size_t errors = 0;
	in_lang(&x, where, sizeof(where));
	for (size_t i = 0; tc->tenant && i < tc->nflows; i++) {
		const struct flow *f = tc->flows[i];
		for (size_t k = 0; k < f->nnodes; k++) {
			const struct node *n = &f->nodes[k];
			if (n->kind == NODE_BRANCH || n->kind == NODE_GOTO)
				continue;   /* never shown */
			size_t b = step_bytes(&x, tc, f, n);
			if (b <= BUDGET_CONTENT_MAX)
				continue;
			const struct text *t = biggest_text(&x, n);
			excerpt(t->msgid, ex, sizeof(ex));
			diag_add(d, f->file, t->line ? t->line : n->line, t->line ? t->col : n->col,
			         "step \"%s\" is too big to send%s: its content takes %zu bytes as JSON, "
			         "more than the limit of %u bytes per message; its longest text "
			         "\"%s\" takes %zu", n->id, where, b, BUDGET_CONTENT_MAX, ex, tlen(&x, t));
			errors++;
		}
	}
	/* an answer to a free-text search: up to BUDGET_OFFERS_MAX offers */
	size_t answer = tc->offers ? largest_offers(&x, tc, BUDGET_OFFERS_MAX) : 0;
	if (answer > BUDGET_CONTENT_MAX) {
		const struct offer *big = NULL;
		for (size_t i = 0; i < tc->offers->n; i++)
			if (!big || offer_bytes(&x, &tc->offers->offers[i]) > offer_bytes(&x, big))
				big = &tc->offers->offers[i];
		excerpt(big->title.msgid, ex, sizeof(ex));
		diag_add(d, tc->offers->file, big->title.line ? big->title.line : big->line,
		         big->title.col, "offers are too big to send%s: %u of them take %zu bytes as "
		         "JSON, more than the limit of %u bytes per message; the biggest, \"%s\" (%s), "
		         "takes %zu", where, BUDGET_OFFERS_MAX, answer, BUDGET_CONTENT_MAX, ex, big->id,
		         offer_bytes(&x, big));
		errors++;
	}
	/* this tenant's entry in the tenants list (all of them: content_load) */
	if (tc->tenant) {
		size_t b = budget_json_len(tc->tenant->id) + tlen(&x, &tc->tenant->name) +
		           tc->tenant->nlangs * BUDGET_LANG_BYTES;
		if (b > BUDGET_CONTENT_MAX) {
			excerpt(tc->tenant->name.msgid, ex, sizeof(ex));
			diag_add(d, tc->tenant->file, tc->tenant->name.line, tc->tenant->name.col,
			         "the name \"%s\" is too big to send%s: %zu bytes as JSON, more than the "
			         "limit of %u bytes per message", ex, where, b, BUDGET_CONTENT_MAX);
			errors++;
		}
	}
	return errors;
}
