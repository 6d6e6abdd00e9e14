/* flow_parse.c - turns one flow file (YAML) into a struct flow, checking the
 * schema of docs/flows.md: keys, types, node kinds, ids, node references.
 * Every error is reported; a flow is returned only when there was none. */
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "flow/pictogram.h"
#include "flow/schema.h"
#include "yaml/ydoc.h"

#define MAX_CHOICES 16
#define MIN_LIMIT 1
#define MAX_LIMIT 20
#define DEFAULT_LIMIT 5

/* A node id named somewhere (next, start, branch arm), checked once all
 * nodes are known. */
struct ref {
	const char *id;
	const struct ynode *at;
};

struct fparse {
	struct schema s;
	struct flow *f;
	struct arena *scratch;  /* refs and the sorted id index */
	struct ref *refs;
	size_t nrefs, caprefs;
};

static const char *const flow_keys[] = { "flow", "title", "start", "nodes", NULL };
static const char *const node_keys[] = { "ask", "say", "branch", "offers", "person", "end",
	                                  "goto", "choices", "next", "none", NULL };
static const char *const choice_keys[] = { "id", "label", "next", "set", "icon", NULL };
static const char *const arm_keys[] = { "when", "next", NULL };
static const char *const offers_keys[] = { "match", "limit", NULL };

/* Keys each kind allows besides its kind key. */
static const char *const kind_extra[][4] = {
	[NODE_ASK] = { "choices", NULL },
	[NODE_SAY] = { "next", "choices", NULL },
	[NODE_BRANCH] = { NULL },
	[NODE_OFFERS] = { "say", "none", "choices", NULL },
	[NODE_PERSON] = { "choices", NULL },
	[NODE_END] = { NULL },
	[NODE_GOTO] = { NULL },
};

static const char *const kind_names[] = {
	[NODE_ASK] = "ask", [NODE_SAY] = "say", [NODE_BRANCH] = "branch",
	[NODE_OFFERS] = "offers", [NODE_PERSON] = "person", [NODE_END] = "end",
	[NODE_GOTO] = "goto",
};

const char *node_kind_name(enum node_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

/* Remembers a node id reference (value node v) and copies the id. */
static const char *add_ref(struct fparse *p, const char *name, const struct ynode *v)
{
	const char *id = sc_id(&p->s, name, v);
	if (!id)
		return NULL;
	if (p->nrefs == p->caprefs) {
		size_t ncap = p->caprefs ? p->caprefs * 2 : 16;
		struct ref *nr = arena_grow(p->scratch, p->refs, p->nrefs, ncap, sizeof(*nr));
		if (!nr) {
			sc_oom(&p->s);
			return id;
		}
		p->refs = nr;
		p->caprefs = ncap;
	}
	p->refs[p->nrefs].id = id;
	p->refs[p->nrefs].at = v;
	p->nrefs++;
	return id;
}

/* A choice's "icon": a name from the pictogram table (flow/pictogram.h);
 * an unknown name is reported with the closest known one, if any. */
static const char *parse_icon(struct schema *s, const struct ynode *v)
{
	char b[80];
	if (v->kind != YNODE_SCALAR) {
		sc_err(s, v, "\"icon\" must be a pictogram name");
		return NULL;
	}
	if (!ynode_is_str(v) || v->len == 0) {
		sc_err(s, v, "\"icon\" must not be empty");
		return NULL;
	}
	const struct pictogram *pg = strlen(v->str) == v->len ? pictogram_find(v->str) : NULL;
	if (pg)
		return pg->name;
	const char *near = strlen(v->str) == v->len ? pictogram_suggest(v->str) : NULL;
	if (near)
		sc_err(s, v, "unknown pictogram \"%s\" in \"icon\"; did you mean \"%s\"?",
		       sc_short(v->str, b, sizeof(b)), near);
	else
		sc_err(s, v, "unknown pictogram \"%s\" in \"icon\" (the names are listed in "
		       "docs/flows.md, \"Pictograms\")", sc_short(v->str, b, sizeof(b)));
	return NULL;
}

static void parse_choice(struct fparse *p, const struct ynode *v, struct choice *c)
{
	struct schema *s = &p->s;
	c->line = v->line;
	c->col = v->col;
	if (v->kind != YNODE_MAP) {
		sc_err(s, v, "a choice must be a mapping");
		return;
	}
	sc_check_keys(s, v, choice_keys, "choice");
	const struct ynode *id = sc_need(s, v, "id", "choice");
	const struct ynode *label = sc_need(s, v, "label", "choice");
	const struct ynode *next = sc_need(s, v, "next", "choice");
	const struct ynode *set = ynode_get(v, "set");
	const struct ynode *icon = ynode_get(v, "icon");
	if (id)
		c->id = sc_id(s, "id", id);
	if (label)
		sc_text(s, "label", label, &c->label);
	if (next)
		c->next = add_ref(p, "next", next);
	if (set)
		sc_facts(s, "set", set, &c->set, &c->nset);
	if (icon)
		c->icon = parse_icon(s, icon);
}

/* Reports a choice id used twice in one node (n is small: at most 16). */
static void check_choice_ids(struct fparse *p, const struct ynode *list, const struct node *n)
{
	for (size_t i = 1; i < n->nchoices; i++) {
		if (!n->choices[i].id)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (!n->choices[j].id || strcmp(n->choices[i].id, n->choices[j].id) != 0)
				continue;
			sc_err(&p->s, ynode_get(list->items[i], "id"),
			       "duplicate choice id \"%s\" (first at line %d)", n->choices[i].id,
			       ynode_get(list->items[j], "id")->line);
			break;
		}
	}
}

