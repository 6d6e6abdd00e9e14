/* schema.c - positioned schema checks and typed field readers shared by the
 * flow, tenant and offers loaders; see schema.h. */
#include "flow/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sc_init(struct schema *s, struct diag *d, const char *file, struct arena *a)
{
	s->d = d;
	s->file = file;
	s->a = a;
	s->before = diag_count(d);
}

bool sc_ok(const struct schema *s)
{
	return diag_count(s->d) == s->before;
}

void sc_err(struct schema *s, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_addv(s->d, s->file, at ? at->line : 0, at ? at->col : 0, fmt, ap);
	va_end(ap);
}

void sc_oom(struct schema *s)
{
	diag_add(s->d, s->file, 0, 0, "out of memory");
}

const char *sc_short(const char *str, char *buf, size_t len)
{
	size_t n = strlen(str);
	size_t cut = n;
	if (cut > 60) {
		cut = 60;
		while (cut > 0 && ((unsigned char)str[cut] & 0xC0) == 0x80)
			cut--;
	}
	snprintf(buf, len, "%.*s%s", (int)cut, str, cut < n ? "..." : "");
	return buf;
}

bool sc_root_empty(const struct ynode *root)
{
	return !root || (root->kind == YNODE_SCALAR && !ynode_is_str(root));
}

bool sc_valid_id(const char *id)
{
	size_t n = 0;
	for (; id[n]; n++) {
		char c = id[n];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return n >= 1 && n <= SCHEMA_MAX_ID;
}

static bool in_list(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

void sc_check_keys(struct schema *s, const struct ynode *map, const char *const *allowed,
                   const char *where)
{
	for (size_t i = 0; i < map->npairs; i++) {
		const struct ynode *k = map->pairs[i].key;
		char b[80];
		if (!in_list(k->str, allowed))
			sc_err(s, k, "unknown key \"%s\" in %s", sc_short(k->str, b, sizeof(b)), where);
	}
}

const struct ynode *sc_key(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->npairs; i++)
		if (strcmp(map->pairs[i].key->str, key) == 0)
			return map->pairs[i].key;
	return NULL;
}

const struct ynode *sc_need(struct schema *s, const struct ynode *map, const char *key,
                            const char *where)
{
	const struct ynode *v = ynode_get(map, key);
	if (!v)
		sc_err(s, map, "missing key \"%s\" in %s", key, where);
	return v;
}

bool sc_is_map(struct schema *s, const char *name, const struct ynode *v)
{
	if (v->kind == YNODE_MAP)
		return true;
	sc_err(s, v, "\"%s\" must be a mapping", name);
	return false;
}

bool sc_is_list(struct schema *s, const char *name, const struct ynode *v)
{
	if (v->kind == YNODE_SEQ)
		return true;
	sc_err(s, v, "\"%s\" must be a list", name);
	return false;
}

const char *sc_string(struct schema *s, const char *name, const struct ynode *v)
{
	if (v->kind != YNODE_SCALAR) {
		sc_err(s, v, "\"%s\" must be a string", name);
		return NULL;
	}
	if (!ynode_is_str(v) || v->len == 0) {
		sc_err(s, v, "\"%s\" must not be empty", name);
		return NULL;
	}
	const char *c = arena_strndup(s->a, v->str, v->len);
	if (!c)
		sc_oom(s);
	return c;
}

const char *sc_id(struct schema *s, const char *name, const struct ynode *v)
{
	const char *id = sc_string(s, name, v);
	if (id && !sc_valid_id(id)) {
		char b[80];
		sc_err(s, v, "invalid id \"%s\" (use a-z, 0-9, _ and -, at most 64 characters)",
		       sc_short(id, b, sizeof(b)));
		return NULL;
	}
	return id;
}

static const char *const text_keys[] = { "text", "context", "note", NULL };

bool sc_text(struct schema *s, const char *name, const struct ynode *v, struct text *out)
{
	if (v->kind == YNODE_SCALAR) {
		out->msgid = sc_string(s, name, v);
		out->line = v->line;
		out->col = v->col;
		return out->msgid != NULL;
	}
	if (v->kind != YNODE_MAP) {
		sc_err(s, v, "\"%s\" must be a text (a string or a mapping with \"text\")", name);
		return false;
	}
	size_t before = diag_count(s->d);
	sc_check_keys(s, v, text_keys, "text");
	const struct ynode *t = sc_need(s, v, "text", "text");
	const struct ynode *c = ynode_get(v, "context");
	const struct ynode *n = ynode_get(v, "note");
	if (t) {
		out->msgid = sc_string(s, "text", t);
		out->line = t->line;
		out->col = t->col;
	}
	if (c)
		out->context = sc_string(s, "context", c);
	if (n)
		out->note = sc_string(s, "note", n);
	return diag_count(s->d) == before;
}

/* One fact of a set/when map: a single, non-empty value. */
static bool fact_value(struct schema *s, const struct ynode *k, const struct ynode *v,
                       struct fact *f)
{
	char b[80];
	if (k->len == 0) {
		sc_err(s, k, "empty fact name");
		return false;
	}
	if (v->kind != YNODE_SCALAR) {
		sc_err(s, v, "fact \"%s\" must be a single value", sc_short(k->str, b, sizeof(b)));
		return false;
	}
	if (!ynode_is_str(v)) {
		sc_err(s, v, "fact \"%s\" has no value", sc_short(k->str, b, sizeof(b)));
		return false;
	}
	f->key = arena_strndup(s->a, k->str, k->len);
	f->value = arena_strndup(s->a, v->str, v->len);
	if (!f->key || !f->value) {
		sc_oom(s);
		return false;
	}
	return true;
}

bool sc_facts(struct schema *s, const char *name, const struct ynode *v, struct fact **out,
              size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!sc_is_map(s, name, v))
		return false;
	if (v->npairs == 0)
		return true;
	struct fact *f = arena_alloc(s->a, v->npairs * sizeof(*f));
	if (!f) {
		sc_oom(s);
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < v->npairs; i++)
		ok = fact_value(s, v->pairs[i].key, v->pairs[i].value, &f[i]) && ok;
	*out = f;
	*n = v->npairs;
	return ok;
}

bool sc_bool(struct schema *s, const char *name, const struct ynode *v, bool *out)
{
	if (ynode_bool(v, out))
		return true;
	sc_err(s, v, "\"%s\" must be true or false", name);
	return false;
}
