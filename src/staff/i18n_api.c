/* i18n_api.c - translations in the staff area: coverage per tenant and
 * language, the untranslated and fuzzy texts with their references,
 * downloading lotse.pot and <lang>.po, and uploading a .po: checked by
 * `msgfmt --check`, our PO reader and our .mo reader, then written and its
 * .mo installed (both atomically), stored as a revision and reloaded; a
 * rejected file changes nothing. */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/messages.h"
#include "content/scan.h"
#include "i18n/lang.h"
#include "i18n/po.h"
#include "staff/access.h"
#include "staff/auth.h"
#include "staff/catalog.h"
#include "staff/i18n_api.h"
#include "staff/request.h"
#include "staff/sys.h"
#include "util/log.h"

#define MSGFMT_TIMEOUT 60
#define PO_MAX (16u << 20)   /* also in catalog.c */

static void internal(struct req *r, const char *what)
{
	staff_res_internal(r, what);
}

static void not_found(struct req *r)
{
	staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Das gibt es hier nicht.");
}

/* ---- coverage ---- */

static json_t *tenant_entry(json_t *tenants, const char *id)
{
	size_t i;
	json_t *t;
	json_array_foreach(tenants, i, t)
		if (!strcmp(staff_jstr(t, "id") ? staff_jstr(t, "id") : "", id))
			return t;
	t = json_pack("{s:s,s:[]}", "id", id, "languages");
	json_array_append_new(tenants, t);
	return t;
}

static void coverage(struct req *r)
{
	struct i18n_coverage *rows = NULL;
	size_t n = 0;
	struct diag d;
	diag_init(&d);
	if (content_i18n_coverage(r->st->flows_dir, r->st->po_dir, &rows, &n, &d) != 0) {
		staff_res_invalid(r, &d, NULL, NULL, NULL);
		goto out;
	}
	json_t *tenants = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct i18n_coverage *c = &rows[i];
		if (!staff_may_see(r, c->tenant))
			continue;   /* an office the account may not see */
		size_t total = c->translated + c->fuzzy + c->untranslated;
		double pct = total ? 100.0 * (double)c->translated / (double)total : 100.0;
		json_array_append_new(
			json_object_get(tenant_entry(tenants, c->tenant), "languages"),
			json_pack("{s:s,s:I,s:I,s:I,s:I,s:f}", "lang", c->lang, "translated",
			          (json_int_t)c->translated, "fuzzy", (json_int_t)c->fuzzy, "untranslated",
			          (json_int_t)c->untranslated, "total", (json_int_t)total, "percent",
			          (double)((long)(pct * 10 + 0.5)) / 10));
	}
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:o}", "tenants", tenants));
out:
	free(rows);
	diag_free(&d);
}

/* ---- the texts of one language ---- */

struct texts {
	const struct po_file *po;
	const char *tenant;
	json_t *list;             /* of {msgid, context, state, refs} */
};

static bool same_ctx(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Adds a reference to the text's entry (creating it when it needs
 * translating). */
static void add_text(struct texts *x, const char *ctx, const char *msgid, const char *ref)
{
	const struct po_entry *e = x->po ? po_find(x->po, ctx, msgid) : NULL;
	if (e && e->translated && !e->fuzzy)
		return;
	size_t i;
	json_t *t;
	json_array_foreach(x->list, i, t) {
		json_t *c = json_object_get(t, "context");
		if (!strcmp(staff_jstr(t, "msgid"), msgid) &&
		    same_ctx(json_is_string(c) ? json_string_value(c) : NULL, ctx)) {
			json_array_append_new(json_object_get(t, "refs"), json_string(ref));
			return;
		}
	}
	t = json_pack("{s:s,s:s?,s:s,s:[s]}", "msgid", msgid, "context", ctx, "state",
	              e && e->fuzzy ? "fuzzy" : "untranslated", "refs", ref);
	json_array_append_new(x->list, t);
}

static void each_text(void *ud, const struct text *t, const char *file, const char *role)
{
	(void)role;
	struct texts *x = ud;
	char ref[512];
	const char *slash = strrchr(file, '/');
	snprintf(ref, sizeof(ref), "flows/%s/%s:%d", x->tenant, slash ? slash + 1 : file, t->line);
	add_text(x, t->context, t->msgid, ref);
}