static void parse_choices(struct fparse *p, const struct ynode *v, struct node *n)
{
	if (!sc_is_list(&p->s, "choices", v))
		return;
	if (v->nitems < 1 || v->nitems > MAX_CHOICES) {
		sc_err(&p->s, v, "\"choices\" must have 1 to %d items", MAX_CHOICES);
		return;
	}
	n->choices = arena_alloc(p->f->arena, v->nitems * sizeof(*n->choices));
	if (!n->choices) {
		sc_oom(&p->s);
		return;
	}
	n->nchoices = v->nitems;
	for (size_t i = 0; i < v->nitems; i++)
		parse_choice(p, v->items[i], &n->choices[i]);
	check_choice_ids(p, v, n);
}

static void parse_arm(struct fparse *p, const struct ynode *v, struct branch_arm *arm,
                      bool last)
{
	struct schema *s = &p->s;
	arm->line = v->line;
	arm->col = v->col;
	if (v->kind != YNODE_MAP) {
		sc_err(s, v, "a branch arm must be a mapping");
		return;
	}
	sc_check_keys(s, v, arm_keys, "branch arm");
	const struct ynode *when = ynode_get(v, "when");
	const struct ynode *next = sc_need(s, v, "next", "branch arm");
	if (next)
		arm->next = add_ref(p, "next", next);
	if (when && sc_facts(s, "when", when, &arm->when, &arm->nwhen) && arm->nwhen == 0)
		sc_err(s, when, "\"when\" must not be empty");
	if (when && last)
		sc_err(s, sc_key(v, "when"), "the last arm of a branch must have no \"when\"");
	if (!when && !last)
		sc_err(s, v, "only the last arm of a branch may omit \"when\"");
}

static void parse_branch(struct fparse *p, const struct ynode *v, struct node *n)
{
	if (!sc_is_list(&p->s, "branch", v))
		return;
	if (v->nitems == 0) {
		sc_err(&p->s, v, "\"branch\" must have at least one arm");
		return;
	}
	n->arms = arena_alloc(p->f->arena, v->nitems * sizeof(*n->arms));
	if (!n->arms) {
		sc_oom(&p->s);
		return;
	}
	n->narms = v->nitems;
	for (size_t i = 0; i < v->nitems; i++)
		parse_arm(p, v->items[i], &n->arms[i], i + 1 == v->nitems);
}

