/* catalog.c - checking, compiling and installing catalogues: a .po is
 * checked by `msgfmt --check`, our PO reader and our .mo reader, then
 * published (publish.c) with its .mo installed into the catalogues folder
 * (both atomically); a rejected file changes nothing. */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/catalog.h"
#include "i18n/po.h"
#include "staff/audit.h"
#include "staff/catalog.h"
#include "staff/publish.h"
#include "staff/sys.h"

#define MSGFMT_TIMEOUT 60
#define PO_MAX (16u << 20)

static void internal(struct req *r, const char *what)
{
	staff_res_internal(r, what);
}

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
		staff_res_invalid(r, &d, prefix, "po/",
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

