/* flows.c - tenants and flows in the staff area: list, read (with "changed
 * on disk"), check and preview a draft in a temporary copy of the tenant
 * (the validator of `lotse check`), publish, revisions, and the picture of
 * a flow (DOT through `dot -Tsvg`). */
#include <errno.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content/scan.h"
#include "flow/dot.h"
#include "staff/access.h"
#include "staff/audit.h"
#include "staff/auth.h"
#include "staff/flows.h"
#include "staff/preview.h"
#include "staff/publish.h"
#include "staff/request.h"
#include "staff/revisions.h"
#include "staff/trial.h"
#include "staff/sys.h"
#include "staff/util.h"
#include "util/log.h"

#define DOT_TIMEOUT 20
#define SVG_MAX (16u << 20)

static void internal(struct req *r, const char *what)
{
	staff_res_internal(r, what);
}

static void not_found(struct req *r, const char *message)
{
	staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", message);
}

/* ---- tenants ---- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static json_t *tenant_json(const struct tenant_content *tc)
{
	const struct tenant *t = tc->tenant;
	json_t *langs = json_array(), *flows = json_array();
	for (size_t i = 0; i < t->nlangs; i++)
		json_array_append_new(langs, json_string(t->langs[i]));
	for (size_t i = 0; i < tc->nflows; i++) {
		const struct flow *f = tc->flows[i];
		json_array_append_new(flows, json_pack("{s:s,s:s,s:s?}", "id", f->id, "file",
		                                       base_name(f->file), "title", f->title.msgid));
	}
	return json_pack("{s:s,s:s?,s:s,s:s,s:o,s:o}", "id", t->id, "name", t->name.msgid,
	                 "default_lang", t->default_lang, "start", t->start_flow, "languages", langs,
	                 "flows", flows);
}

void staff_tenants(struct req *r)
{
	struct content *c = content_current();
	json_t *list = json_array();
	for (size_t i = 0; c && i < c->ntenants; i++)
		if (staff_may_see(r, c->tenants[i].tenant->id))
			json_array_append_new(list, tenant_json(&c->tenants[i]));
	content_unref(c);
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:o}", "tenants", list));
}

/* ---- previews ---- */

/* The key under which previews of the same draft share one snapshot: the
 * tenant, the file, the text and the generation being served (a publish or
 * reload changes what the rest of the tenant and the catalogues are). */
static void draft_key(const char *tenant, const char *name, const char *yaml,
                      unsigned char *key)
{
	struct content *cur = content_current();
	unsigned long long gen = cur ? cur->generation : 0;
	content_unref(cur);
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, STAFF_PREVIEW_KEY);
	crypto_generichash_update(&h, (const unsigned char *)tenant, strlen(tenant) + 1);
	crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
	crypto_generichash_update(&h, (const unsigned char *)&gen, sizeof(gen));
	crypto_generichash_update(&h, (const unsigned char *)yaml, strlen(yaml));
	crypto_generichash_final(&h, key, STAFF_PREVIEW_KEY);
}

static void preview(struct req *r, const char *tenant, const char *name, const char *rel)
{
	struct tenant_content tc;
	struct diag d;
	unsigned char key[STAFF_PREVIEW_KEY];
	json_t *body = staff_body_json(r);
	const char *yaml = body ? staff_jstr(body, "yaml") : NULL;
	struct content *c = NULL;
	diag_init(&d);
	if (body && !yaml)
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "\"yaml\" fehlt.");
	if (!yaml)
		goto out;
	draft_key(tenant, name, yaml, key);
	c = staff_preview_shared(key);   /* the same draft: its snapshot again */
	if (!c) {
		if (staff_trial(r, tenant, name, yaml, strlen(yaml), &tc) < 0)
			goto out;
		c = content_of_tenant(r->st->copts, &tc, &d);
	}
	char token[STAFF_TOKEN_LEN + 1], url[600], origin[400];
	if (c && staff_kiosk_origin(r, origin, sizeof(origin)) < 0) {
		content_unref(c);
		c = NULL;
	}
	if (!c) {
		if (diag_count(&d))
			staff_res_invalid(r, &d, NULL, NULL, NULL);
		else
			internal(r, "cannot keep the preview");
		goto out;
	}
	json_t *langs = json_array();
	const struct tenant *t = c->tenants[0].tenant;
	for (size_t i = 0; i < t->nlangs; i++)
		json_array_append_new(langs, json_string(t->langs[i]));
	long long expires = staff_preview_put(c, key, r->sess.account, token);
	if (expires < 0) {
		json_decref(langs);
		staff_res_error(r, MHD_HTTP_TOO_MANY_REQUESTS, "too_many_previews",
		                  "Zu viele Vorschauen gleichzeitig. Bitte in einigen Minuten "
		                  "erneut versuchen.");
		goto out;
	}
	snprintf(url, sizeof(url), "%s/?preview=%s&tenant=%s", origin, token, tenant);
	staff_audit(r->st, r->sess.name, "preview", "%s", rel);
	staff_res_json(r, MHD_HTTP_CREATED,
	                 json_pack("{s:s,s:I,s:s,s:o}", "preview", token, "expires",
	                           (json_int_t)expires, "url", url, "languages", langs));
