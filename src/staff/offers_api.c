/* offers_api.c - offers in the staff area: list, create, edit and retire,
 * each written back as flows/<tenant>/offers.yaml through the offers
 * writer (yamlout.c) and the file's own validator, with revisions and
 * conflict checks like flows. */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff/auth.h"
#include "staff/offers_api.h"
#include "staff/publish.h"
#include "staff/request.h"
#include "staff/trial.h"
#include "staff/sys.h"
#include "staff/util.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/utf8.h"

enum change { CREATE, EDIT, RETIRE };

static const char default_header[] =
	"# offers.yaml - the offers of this education office (see docs/flows.md).\n"
	"# Written by the Lotse staff area; every change is kept as a revision.\n";

/* ---- offer -> JSON ---- */

static json_t *text_json(const struct text *t)
{
	if (!t->msgid)
		return NULL;
	if (!t->context && !t->note)
		return json_string(t->msgid);
	json_t *o = json_pack("{s:s}", "text", t->msgid);
	if (t->context)
		json_object_set_new(o, "context", json_string(t->context));
	if (t->note)
		json_object_set_new(o, "note", json_string(t->note));
	return o;
}

static void put(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, v);
}

static json_t *strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *offer_json(const struct offer *o)
{
	json_t *j = json_pack("{s:s}", "id", o->id), *facts = json_object();
	put(j, "title", text_json(&o->title));
	put(j, "description", text_json(&o->description));
	for (size_t i = 0; i < o->nfacts; i++)
		json_object_set_new(facts, o->facts[i].key,
		                    strings((const char *const *)o->facts[i].values, o->facts[i].nvalues));
	put(j, "facts", facts);
	put(j, "district", o->district ? json_string(o->district) : NULL);
	put(j, "address", o->address ? json_string(o->address) : NULL);
	put(j, "hours", text_json(&o->hours));
	put(j, "phone", o->phone ? json_string(o->phone) : NULL);
	put(j, "email", o->email ? json_string(o->email) : NULL);
	put(j, "web", o->web ? json_string(o->web) : NULL);
	if (o->nlangs)
		put(j, "languages", strings(o->langs, o->nlangs));
	put(j, "cost", text_json(&o->cost));
	put(j, "sample", json_boolean(o->sample));
	return j;
}

/* ---- JSON -> offer ---- */

struct conv {
	struct arena *a;
	char err[256];
};

static bool fail(struct conv *c, const char *field, const char *what)
{
	if (!c->err[0]) {
		snprintf(c->err, sizeof(c->err), "\"%s\" %s", field, what);
		/* a long client-given field name may be cut inside a character: the
		 * message goes into a JSON answer, which must be valid UTF-8 */
		c->err[utf8_invalid_at(c->err, strlen(c->err))] = '\0';
	}
	return false;
}

static bool get_str(struct conv *c, json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return fail(c, key, "muss ein Text sein");
	return (*out = arena_strdup(c->a, json_string_value(v))) != NULL;
}

static bool get_text(struct conv *c, json_t *o, const char *key, struct text *t)
{
	json_t *v = json_object_get(o, key);
	memset(t, 0, sizeof(*t));
	if (!v || json_is_null(v) || json_is_string(v))
		return get_str(c, o, key, &t->msgid);
	if (!json_is_object(v) || !json_is_string(json_object_get(v, "text")))
		return fail(c, key, "muss ein Text oder {\"text\", \"context\", \"note\"} sein");
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x)
		if (strcmp(k, "text") && strcmp(k, "context") && strcmp(k, "note"))
			return fail(c, key, "hat ein unbekanntes Feld");
	return get_str(c, v, "text", &t->msgid) && get_str(c, v, "context", &t->context) &&
	       get_str(c, v, "note", &t->note);
}

/* A list of strings (a single string counts as a list of one). */
static bool get_list(struct conv *c, json_t *v, const char *field, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return true;
	size_t cnt = json_is_array(v) ? json_array_size(v) : 1;
	if (!json_is_array(v) && !json_is_string(v))
		return fail(c, field, "muss eine Liste von Texten sein");
	const char **list = arena_alloc(c->a, (cnt + 1) * sizeof(*list));
	if (!list)
		return fail(c, field, "zu groß");
	for (size_t i = 0; i < cnt; i++) {
		json_t *it = json_is_array(v) ? json_array_get(v, i) : v;
		if (!json_is_string(it) || !(list[i] = arena_strdup(c->a, json_string_value(it))))
			return fail(c, field, "muss eine Liste von Texten sein");
	}
	*out = list;
	*n = cnt;
	return true;
}