static void parse_match(struct fparse *p, const struct ynode *v, struct node *n)
{
	if (!sc_is_list(&p->s, "match", v) || v->nitems == 0)
		return;
	n->match = arena_alloc(p->f->arena, v->nitems * sizeof(*n->match));
	if (!n->match) {
		sc_oom(&p->s);
		return;
	}
	n->nmatch = v->nitems;
	for (size_t i = 0; i < v->nitems; i++)
		n->match[i] = sc_string(&p->s, "match", v->items[i]);
}

/* offers: {match, limit}; null or {} means the defaults. */
static void parse_offers(struct fparse *p, const struct ynode *v, struct node *n)
{
	n->limit = DEFAULT_LIMIT;
	if (v->kind == YNODE_SCALAR && !ynode_is_str(v))
		return;
	if (!sc_is_map(&p->s, "offers", v))
		return;
	sc_check_keys(&p->s, v, offers_keys, "offers");
	const struct ynode *match = ynode_get(v, "match");
	const struct ynode *limit = ynode_get(v, "limit");
	long l;
	if (match)
		parse_match(p, match, n);
	if (limit && !ynode_int(limit, MIN_LIMIT, MAX_LIMIT, &l))
		sc_err(&p->s, limit, "\"limit\" must be a whole number from %d to %d", MIN_LIMIT,
		       MAX_LIMIT);
	else if (limit)
		n->limit = (int)l;
}

/* Finds the node's kind from its kind keys; reports none or two. Returns
 * false when there is no single kind. */
static bool find_kind(struct fparse *p, const struct ynode *key, const struct ynode *v,
                      enum node_kind *kind)
{
	bool has_offers = ynode_get(v, "offers") != NULL;
	const struct ynode *first = NULL;
	bool ok = true;
	char b[80];
	for (size_t i = 0; i < v->npairs; i++) {
		const struct ynode *k = v->pairs[i].key;
		for (int kd = NODE_ASK; kd <= NODE_GOTO; kd++) {
			if (strcmp(k->str, kind_names[kd]) != 0 || (kd == NODE_SAY && has_offers))
				continue;
			if (first) {
				sc_err(&p->s, k, "node \"%s\" has two kinds (\"%s\" and \"%s\")",
				       sc_short(key->str, b, sizeof(b)),
				       first->str, k->str);
				ok = false;
			} else {
				first = k;
				*kind = (enum node_kind)kd;
			}
		}
	}
	if (!first) {
		sc_err(&p->s, key,
		       "node \"%s\" has no kind (ask, say, branch, offers, person, end or goto)",
		       sc_short(key->str, b, sizeof(b)));
		return false;
	}
	return ok;
}

/* Reports node keys that exist but do not belong to this kind (unknown
 * keys and second kind keys are reported elsewhere). */
static void check_kind_keys(struct fparse *p, const struct ynode *v, enum node_kind kind)
{
	for (size_t i = 0; i < v->npairs; i++) {
		const char *k = v->pairs[i].key->str;
		bool skip = false;
		for (int kd = NODE_ASK; kd <= NODE_GOTO; kd++)
			skip = skip || strcmp(k, kind_names[kd]) == 0;
		for (size_t j = 0; !skip && kind_extra[kind][j]; j++)
			skip = strcmp(k, kind_extra[kind][j]) == 0;
		bool known = false;
		for (size_t j = 0; node_keys[j]; j++)
			known = known || strcmp(k, node_keys[j]) == 0;
		if (!skip && known)
			sc_err(&p->s, v->pairs[i].key, "\"%s\" is not allowed in a%s %s node", k,
			       kind == NODE_ASK || kind == NODE_OFFERS || kind == NODE_END ? "n" : "",
			       kind_names[kind]);
	}
}

