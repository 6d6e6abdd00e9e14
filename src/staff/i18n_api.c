/* i18n_api.c - translations in the staff area: coverage per tenant and
 * language, the untranslated and fuzzy texts with their references,
 * downloading lotse.pot and <lang>.po, and uploading a .po: checked by
 * `msgfmt --check`, our PO reader and our .mo reader, then written and its
 * .mo installed (both atomically), stored as a revision and reloaded; a
 * rejected file changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/messages.h"
#include "content/scan.h"
#include "i18n/lang.h"
#include "i18n/po.h"
#include "staff/staff_priv.h"
#include "staff/sys.h"
#include "util/log.h"

#define MSGFMT_TIMEOUT 60
#define PO_MAX (16u << 20)

static void internal(struct req *r, const char *what)
{
	log_err("staff: %s", what);
	staff_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
}

static void not_found(struct req *r)
{
	staff_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Das gibt es hier nicht.");
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
		staff_reply_invalid(r, &d, NULL, NULL, NULL);
		goto out;
	}
	json_t *tenants = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct i18n_coverage *c = &rows[i];
		size_t total = c->translated + c->fuzzy + c->untranslated;
		double pct = total ? 100.0 * (double)c->translated / (double)total : 100.0;
		json_array_append_new(
			json_object_get(tenant_entry(tenants, c->tenant), "languages"),
			json_pack("{s:s,s:I,s:I,s:I,s:I,s:f}", "lang", c->lang, "translated",
			          (json_int_t)c->translated, "fuzzy", (json_int_t)c->fuzzy, "untranslated",
			          (json_int_t)c->untranslated, "total", (json_int_t)total, "percent",
			          (double)((long)(pct * 10 + 0.5)) / 10));
	}
	staff_reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "tenants", tenants));
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
		staff_reply_invalid(r, &d, NULL, NULL, NULL);
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
		add_text(&x, NULL, m->msgid, ref);
	}
	po_free((struct po_file *)x.po);
	scan_tenant_free(&tc);
	staff_reply_json(r, MHD_HTTP_OK, json_pack("{s:s,s:s,s:o}", "tenant", tenant, "lang", lang,
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

/* ---- checking and installing catalogues ---- */

static char *replace_all(const char *s, const char *from, const char *to);

/* Turns msgfmt's "file:line[:col]: message" lines into diagnostics. Other
 * lines ("msgfmt: /tmp/.../de.po: warning: ...") become messages with the
 * temporary folder shown as "po/", so a reply never shows the server's
 * temporary path. */
static void msgfmt_errors(const char *out, struct diag *d, const char *tmpfile,
                          const char *display)
{
	size_t tl = strlen(tmpfile);
	char tmpdir[4096];
	const char *slash = strrchr(tmpfile, '/');
	snprintf(tmpdir, sizeof(tmpdir), "%.*s", slash ? (int)(slash - tmpfile + 1) : 0, tmpfile);
	const char *p = out;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		int ln = 0, col = 0, used = 0;
		if (!strncmp(line, tmpfile, tl) && line[tl] == ':' &&
		    (sscanf(line + tl, ":%d:%d: %n", &ln, &col, &used) == 2 ||
		     (col = 0, used = 0, sscanf(line + tl, ":%d: %n", &ln, &used) == 1)) && used)
			diag_add(d, display, ln, col, "%s", line + tl + used);
		else if (len && strncmp(line, "msgfmt: found ", 14)) {   /* not the summary */
			const char *text = line + strspn(line, " \t");   /* continuation lines are
			                                                  indented to the path's length */
			char *shown = tmpdir[0] ? replace_all(text, tmpdir, "po/") : NULL;
			diag_add(d, display, 0, 0, "%s", shown ? shown : text);
			free(shown);
		}
		p += len + (nl ? 1 : 0);
	}
}

/* Compiles dir/<lang>.po into mo (msgfmt --check) and reads it back with
 * our reader; every problem goes into d (as po/<lang>.po). Returns 0/-1;
 * msgfmt's own output in *output. */
static int compile(const char *po, const char *mo, const char *display, struct diag *d,
                   struct strbuf *output)
{
	const char *argv[] = {"msgfmt", "--check", "-o", mo, po, NULL};
	struct strbuf sout;
	char err[256];
	strbuf_init(&sout);
	int rc = sys_run(argv, NULL, 0, MSGFMT_TIMEOUT, 1u << 20, &sout, output, err, sizeof(err));
	strbuf_free(&sout);
	if (rc != 0) {
		if (rc < 0)
			diag_add(d, display, 0, 0, "%s", err);
		msgfmt_errors(strbuf_str(output), d, po, display);
		if (!diag_count(d))
			diag_add(d, display, 0, 0, "msgfmt --check failed (status %d)", rc);
		return -1;
	}
	struct mo *m = mo_load(mo, d);
	mo_free(m);
	return m ? 0 : -1;
}

static int install(struct staff *st, const char *mo, const char *lang, char *err, size_t errlen)
{
	char *buf = NULL, name[80];
	size_t len = 0;
	if (sys_read_file(mo, PO_MAX, &buf, &len) != 0) {
		snprintf(err, errlen, "%s: %s", mo, strerror(errno));
		return -1;
	}
	snprintf(name, sizeof(name), "%s.mo", lang);
	int rc = sys_write_atomic(st->mo_dir, name, buf, len, err, errlen);
	free(buf);
	return rc;
}

