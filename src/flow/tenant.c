/* tenant.c - loads and checks flows/<tenant>/tenant.yaml (the office: name,
 * languages, start flow, contact) and checks a tenant's flows together. */
#include <string.h>

#include "flow/schema.h"
#include "flow/tenant.h"
#include "i18n/lang.h"

static const char *const tenant_keys[] = { "name", "default_lang", "languages", "start",
	                                    "contact", "colour", "logo", "sample", NULL };
static const char *const contact_keys[] = { "name", "person", "address", "phone",
	                                     "email", "web", "hours", NULL };

static void parse_contact(struct schema *s, const struct ynode *v, struct contact *c)
{
	if (!sc_is_map(s, "contact", v))
		return;
	sc_check_keys(s, v, contact_keys, "contact");
	const struct ynode *name = sc_need(s, v, "name", "contact");
	const struct ynode *f;
	if (name)
		sc_text(s, "name", name, &c->name);
	if ((f = ynode_get(v, "person")))
		c->person = sc_string(s, "person", f);
	if ((f = ynode_get(v, "address")))
		c->address = sc_string(s, "address", f);
	if ((f = ynode_get(v, "hours")))
		sc_text(s, "hours", f, &c->hours);
	if ((f = ynode_get(v, "phone")))
		sc_phone(s, f, &c->phone);
	if ((f = ynode_get(v, "email")))
		sc_email(s, f, &c->email);
	if ((f = ynode_get(v, "web")))
		sc_web(s, f, &c->web);
	if (!ynode_get(v, "phone") && !ynode_get(v, "email") && !ynode_get(v, "web"))
		sc_err(s, v, "contact needs \"phone\", \"email\" or \"web\"");
}

static bool colour_ok(const char *c)
{
	if (strlen(c) != 7 || c[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (!strchr("0123456789abcdefABCDEF", c[i]))
			return false;
	return true;
}

static void parse_default_lang(struct schema *s, struct tenant *t, const struct ynode *v)
{
	char b[80];
	t->default_lang = sc_string(s, "default_lang", v);
	if (!t->default_lang)
		return;
	if (!lang_find(t->default_lang)) {
		sc_err(s, v, "unknown language \"%s\"", sc_short(t->default_lang, b, sizeof(b)));
		return;
	}
	for (size_t i = 0; i < t->nlangs; i++)
		if (t->langs[i] && strcmp(t->langs[i], t->default_lang) == 0)
			return;
	if (t->langs)
		sc_err(s, v, "default language \"%s\" is not in \"languages\"", t->default_lang);
}

static void parse_optional(struct schema *s, struct tenant *t, const struct ynode *root)
{
	const struct ynode *v;
	char b[80];
	v = ynode_get(root, "colour");
	if (v && v->kind == YNODE_SCALAR && !ynode_is_str(v))
		sc_err(s, v, "\"colour\" has no value (a # starts a comment: write it in quotes)");
	else if (v && (t->colour = sc_string(s, "colour", v)) && !colour_ok(t->colour))
		sc_err(s, v, "invalid colour \"%s\" (use #rrggbb)", sc_short(t->colour, b, sizeof(b)));
	if ((v = ynode_get(root, "logo")) && (t->logo = sc_string(s, "logo", v)) &&
	    (strchr(t->logo, '/') || strchr(t->logo, '\\') || t->logo[0] == '.'))
		sc_err(s, v, "\"logo\" must be a file name in the tenant's folder");
	if ((v = ynode_get(root, "sample")))
		sc_bool(s, "sample", v, &t->sample);
}

static void parse_tenant(struct schema *s, struct tenant *t, const struct ynode *root)
{
	if (sc_root_empty(root)) {
		diag_add(s->d, s->file, 0, 0, "empty file");
		return;
	}
	if (root->kind != YNODE_MAP) {
		sc_err(s, root, "tenant.yaml must be a mapping");
		return;
	}
	sc_check_keys(s, root, tenant_keys, "tenant");
	const struct ynode *name = sc_need(s, root, "name", "tenant");
	const struct ynode *dl = sc_need(s, root, "default_lang", "tenant");
	const struct ynode *langs = sc_need(s, root, "languages", "tenant");
	const struct ynode *start = sc_need(s, root, "start", "tenant");
	const struct ynode *contact = sc_need(s, root, "contact", "tenant");
	if (name && sc_text(s, "name", name, &t->name) && !t->name.context)
		t->name.context = TENANT_NAME_CONTEXT;   /* translatable on its own */
	if (langs)
		sc_langs(s, "languages", langs, &t->langs, &t->nlangs);
	if (dl)
		parse_default_lang(s, t, dl);
	if (start) {
		t->start_flow = sc_id(s, "start", start);
		t->start_line = start->line;
		t->start_col = start->col;
	}
	if (contact)
		parse_contact(s, contact, &t->contact);
	parse_optional(s, t, root);
}

/* Returns a new tenant (caller frees with tenant_free) or NULL, errors in d. */
struct tenant *tenant_load(const char *path, const char *display, const char *id, struct diag *d)
{
	if (!display)
		display = path;
	struct schema s;
	struct arena *a = arena_new();
	struct tenant *t = a ? arena_alloc(a, sizeof(*t)) : NULL;
	sc_init(&s, d, display, a);
	if (!t || !(t->file = arena_strdup(a, display)) || (id && !(t->id = arena_strdup(a, id)))) {
		sc_oom(&s);
		goto fail;
	}
	t->arena = a;
	if (id && !sc_valid_id(id)) {
		char b[80];
		diag_add(d, display, 0, 0,
		         "invalid tenant id \"%s\" (use a-z, 0-9, _ and -, at most 64 characters)",
		         sc_short(id, b, sizeof(b)));
	}
	bool clean;
	struct ydoc *doc = ydoc_load_all(path, display, d, &clean);
	if (!doc)
		goto fail;
	parse_tenant(&s, t, doc->root);   /* also after duplicate keys: every error at once */
	ydoc_free(doc);
	if (!sc_ok(&s) || !clean)
		goto fail;
	return t;
fail:
	arena_free(a);
	return NULL;
}

/* Frees the tenant: all of it lives in its arena. */
void tenant_free(struct tenant *t)
{
	if (t)
		arena_free(t->arena);
}

size_t tenant_check_flows(const struct tenant *t, struct flow **flows, size_t nflows,
                          struct diag *d)
{
	size_t before = diag_count(d);
	bool found = false;
	for (size_t i = 0; i < nflows && t->start_flow; i++)
		found = found || (flows[i]->id && strcmp(flows[i]->id, t->start_flow) == 0);
	if (!found)
		diag_add(d, t->file, t->start_line, t->start_col, "unknown flow \"%s\"",
		         t->start_flow ? t->start_flow : "");
	flows_check_graph(flows, nflows, found ? t->start_flow : NULL, d);
	return diag_count(d) - before;
}