static bool get_facts(struct conv *c, json_t *o, struct offer *of)
{
	json_t *v = json_object_get(o, "facts");
	if (!v || json_is_null(v))
		return true;
	if (!json_is_object(v))
		return fail(c, "facts", "muss ein Objekt sein (Merkmal -> Liste von Werten)");
	of->facts = arena_alloc(c->a, (json_object_size(v) + 1) * sizeof(*of->facts));
	if (!of->facts)
		return fail(c, "facts", "zu groß");
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		struct offer_fact *f = &of->facts[of->nfacts++];
		f->key = arena_strdup(c->a, k);
		if (!f->key || !get_list(c, x, "facts", (const char ***)&f->values, &f->nvalues))
			return fail(c, "facts", "muss ein Objekt sein (Merkmal -> Liste von Werten)");
	}
	return true;
}

static const char *const offer_keys[] = {"id", "title", "description", "facts", "district",
                                         "address", "hours", "phone", "email", "web",
                                         "languages", "cost", "sample", NULL};

static bool known_key(const char *k)
{
	for (size_t i = 0; offer_keys[i]; i++)
		if (!strcmp(k, offer_keys[i]))
			return true;
	return false;
}

static bool offer_from_json(struct conv *c, json_t *o, struct offer *of)
{
	const char *k;
	json_t *x;
	memset(of, 0, sizeof(*of));
	if (!json_is_object(o))
		return fail(c, "offer", "muss ein Objekt sein");
	json_object_foreach(o, k, x)
		if (!known_key(k))
			return fail(c, k, "ist kein Feld eines Angebots");
	json_t *sample = json_object_get(o, "sample");
	if (sample && !json_is_boolean(sample) && !json_is_null(sample))
		return fail(c, "sample", "muss true oder false sein");
	of->sample = json_is_true(sample);
	return get_str(c, o, "id", &of->id) && get_text(c, o, "title", &of->title) &&
	       get_text(c, o, "description", &of->description) && get_facts(c, o, of) &&
	       get_str(c, o, "district", &of->district) && get_str(c, o, "address", &of->address) &&
	       get_text(c, o, "hours", &of->hours) && get_str(c, o, "phone", &of->phone) &&
	       get_str(c, o, "email", &of->email) && get_str(c, o, "web", &of->web) &&
	       get_list(c, json_object_get(o, "languages"), "languages", &of->langs, &of->nlangs) &&
	       get_text(c, o, "cost", &of->cost);
}

int staff_offer_from_json(json_t *o, struct arena *a, struct offer *of, char *err,
                          size_t errlen)
{
	struct conv c = {.a = a};
	if (offer_from_json(&c, o, of))
		return 0;
	snprintf(err, errlen, "%s", c.err[0] ? c.err : "\"offer\" zu groß");
	return -1;
}

/* ---- the file ---- */

/* The leading comment lines of the file (into a new string, caller frees),
 * or a copy of the default header. */
static char *header_of(const char *buf, size_t len)
{
	size_t end = 0;
	while (end < len && buf[end] == '#') {
		const char *nl = memchr(buf + end, '\n', len - end);
		end = nl ? (size_t)(nl - buf) + 1 : len;
	}
	return end ? strndup(buf, end) : strdup(default_header);
}

struct current {
	char *buf;
	size_t len;
	bool exists;
	struct offer_list *list;
};

/* Reads and parses the tenant's offers.yaml into *cur (allocated; free
 * with free_current); answers and returns false when it cannot be read or
 * has errors. */
static bool load_current(struct req *r, const char *tenant, struct current *cur)
{
	char path[4096], rel[256];
	struct diag d;
	memset(cur, 0, sizeof(*cur));
	snprintf(path, sizeof(path), "%s/%s/offers.yaml", r->st->flows_dir, tenant);
	snprintf(rel, sizeof(rel), "flows/%s/offers.yaml", tenant);
	if (sys_read_file(path, STAFF_FILE_MAX, &cur->buf, &cur->len) != 0) {
		if (errno != ENOENT) {
			staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
			return false;
		}
		return true;
	}
	cur->exists = true;
	diag_init(&d);
	cur->list = offers_parse(rel, cur->buf, cur->len, &d);
	if (!cur->list)
		staff_res_invalid(r, &d, NULL, NULL, NULL);
	diag_free(&d);
	return cur->list != NULL;
}

/* Frees what load_current allocated. */
static void free_current(struct current *cur)
{
	offer_list_free(cur->list);
	free(cur->buf);
}

static long find(const struct offer_list *l, const char *id)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (!strcmp(l->offers[i].id, id))
			return (long)i;
	return -1;
}

static void list_offers(struct req *r, const char *tenant, const char *id)
{
	struct current cur;
	char rel[256];
	snprintf(rel, sizeof(rel), "flows/%s/offers.yaml", tenant);
	if (!load_current(r, tenant, &cur))
		goto out;
	if (id) {
		long i = find(cur.list, id);
		if (i < 0)
			staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Dieses Angebot gibt es nicht.");
		else
			staff_res_json(r, MHD_HTTP_OK, offer_json(&cur.list->offers[i]));
		goto out;
	}
	json_t *arr = json_array();
	for (size_t i = 0; cur.list && i < cur.list->n; i++)
		json_array_append_new(arr, offer_json(&cur.list->offers[i]));
	json_t *o = json_pack("{s:s,s:s,s:o}", "tenant", tenant, "path", rel, "offers", arr);
	staff_revision_fields(r->st, rel, cur.buf, cur.len, cur.exists, o);
	staff_res_json(r, MHD_HTTP_OK, o);
out:
	free_current(&cur);
}