out:
	diag_free(&d);
	json_decref(body);
}

/* ---- the picture ---- */

struct graph_langs {
	const char *lang[CATALOG_MAX_LANGS];
	struct mo *mo[CATALOG_MAX_LANGS];
	size_t n;
};

static void missing(void *ud, const struct text *t, struct strbuf *out)
{
	const struct graph_langs *g = ud;
	for (size_t i = 0; i < g->n; i++) {
		if (g->mo[i] && mo_lookup(g->mo[i], t->context, t->msgid))
			continue;
		if (out->len)
			strbuf_puts(out, ", ");
		strbuf_puts(out, g->lang[i]);
	}
}

/* The tenant's languages (but German) with their .mo files (from the live
 * content's tenant list); allocates into *g, freed by free_langs. */
static void load_langs(struct staff *st, const char *tenant, struct graph_langs *g)
{
	struct content *c = content_current();
	const struct tenant_content *tc = c ? content_tenant(c, tenant) : NULL;
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; tc && i < tc->tenant->nlangs && g->n < CATALOG_MAX_LANGS; i++) {
		const char *l = tc->tenant->langs[i];
		char path[4096];
		struct diag d;
		if (!strcmp(l, CATALOG_SOURCE_LANG))
			continue;
		diag_init(&d);
		snprintf(path, sizeof(path), "%s/%s.mo", st->mo_dir, l);
		g->lang[g->n] = strdup(l);
		g->mo[g->n] = mo_load(path, &d);
		diag_free(&d);
		if (g->lang[g->n])
			g->n++;
		else
			mo_free(g->mo[g->n]);
	}
	content_unref(c);
}

/* Frees what load_langs allocated. */
static void free_langs(struct graph_langs *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free((char *)g->lang[i]);
		mo_free(g->mo[i]);
	}
}

static void graph(struct req *r, const char *tenant, const char *rel, const char *buf,
                  size_t len)
{
	struct diag d, scratch;
	struct strbuf dot, svg, errs;
	struct graph_langs g = {0};
	char err[256];
	diag_init(&d);
	diag_init(&scratch);
	strbuf_init(&dot);
	strbuf_init(&svg);
	strbuf_init(&errs);
	struct flow *f = flow_parse(rel, buf, len, &d);
	if (!f) {
		staff_res_invalid(r, &d, NULL, NULL, NULL);
		goto out;
	}
	flows_check_graph(&f, 1, NULL, &scratch);
	load_langs(r->st, tenant, &g);
	const char *argv[] = {"dot", "-Tsvg", NULL};
	if (flow_dot(f, missing, &g, &dot) < 0) {
		internal(r, "out of memory (graph)");
		goto out;
	}
	int rc = sys_run(argv, dot.data, dot.len, DOT_TIMEOUT, SVG_MAX, &svg, &errs, err,
	                 sizeof(err));
	if (rc != 0 || !strbuf_ok(&svg)) {
		log_err("staff: dot: %s %s", rc < 0 ? err : "failed:", strbuf_str(&errs));
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
		                  "Das Bild konnte nicht erzeugt werden (Graphviz).");
		goto out;
	}
	staff_res_bytes(r, MHD_HTTP_OK, "image/svg+xml", svg.data, svg.len);
out:
	flow_free(f);
	free_langs(&g);
	diag_free(&d);
	diag_free(&scratch);
	strbuf_free(&dot);
	strbuf_free(&svg);
	strbuf_free(&errs);
}

/* ---- /api/flows/<t>/<f>[/<op>] ---- */