static void parse_say(struct fparse *p, const struct ynode *key, const struct ynode *v,
                      struct node *n)
{
	const struct ynode *next = ynode_get(v, "next");
	const struct ynode *choices = ynode_get(v, "choices");
	char b[80];
	sc_text(&p->s, "say", ynode_get(v, "say"), &n->text);
	if (next && choices)
		sc_err(&p->s, key, "node \"%s\" has both \"next\" and \"choices\"",
		       sc_short(key->str, b, sizeof(b)));
	else if (!next && !choices)
		sc_err(&p->s, key, "node \"%s\" needs \"next\" or \"choices\"",
		       sc_short(key->str, b, sizeof(b)));
	if (next)
		n->next = add_ref(p, "next", next);
	if (choices)
		parse_choices(p, choices, n);
}

static void parse_kind(struct fparse *p, const struct ynode *key, const struct ynode *v,
                       struct node *n)
{
	struct schema *s = &p->s;
	const struct ynode *kv = ynode_get(v, kind_names[n->kind]);
	const struct ynode *choices = ynode_get(v, "choices");
	char where[100], b[80];
	snprintf(where, sizeof(where), "node \"%s\"", sc_short(key->str, b, sizeof(b)));
	switch (n->kind) {
	case NODE_SAY:
		parse_say(p, key, v, n);
		return;
	case NODE_ASK:
		sc_text(s, "ask", kv, &n->text);
		if (sc_need(s, v, "choices", where))
			parse_choices(p, choices, n);
		return;
	case NODE_BRANCH:
		parse_branch(p, kv, n);
		return;
	case NODE_OFFERS: {
		const struct ynode *say = sc_need(s, v, "say", where);
		const struct ynode *none = sc_need(s, v, "none", where);
		parse_offers(p, kv, n);
		if (say)
			sc_text(s, "say", say, &n->text);
		if (none)
			sc_text(s, "none", none, &n->none);
		break;
	}
	case NODE_PERSON:
	case NODE_END:
		sc_text(s, kind_names[n->kind], kv, &n->text);
		break;
	case NODE_GOTO:
		n->goto_flow = sc_id(s, "goto", kv);
		n->goto_line = kv->line;
		n->goto_col = kv->col;
		break;
	}
	if (choices && (n->kind == NODE_OFFERS || n->kind == NODE_PERSON))
		parse_choices(p, choices, n);
}

static void parse_node(struct fparse *p, const struct ynode *key, const struct ynode *v,
                       struct node *n)
{
	struct schema *s = &p->s;
	char b[80];
	n->line = key->line;
	n->col = key->col;
	n->id = arena_strndup(p->f->arena, key->str, key->len);
	if (!n->id) {
		sc_oom(s);
		return;
	}
	if (!sc_valid_id(n->id))
		sc_err(s, key, "invalid node id \"%s\" (use a-z, 0-9, _ and -, at most 64 characters)",
		       sc_short(n->id, b, sizeof(b)));
	if (v->kind != YNODE_MAP) {
		sc_err(s, v, "node \"%s\" must be a mapping", sc_short(n->id, b, sizeof(b)));
		return;
	}
	sc_check_keys(s, v, node_keys, "node");
	if (!find_kind(p, key, v, &n->kind))
		return;
	check_kind_keys(p, v, n->kind);
	parse_kind(p, key, v, n);
}