/* Builds the new list (from arena a) for the change; answers and returns
 * NULL when the request does not fit. */
static struct offer_list *changed(struct req *r, struct conv *c, const struct offer_list *old,
                                  enum change ch, const char *id, json_t *body)
{
	size_t n = old ? old->n : 0;
	long at = id ? find(old, id) : -1;
	struct offer_list *l = arena_alloc(c->a, sizeof(*l));
	struct offer nw = {0};
	if (id && at < 0) {
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Dieses Angebot gibt es nicht.");
		return NULL;
	}
	if (ch != RETIRE && !offer_from_json(c, json_object_get(body, "offer"), &nw)) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", c->err);
		return NULL;
	}
	if (ch == EDIT && nw.id && strcmp(nw.id, id)) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                  "Die Kennung (id) eines Angebots bleibt immer gleich.");
		return NULL;
	}
	if (ch == EDIT)
		nw.id = old->offers[at].id;
	if (!l || !(l->offers = arena_alloc(c->a, (n + 1) * sizeof(*l->offers)))) {
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if ((long)i == at && ch == RETIRE)
			continue;
		l->offers[l->n++] = (long)i == at ? nw : old->offers[i];
	}
	if (ch == CREATE)
		l->offers[l->n++] = nw;
	return l;
}

static void change(struct req *r, const char *tenant, const char *id, enum change ch)
{
	static const char *const actions[] = {"offer_create", "offer_edit", "offer_retire"};
	struct current cur = {0};
	struct conv c = {.a = arena_new()};
	struct strbuf yaml;
	json_t *body = NULL;
	char *header = NULL, msg[300];
	long long base = 0;
	const char *hash = NULL;
	strbuf_init(&yaml);
	if (!c.a || !staff_need_editor(r) || !(body = staff_body_json(r)) ||
	    !staff_base(r, body, &base, &hash) || !load_current(r, tenant, &cur))
		goto out;
	struct offer_list *l = changed(r, &c, cur.list, ch, id, body);
	if (!l)
		goto out;
	header = header_of(cur.buf ? cur.buf : "", cur.len);
	if (!header || staff_offers_emit(l, header, &yaml) < 0) {
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
		goto out;
	}
	const char *m = staff_jstr(body, "message");
	const char *oid = ch == CREATE ? l->offers[l->n - 1].id : id;
	snprintf(msg, sizeof(msg), "%s", m && *m ? m : "");
	if (!msg[0])
		snprintf(msg, sizeof(msg), "Angebot %s %s", oid ? oid : "",
		         ch == CREATE ? "angelegt" : ch == EDIT ? "geändert" : "zurückgezogen");
	staff_publish_tenant_file(r, tenant, "offers.yaml", yaml.data, yaml.len, msg, base, hash,
	                          actions[ch], ch == CREATE ? MHD_HTTP_CREATED : MHD_HTTP_OK);
out:
	free(header);
	strbuf_free(&yaml);
	json_decref(body);
	free_current(&cur);
	arena_free(c.a);
}

/* /api/offers/<t>[/<id>[/retire]] */
void staff_offers(struct req *r)
{
	char p[4096];
	if (r->nseg < 2 || r->nseg > 4 || !staff_id_ok(r->seg[1]) ||
	    (r->nseg >= 3 && !staff_id_ok(r->seg[2])) || (r->nseg == 4 && strcmp(r->seg[3], "retire")))
		return staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Das gibt es hier nicht.");
	const char *tenant = r->seg[1], *id = r->nseg >= 3 ? r->seg[2] : NULL;
	snprintf(p, sizeof(p), "%s/%s/tenant.yaml", r->st->flows_dir, tenant);
	FILE *f = fopen(p, "r");
	if (!f)
		return staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found",
		                         "Dieses Bildungsbüro gibt es nicht.");
	fclose(f);
	if (r->nseg == 2) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_POST)) {
			if (!strcmp(r->method, MHD_HTTP_METHOD_GET))
				list_offers(r, tenant, NULL);
			else
				change(r, tenant, NULL, CREATE);
		}
	} else if (r->nseg == 3) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_PUT)) {
			if (!strcmp(r->method, MHD_HTTP_METHOD_GET))
				list_offers(r, tenant, id);
			else
				change(r, tenant, id, EDIT);
		}
	} else if (staff_method(r, MHD_HTTP_METHOD_POST, NULL)) {
		change(r, tenant, id, RETIRE);
	}
}