static void read_flow(struct req *r, const char *tenant, const char *stem, const char *rel,
                      const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	if (sys_read_file(path, STAFF_FILE_MAX, &buf, &len) != 0) {
		if (errno == ENOENT)
			not_found(r, "Diese Datei gibt es nicht.");
		else
			internal(r, strerror(errno));
		return;
	}
	json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "tenant", tenant, "flow", stem, "path", rel,
	                      "yaml", staff_jtext(buf, len));
	staff_revision_fields(r->st, rel, buf, len, true, o);
	free(buf);
	staff_res_json(r, MHD_HTTP_OK, o);
}

static void publish_flow(struct req *r, const char *tenant, const char *name)
{
	long long base = 0;
	const char *hash = NULL;
	json_t *body = NULL;
	if (!staff_need_editor(r) || !(body = staff_body_json(r)) || !staff_base(r, body, &base, &hash))
		goto out;
	const char *yaml = staff_jstr(body, "yaml");
	if (!yaml) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "\"yaml\" fehlt.");
		goto out;
	}
	staff_publish_tenant_file(r, tenant, name, yaml, strlen(yaml), staff_jstr(body, "message"),
	                          base, hash, "publish", MHD_HTTP_OK);
out:
	json_decref(body);
}

static void check_flow(struct req *r, const char *tenant, const char *name, const char *rel)
{
	json_t *body = staff_body_json(r);
	const char *yaml = body ? staff_jstr(body, "yaml") : NULL;
	if (body && !yaml)
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "\"yaml\" fehlt.");
	if (yaml) {
		bool ok = staff_trial(r, tenant, name, yaml, strlen(yaml), NULL) == 0;
		staff_audit(r->st, r->sess.name, "check", "%s %s", rel, ok ? "ok" : "errors");
		if (ok)
			staff_res_json(r, MHD_HTTP_OK,
			                 json_pack("{s:b,s:[]}", "ok", 1, "errors"));
	}
	json_decref(body);
}

static void flow_graph(struct req *r, const char *tenant, const char *rel, const char *path)
{
	if (!strcmp(r->method, MHD_HTTP_METHOD_POST)) {
		json_t *body = staff_body_json(r);
		const char *yaml = body ? staff_jstr(body, "yaml") : NULL;
		if (body && !yaml)
			staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "\"yaml\" fehlt.");
		if (yaml)
			graph(r, tenant, rel, yaml, strlen(yaml));
		json_decref(body);
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	if (sys_read_file(path, STAFF_FILE_MAX, &buf, &len) != 0) {
		not_found(r, "Diese Datei gibt es nicht.");
		return;
	}
	graph(r, tenant, rel, buf, len);
	free(buf);
}

/* True if tenant names a tenant folder; answers 404 otherwise. */
static bool tenant_ok(struct req *r, const char *tenant)
{
	char p[4096];
	struct stat sb;
	snprintf(p, sizeof(p), "%s/%s/tenant.yaml", r->st->flows_dir, tenant);
	if (staff_id_ok(tenant) && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
		return true;
	not_found(r, "Dieses Bildungsbüro gibt es nicht.");
	return false;
}

void staff_flows(struct req *r)
{
	if (r->nseg < 3 || r->nseg > 4)
		return not_found(r, "Das gibt es hier nicht.");
	const char *tenant = r->seg[1], *stem = r->seg[2], *op = r->nseg == 4 ? r->seg[3] : NULL;
	char name[128], rel[256], path[4400];
	if (!tenant_ok(r, tenant))
		return;
	if (!staff_id_ok(stem) || !strcmp(stem, "tenant") || !strcmp(stem, "offers"))
		return not_found(r, "Diesen Ablauf gibt es nicht.");
	snprintf(name, sizeof(name), "%s.yaml", stem);
	snprintf(rel, sizeof(rel), "flows/%s/%s", tenant, name);
	snprintf(path, sizeof(path), "%s/%s/%s", r->st->flows_dir, tenant, name);
	if (!op) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_PUT)) {
			if (!strcmp(r->method, MHD_HTTP_METHOD_GET))
				read_flow(r, tenant, stem, rel, path);
			else
				publish_flow(r, tenant, name);
		}
	} else if (!strcmp(op, "check")) {
		if (staff_method(r, MHD_HTTP_METHOD_POST, NULL))
			check_flow(r, tenant, name, rel);
	} else if (!strcmp(op, "preview")) {
		if (staff_method(r, MHD_HTTP_METHOD_POST, NULL))
			preview(r, tenant, name, rel);
	} else if (!strcmp(op, "revisions")) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			staff_revisions_list(r, rel);
	} else if (!strcmp(op, "graph.svg")) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_POST))
			flow_graph(r, tenant, rel, path);
	} else {
		not_found(r, "Das gibt es hier nicht.");
	}
}
