/* offers.c - loads and checks flows/<tenant>/offers.yaml: the tenant's
 * education offers with their facts (for matching) and contact details. */
#include <stdlib.h>
#include <string.h>

#include "flow/schema.h"
#include "flow/tenant.h"

static const char *const root_keys[] = { "offers", NULL };
static const char *const offer_keys[] = { "id", "title", "description", "facts", "district",
	                                   "address", "hours", "phone", "email", "web",
	                                   "languages", "cost", "sample", NULL };

/* One offer fact: a single value or a non-empty list of values. */
static void parse_fact(struct schema *s, const struct ynode *k, const struct ynode *v,
                       struct offer_fact *f)
{
	char b[80];
	f->key = arena_strndup(s->a, k->str, k->len);
	if (k->len == 0)
		sc_err(s, k, "empty fact name");
	if (v->kind == YNODE_MAP || (v->kind == YNODE_SEQ && v->nitems == 0)) {
		sc_err(s, v, "fact \"%s\" must be a value or a list of values",
		       sc_short(k->str, b, sizeof(b)));
		return;
	}
	const struct ynode *const *items = v->kind == YNODE_SEQ ? (const struct ynode *const *)v->items : &v;
	size_t n = v->kind == YNODE_SEQ ? v->nitems : 1;
	f->values = arena_alloc(s->a, n * sizeof(*f->values));
	if (!f->values || !f->key) {
		sc_oom(s);
		return;
	}
	f->nvalues = n;
	for (size_t i = 0; i < n; i++) {
		if (items[i]->kind != YNODE_SCALAR || !ynode_is_str(items[i]))
			sc_err(s, items[i], "fact \"%s\" must be a value or a list of values",
			       sc_short(k->str, b, sizeof(b)));
		else if (!(f->values[i] = arena_strndup(s->a, items[i]->str, items[i]->len)))
			sc_oom(s);
	}
}

static void parse_facts(struct schema *s, const struct ynode *v, struct offer *o)
{
	if (!sc_is_map(s, "facts", v) || v->npairs == 0)
		return;
	o->facts = arena_alloc(s->a, v->npairs * sizeof(*o->facts));
	if (!o->facts) {
		sc_oom(s);
		return;
	}
	o->nfacts = v->npairs;
	for (size_t i = 0; i < v->npairs; i++)
		parse_fact(s, v->pairs[i].key, v->pairs[i].value, &o->facts[i]);
}

static void parse_contact_fields(struct schema *s, const struct ynode *v, struct offer *o)
{
	const struct ynode *f;
	if ((f = ynode_get(v, "phone")))
		sc_phone(s, f, &o->phone);
	if ((f = ynode_get(v, "email")))
		sc_email(s, f, &o->email);
	if ((f = ynode_get(v, "web")))
		sc_web(s, f, &o->web);
	if (!ynode_get(v, "phone") && !ynode_get(v, "email") && !ynode_get(v, "web"))
		sc_err(s, v, "an offer needs \"phone\", \"email\" or \"web\"");
	if ((f = ynode_get(v, "languages")))
		sc_langs(s, "languages", f, &o->langs, &o->nlangs);
	if ((f = ynode_get(v, "sample")))
		sc_bool(s, "sample", f, &o->sample);
}

static void parse_offer(struct schema *s, const struct ynode *v, struct offer *o)
{
	o->line = v->line;
	if (v->kind != YNODE_MAP) {
		sc_err(s, v, "an offer must be a mapping");
		return;
	}
	sc_check_keys(s, v, offer_keys, "offer");
	const struct ynode *f;
	if ((f = sc_need(s, v, "id", "offer")))
		o->id = sc_id(s, "id", f);
	if ((f = sc_need(s, v, "title", "offer")))
		sc_text(s, "title", f, &o->title);
	if ((f = sc_need(s, v, "description", "offer")))
		sc_text(s, "description", f, &o->description);
	if ((f = sc_need(s, v, "facts", "offer")))
		parse_facts(s, f, o);
	if ((f = sc_need(s, v, "district", "offer")))
		o->district = sc_string(s, "district", f);
	if ((f = sc_need(s, v, "address", "offer")))
		o->address = sc_string(s, "address", f);
	if ((f = sc_need(s, v, "hours", "offer")))
		sc_text(s, "hours", f, &o->hours);
	if ((f = sc_need(s, v, "cost", "offer")))
		sc_text(s, "cost", f, &o->cost);
	parse_contact_fields(s, v, o);
}