static void texts(struct req *r, const char *tenant, const char *lang)
{
	struct tenant_content tc;
	struct diag d;
	char dir[4096], po[4096];
	diag_init(&d);
	snprintf(dir, sizeof(dir), "%s/%s", r->st->flows_dir, tenant);
	snprintf(po, sizeof(po), "%s/%s.po", r->st->po_dir, lang);
	if (!staff_id_ok(tenant) || !staff_id_ok(lang) || !lang_find(lang)) {
		not_found(r);
		goto out;
	}
	if (scan_tenant(dir, tenant, &tc, &d) != 0) {
		scan_tenant_free(&tc);
		staff_res_invalid(r, &d, NULL, NULL, NULL);
		goto out;
	}
	struct diag pd;
	diag_init(&pd);
	struct texts x = {.po = po_load(po, &pd), .tenant = tenant, .list = json_array()};
	diag_free(&pd);
	scan_each_text(&tc, each_text, &x);
	for (const struct ui_msg *m = ui_messages; m->msgid; m++) {
		char ref[300];
		snprintf(ref, sizeof(ref), "%s:%d", m->file, m->line);
		add_text(&x, m->context, m->msgid, ref);
	}
	po_free((struct po_file *)x.po);
	scan_tenant_free(&tc);
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:s,s:s,s:o}", "tenant", tenant, "lang", lang,
	                                           "texts", x.list));
out:
	diag_free(&d);
}

void staff_translations(struct req *r)
{
	if (!staff_method(r, MHD_HTTP_METHOD_GET, NULL))
		return;
	if (r->nseg == 1)
		coverage(r);
	else if (r->nseg == 3)
		texts(r, r->seg[1], r->seg[2]);
	else
		not_found(r);
}

/* ---- /api/po/<file> ---- */

static void download(struct req *r, const char *file, const char *rel)
{
	char path[4096], *buf = NULL, hash[STAFF_HASH_HEX], disp[160], rev[32];
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/%s", r->st->po_dir, file);
	if (sys_read_file(path, PO_MAX, &buf, &len) != 0) {
		if (errno == ENOENT)
			not_found(r);
		else
			internal(r, strerror(errno));
		return;
	}
	staff_hash_hex(buf, len, hash);
	long long latest = store_revision_latest(r->st->db, rel);
	snprintf(rev, sizeof(rev), "%lld", latest > 0 ? latest : 0);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", file);
	staff_res_take(r, MHD_HTTP_OK, "text/x-gettext-translation; charset=utf-8", buf, len);
	staff_res_header(r, "Content-Disposition", disp);
	staff_res_header(r, "X-Lotse-Hash", hash);
	staff_res_header(r, "X-Lotse-Revision", rev);
}

static void upload(struct req *r, const char *lang)
{
	const char *br = staff_query(r, "base_revision"), *bh = staff_query(r, "base_hash");
	const char *msg = staff_query(r, "message");
	char *end = NULL;
	long long base = br && *br ? strtoll(br, &end, 10) : 0;
	if (!staff_need_editor(r) || !staff_need_catalogue_writer(r))
		return;
	if ((br && *br && (*end || base < 0))) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                  "\"base_revision\" muss eine Zahl sein.");
		return;
	}
	staff_publish_po(r, lang, r->body.data ? r->body.data : "", r->body.len, msg,
	                 br && *br, base, bh && *bh ? bh : NULL, "po_upload");
}

void staff_po(struct req *r)
{
	const char *file = r->seg[1];
	size_t l = strlen(file);
	char lang[64], rel[128];
	if (!strcmp(file, "lotse.pot")) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			download(r, file, "po/lotse.pot");
		return;
	}
	if (l < 4 || l - 3 >= sizeof(lang) || strcmp(file + l - 3, ".po"))
		return not_found(r);
	snprintf(lang, sizeof(lang), "%.*s", (int)(l - 3), file);
	if (!staff_id_ok(lang) || !lang_find(lang))
		return not_found(r);
	snprintf(rel, sizeof(rel), "po/%s", file);
	if (!staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_PUT))
		return;
	if (!strcmp(r->method, MHD_HTTP_METHOD_GET))
		download(r, file, rel);
	else
		upload(r, lang);
}