static void parse_nodes(struct fparse *p, const struct ynode *v)
{
	if (!sc_is_map(&p->s, "nodes", v))
		return;
	if (v->npairs == 0) {
		sc_err(&p->s, v, "\"nodes\" must have at least one node");
		return;
	}
	p->f->nodes = arena_alloc(p->f->arena, v->npairs * sizeof(*p->f->nodes));
	if (!p->f->nodes) {
		sc_oom(&p->s);
		return;
	}
	p->f->nnodes = v->npairs;
	for (size_t i = 0; i < v->npairs; i++)
		parse_node(p, v->pairs[i].key, v->pairs[i].value, &p->f->nodes[i]);
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reports every reference to a node id that does not exist. */
static void check_refs(struct fparse *p)
{
	struct flow *f = p->f;
	const char **ids = NULL;
	if (f->nnodes) {
		ids = arena_alloc(p->scratch, f->nnodes * sizeof(*ids));
		if (!ids) {
			sc_oom(&p->s);
			return;
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < f->nnodes; i++)
		if (f->nodes[i].id)
			ids[n++] = f->nodes[i].id;
	if (n)
		qsort(ids, n, sizeof(*ids), id_cmp);
	for (size_t i = 0; i < p->nrefs; i++) {
		char b[80];
		if (n && bsearch(&p->refs[i].id, ids, n, sizeof(*ids), id_cmp))
			continue;
		sc_err(&p->s, p->refs[i].at, "unknown node \"%s\"", sc_short(p->refs[i].id, b, sizeof(b)));
	}
}

static void parse_root(struct fparse *p, const struct ynode *root)
{
	struct schema *s = &p->s;
	struct flow *f = p->f;
	if (sc_root_empty(root)) {
		diag_add(s->d, s->file, 0, 0, "empty file (a flow needs \"flow\", \"title\", \"start\" and \"nodes\")");
		return;
	}
	if (root->kind != YNODE_MAP) {
		sc_err(s, root, "a flow file must be a mapping");
		return;
	}
	sc_check_keys(s, root, flow_keys, "flow");
	const struct ynode *id = sc_need(s, root, "flow", "flow");
	const struct ynode *title = sc_need(s, root, "title", "flow");
	const struct ynode *start = sc_need(s, root, "start", "flow");
	const struct ynode *nodes = sc_need(s, root, "nodes", "flow");
	if (id) {
		f->id = sc_id(s, "flow", id);
		f->line = id->line;
		f->col = id->col;
	}
	if (title)
		sc_text(s, "title", title, &f->title);
	if (start)
		f->start = add_ref(p, "start", start);
	if (nodes)
		parse_nodes(p, nodes);
	if (f->nodes) /* else every reference would be reported too */
		check_refs(p);
}

/* Builds the flow from doc and frees doc; clean: the YAML had no error (else
 * the tree is checked too, but no flow is returned). Returns a new flow
 * (caller frees with flow_free) or NULL with errors in d. */
static struct flow *flow_build(struct ydoc *doc, bool clean, const char *display,
                               struct diag *d)
{
	struct fparse p = { 0 };
	struct arena *a = arena_new();
	p.scratch = arena_new();
	p.f = a ? arena_alloc(a, sizeof(*p.f)) : NULL;
	sc_init(&p.s, d, display, a);
	if (!p.f || !p.scratch || !(p.f->file = arena_strdup(a, display))) {
		sc_oom(&p.s);
		goto fail;
	}
	p.f->arena = a;
	parse_root(&p, doc->root);
	if (!sc_ok(&p.s) || !clean)
		goto fail;
	arena_free(p.scratch);
	ydoc_free(doc);
	return p.f;
fail:
	arena_free(p.scratch);
	arena_free(a);
	ydoc_free(doc);
	return NULL;
}

/* Returns a new flow (caller frees with flow_free) or NULL with errors in d. */
struct flow *flow_parse(const char *display, const char *buf, size_t len, struct diag *d)
{
	if (!display)
		display = "<input>";
	bool clean;
	struct ydoc *doc = ydoc_parse_all(display, buf, len, d, &clean);
	return doc ? flow_build(doc, clean, display, d) : NULL;
}

/* Returns a new flow (caller frees with flow_free) or NULL with errors in d. */
struct flow *flow_load(const char *path, const char *display, struct diag *d)
{
	if (!display)
		display = path;
	bool clean;
	struct ydoc *doc = ydoc_load_all(path, display, d, &clean);
	return doc ? flow_build(doc, clean, display, d) : NULL;
}

/* Frees the flow: all of it lives in its arena. */
void flow_free(struct flow *f)
{
	if (f)
		arena_free(f->arena);
}

const struct node *flow_node(const struct flow *f, const char *id)
{
	for (size_t i = 0; f && id && i < f->nnodes; i++)
		if (f->nodes[i].id && strcmp(f->nodes[i].id, id) == 0)
			return &f->nodes[i];
	return NULL;
}