static int id_cmp(const void *a, const void *b)
{
	const struct ynode *x = *(const struct ynode *const *)a;
	const struct ynode *y = *(const struct ynode *const *)b;
	int c = strcmp(x->str, y->str);
	return c ? c : (x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col > y->col) - (x->col < y->col));
}

/* Reports every offer id used twice (sorted, so big files stay fast). */
static void check_ids(struct schema *s, const struct ynode *list, struct arena *scratch)
{
	const struct ynode **ids = arena_alloc(scratch, (list->nitems + 1) * sizeof(*ids));
	size_t n = 0;
	if (!ids) {
		sc_oom(s);
		return;
	}
	for (size_t i = 0; i < list->nitems; i++) {
		const struct ynode *id = ynode_get(list->items[i], "id");
		if (id && id->kind == YNODE_SCALAR)
			ids[n++] = id;
	}
	qsort(ids, n, sizeof(*ids), id_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		char b[80];
		if (strcmp(ids[i]->str, ids[first]->str) != 0) {
			first = i;
			continue;
		}
		sc_err(s, ids[i], "duplicate offer id \"%s\" (first at line %d)",
		       sc_short(ids[i]->str, b, sizeof(b)), ids[first]->line);
	}
}

static void parse_root(struct schema *s, struct offer_list *l, const struct ynode *root,
                       struct arena *scratch)
{
	if (sc_root_empty(root)) {
		diag_add(s->d, s->file, 0, 0, "empty file (expected \"offers:\" and a list)");
		return;
	}
	if (root->kind != YNODE_MAP) {
		sc_err(s, root, "an offers file must be a mapping");
		return;
	}
	sc_check_keys(s, root, root_keys, "offers file");
	const struct ynode *list = sc_need(s, root, "offers", "offers file");
	if (!list || !sc_is_list(s, "offers", list) || list->nitems == 0)
		return;
	l->offers = arena_alloc(s->a, list->nitems * sizeof(*l->offers));
	if (!l->offers) {
		sc_oom(s);
		return;
	}
	l->n = list->nitems;
	for (size_t i = 0; i < list->nitems; i++)
		parse_offer(s, list->items[i], &l->offers[i]);
	check_ids(s, list, scratch);
}

/* Builds the list from doc and frees doc. Returns a new list (caller frees
 * with offer_list_free) or NULL with errors in d. */
/* Builds the list from doc and frees doc; clean: the YAML had no error
 * (else the tree is checked too, but no list is returned). */
static struct offer_list *offers_build(struct ydoc *doc, bool clean, const char *display,
                                       struct diag *d)
{
	struct schema s;
	struct arena *a = arena_new(), *scratch = arena_new();
	struct offer_list *l = a ? arena_alloc(a, sizeof(*l)) : NULL;
	sc_init(&s, d, display, a);
	if (!l || !scratch || !(l->file = arena_strdup(a, display))) {
		sc_oom(&s);
		goto fail;
	}
	l->arena = a;
	parse_root(&s, l, doc->root, scratch);
	if (!sc_ok(&s) || !clean)
		goto fail;
	arena_free(scratch);
	ydoc_free(doc);
	return l;
fail:
	arena_free(scratch);
	arena_free(a);
	ydoc_free(doc);
	return NULL;
}

/* Returns a new list (caller frees with offer_list_free) or NULL. */
struct offer_list *offers_parse(const char *display, const char *buf, size_t len, struct diag *d)
{
	if (!display)
		display = "<input>";
	bool clean;
	struct ydoc *doc = ydoc_parse_all(display, buf, len, d, &clean);
	return doc ? offers_build(doc, clean, display, d) : NULL;
}

/* Returns a new list (caller frees with offer_list_free) or NULL. */
struct offer_list *offers_load(const char *path, const char *display, struct diag *d)
{
	if (!display)
		display = path;
	bool clean;
	struct ydoc *doc = ydoc_load_all(path, display, d, &clean);
	return doc ? offers_build(doc, clean, display, d) : NULL;
}

/* Frees the list: all of it lives in its arena. */
void offer_list_free(struct offer_list *l)
{
	if (l)
		arena_free(l->arena);
}