int staff_install_mo(struct staff *st, const char *po_path, const char *lang, char *err,
                     size_t errlen)
{
	char tmp[4096], mo[4200], display[128];
	struct diag d;
	struct strbuf out;
	int rc = -1;
	diag_init(&d);
	strbuf_init(&out);
	snprintf(display, sizeof(display), "po/%s.po", lang);
	if (sys_mkdtemp(tmp, sizeof(tmp)) < 0) {
		snprintf(err, errlen, "cannot make a temporary folder");
		goto out;
	}
	snprintf(mo, sizeof(mo), "%s/%s.mo", tmp, lang);
	if (compile(po_path, mo, display, &d, &out) < 0) {
		char line[512];
		snprintf(err, errlen, "%s", d.n ? diag_format(&d, 0, line, sizeof(line)) : "msgfmt");
	} else {
		rc = install(st, mo, lang, err, errlen);
	}
	sys_remove_dir(tmp);
out:
	diag_free(&d);
	strbuf_free(&out);
	return rc;
}

/* A copy of s with every `from` replaced by `to` (caller frees). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	struct strbuf sb;
	size_t fl = strlen(from);
	strbuf_init(&sb);
	for (const char *hit; fl && (hit = strstr(s, from)); s = hit + fl) {
		strbuf_append(&sb, s, (size_t)(hit - s));
		strbuf_puts(&sb, to);
	}
	strbuf_puts(&sb, s);
	return strbuf_steal(&sb);
}

struct mo_install {
	const char *mo, *lang;
};

static int after_po(struct staff *st, void *ud, char *err, size_t errlen)
{
	const struct mo_install *m = ud;
	return install(st, m->mo, m->lang, err, errlen);
}

void staff_publish_po(struct req *r, const char *lang, const char *content, size_t len,
                      const char *message, bool check_revision, long long base_revision,
                      const char *base_hash, const char *action)
{
	char tmp[4096], po[4200], mo[4200], rel[128], name[80], prefix[4100];
	struct diag d;
	struct strbuf output;
	diag_init(&d);
	strbuf_init(&output);
	if (sys_mkdtemp(tmp, sizeof(tmp)) < 0) {
		internal(r, "cannot make a temporary folder");
		goto out;
	}
	snprintf(rel, sizeof(rel), "po/%s.po", lang);
	snprintf(name, sizeof(name), "%s.po", lang);
	snprintf(po, sizeof(po), "%s/%s", tmp, name);
	snprintf(mo, sizeof(mo), "%s/%s.mo", tmp, lang);
	snprintf(prefix, sizeof(prefix), "%s/", tmp);
	if (sys_write_file(po, content, len) != 0) {
		internal(r, "cannot write a temporary file");
		goto clean;
	}
	struct po_file *pf = NULL;
	if (compile(po, mo, rel, &d, &output) < 0 || !(pf = po_parse(rel, content, len, &d))) {
		staff_audit(r->st, r->sess.name, "po_rejected", "%s: %zu error%s", rel, diag_count(&d),
		            diag_count(&d) == 1 ? "" : "s");
		char *shown = replace_all(strbuf_str(&output), prefix, "po/");
		staff_reply_invalid(r, &d, prefix, "po/",
		                    json_pack("{s:o}", "output",
		                              staff_jtext(shown ? shown : "", shown ? strlen(shown) : 0)));
		free(shown);
		goto clean;
	}
	po_free(pf);
	struct mo_install mi = {mo, lang};
	struct publish p = {
		.tenant = "", .rel = rel, .dir = r->st->po_dir, .name = name, .content = content,
		.len = len, .message = message ? message : "", .check_revision = check_revision,
		.base_revision = base_revision, .base_hash = base_hash, .action = action,
		.after = after_po, .after_ud = &mi,
	};
	staff_publish(r, &p, MHD_HTTP_OK);
clean:
	sys_remove_dir(tmp);
out:
	diag_free(&d);
	strbuf_free(&output);
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
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(buf);
		staff_send(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	staff_hash_hex(buf, len, hash);
	long long latest = store_revision_latest(r->st->db, rel);
	snprintf(rev, sizeof(rev), "%lld", latest > 0 ? latest : 0);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", file);
	staff_api_headers(resp, "text/x-gettext-translation; charset=utf-8");
	MHD_add_response_header(resp, "Content-Disposition", disp);
	MHD_add_response_header(resp, "X-Lotse-Hash", hash);
	MHD_add_response_header(resp, "X-Lotse-Revision", rev);
	staff_send(r, MHD_HTTP_OK, resp);
}

static void upload(struct req *r, const char *lang)
{
	const char *br = staff_query(r, "base_revision"), *bh = staff_query(r, "base_hash");
	const char *msg = staff_query(r, "message");
	char *end = NULL;
	long long base = br && *br ? strtoll(br, &end, 10) : 0;
	if (!staff_need_editor(r))
		return;
	if ((br && *br && (*end || base < 0))) {
		staff_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
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
