/* api.c - the staff area's requests: body collection with a cap, the
 * routes of docs/staff.md, JSON answers with their security headers, and
 * the static staff pages and preview page (see staff.h). */
#include <ctype.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "net/http_util.h"
#include "net/webpath.h"
#include "staff/login.h"
#include "staff/staff_priv.h"
#include "staff/util.h"
#include "util/log.h"
#include "util/utf8.h"

static const char api_csp[] = "default-src 'none'; frame-ancestors 'none'";
/* The staff pages; frame-src: the kiosk page (previews), %s twice. */
static const char pages_csp[] =
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
	"connect-src 'self'; frame-src 'self' %s; object-src 'none'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'";

/* ---- answers ---- */

void staff_api_headers(struct MHD_Response *resp, const char *type)
{
	http_base_headers(resp, type, "no-store", true);
	MHD_add_response_header(resp, "Content-Security-Policy", api_csp);
}

void staff_send(struct req *r, unsigned status, struct MHD_Response *resp)
{
	if (r->answered) {
		if (resp)
			MHD_destroy_response(resp);
		return;
	}
	r->answered = true;
	r->result = resp ? MHD_queue_response(r->c, status, resp) : MHD_NO;
	if (resp)
		MHD_destroy_response(resp);
}

void staff_reply_bytes(struct req *r, unsigned status, const char *type, const void *data,
                       size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	if (resp)
		staff_api_headers(resp, type);
	staff_send(r, status, resp);
}

void staff_reply_json(struct req *r, unsigned status, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!s) {
		staff_send(r, status, NULL);
		return;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(s);
		staff_send(r, status, NULL);
		return;
	}
	staff_api_headers(resp, "application/json; charset=utf-8");
	staff_send(r, status, resp);
}

void staff_reply_error(struct req *r, unsigned status, const char *code, const char *message)
{
	staff_reply_json(r, status, json_pack("{s:s,s:s}", "error", code, "message", message));
}

/* Replaces a leading tmp_prefix of file with display_prefix. */
static void display_name(const char *file, const char *tmp_prefix, const char *display_prefix,
                         char *out, size_t n)
{
	size_t tl = tmp_prefix ? strlen(tmp_prefix) : 0;
	if (tl && strncmp(file, tmp_prefix, tl) == 0)
		snprintf(out, n, "%s%s", display_prefix ? display_prefix : "", file + tl);
	else
		snprintf(out, n, "%s", file);
}

void staff_reply_invalid(struct req *r, struct diag *d, const char *tmp_prefix,
                         const char *display_prefix, json_t *extra)
{
	json_t *errs = json_array();
	diag_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		char file[1024];
		const struct diag_item *it = &d->items[i];
		display_name(it->file ? it->file : "", tmp_prefix, display_prefix, file, sizeof(file));
		json_array_append_new(errs, json_pack("{s:o,s:i,s:i,s:o}", "file",
		                                      staff_jtext(file, strlen(file)), "line", it->line,
		                                      "col", it->col, "message",
		                                      staff_jtext(it->message, strlen(it->message))));
	}
	if (d->dropped)
		json_array_append_new(errs, json_pack("{s:s,s:i,s:i,s:s}", "file", "", "line", 0, "col",
		                                      0, "message", "... weitere Fehler"));
	json_t *o = json_pack("{s:s,s:s,s:b,s:o}", "error", "invalid", "message",
	                      "Die Prüfung hat Fehler gefunden.", "ok", 0, "errors", errs);
	if (o && extra)
		json_object_update(o, extra);
	json_decref(extra);
	staff_reply_json(r, MHD_HTTP_UNPROCESSABLE_CONTENT, o);
}

json_t *staff_jtext(const char *buf, size_t n)
{
	if (utf8_invalid_at(buf, n) == n)
		return json_stringn(buf, n);
	struct strbuf sb;
	strbuf_init(&sb);
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		if (utf8_decode(buf + i, n - i, &len) < 0)
			strbuf_puts(&sb, "\xEF\xBF\xBD");
		else
			strbuf_append(&sb, buf + i, len);
		i += len;
	}
	json_t *s = strbuf_ok(&sb) ? json_stringn(sb.data ? sb.data : "", sb.len) : NULL;
	strbuf_free(&sb);
	return s;
}

const char *staff_jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *staff_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, key);
}

void staff_hash_hex(const void *data, size_t len, char *out)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), data, len, NULL, 0);
	sodium_bin2hex(out, STAFF_HASH_HEX, h, sizeof(h));
}

bool staff_id_ok(const char *s)
{
	size_t n = 0;
	for (; s && s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return n >= 1 && n <= 64;
}

bool staff_method(struct req *r, const char *a, const char *b)
{
	if (!strcmp(r->method, a) || (b && !strcmp(r->method, b)))
		return true;
	char allow[32];
	/* api() answers HEAD wherever GET is allowed */
	bool head = (!strcmp(a, MHD_HTTP_METHOD_GET) || (b && !strcmp(b, MHD_HTTP_METHOD_GET))) &&
	            !(b && !strcmp(b, MHD_HTTP_METHOD_HEAD));
	snprintf(allow, sizeof(allow), "%s%s%s%s", a, b ? ", " : "", b ? b : "", head ? ", HEAD" : "");
	json_t *o = json_pack("{s:s,s:s}", "error", "method", "message",
	                      "Diese Methode ist hier nicht erlaubt.");
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	struct MHD_Response *resp = s ? MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE) : NULL;
	if (!resp)
		free(s);
	if (resp) {
		staff_api_headers(resp, "application/json; charset=utf-8");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	}
	staff_send(r, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
	return false;
}

json_t *staff_body_json(struct req *r)
{
	const char *type = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t tl = strlen("application/json");
	if (!type || strncasecmp(type, "application/json", tl) != 0 ||
	    (type[tl] && type[tl] != ';' && type[tl] != ' ')) {
		staff_reply_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "media_type",
		                  "Erwartet wird Content-Type: application/json.");
		return NULL;
	}
	json_error_t e;
	json_t *o = json_loadb(r->body.data ? r->body.data : "", r->body.len,
	                       JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(o)) {
		json_decref(o);
		staff_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                  "Die Anfrage ist kein gültiges JSON-Objekt.");
		return NULL;
	}
	return o;
}

/* ---- static files ---- */

static void redirect(struct req *r, const char *to)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
	                                                            MHD_RESPMEM_PERSISTENT);
	if (resp) {
		staff_api_headers(resp, "text/plain; charset=utf-8");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, to);
	}
	staff_send(r, MHD_HTTP_FOUND, resp);
}

static void not_found(struct req *r)
{
	staff_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Das gibt es hier nicht.");
}

/* Hostname of the request's Host header ("[::1]" kept in brackets). */
static void request_host(struct req *r, char *out, size_t n)
{
	const char *h = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	size_t len = 0;
	if (h && h[0] == '[') {
		const char *e = strchr(h, ']');
		len = e ? (size_t)(e - h) + 1 : 0;
	} else if (h) {
		len = strcspn(h, ":");
	}
	bool ok = len > 0 && len < n;
	for (size_t i = 0; ok && i < len; i++)
		ok = isalnum((unsigned char)h[i]) || strchr(".-[]:", h[i]);
	snprintf(out, n, "%.*s", ok ? (int)len : 9, ok ? h : "127.0.0.1");
}

int staff_kiosk_origin(struct req *r, char *out, size_t n)
{
	struct staff *st = r->st;
	int port = atomic_load(&st->kiosk_port);
	const char *proto = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	const char *kh = st->kiosk_host;
	char host[300];
	if (!port)
		return -1;
	if (!strcmp(kh, "0.0.0.0") || !strcmp(kh, "::") || !*kh)
		request_host(r, host, sizeof(host));
	else
		snprintf(host, sizeof(host), strchr(kh, ':') ? "[%s]" : "%s", kh);
	snprintf(out, n, "%s://%s:%d", proto && !strcasecmp(proto, "https") ? "https" : "http", host,
	         port);
	return 0;
}

/* Serves url (below the prefix already removed) from folder dir. */
static void serve_file(struct req *r, const char *dir, const char *url)
{
	char rel[WEBPATH_MAX], csp[1024], kiosk[400] = "";
	size_t size = 0;
	const char *type = NULL;
	int dfd = -1, fd = -1;
	if (!staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_HEAD))
		return;
	if (webpath_check(url, rel, sizeof(rel)) < 0 || !(type = webpath_mime(rel)) ||
	    (dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (fd = webpath_open(dfd, rel, &size)) < 0) {
		if (dfd >= 0)
			close(dfd);
		not_found(r);
		return;
	}
	close(dfd);
	struct MHD_Response *resp = MHD_create_response_from_fd(size, fd);
	if (!resp) {
		close(fd);
		staff_send(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	staff_kiosk_origin(r, kiosk, sizeof(kiosk));
	snprintf(csp, sizeof(csp), pages_csp, kiosk);
	http_base_headers(resp, type, "no-cache", true);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	staff_send(r, MHD_HTTP_OK, resp);
}

static void statics(struct req *r)
{
	char dir[4096];
	if (!strcmp(r->url, "/staff"))
		return redirect(r, "/staff/");
	if (!strcmp(r->url, "/")) {   /* the staff address's root: the staff pages */
		if (staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_HEAD))
			redirect(r, "/staff/");
		return;
	}
	if (!strncmp(r->url, "/staff/", 7)) {
		snprintf(dir, sizeof(dir), "%s/staff", r->st->ui_dir);
		return serve_file(r, dir, r->url + 6);
	}
	not_found(r);
}

/* ---- the API ---- */

/* Splits the part after "/api/" into segments (staff_path_split). */
static bool split_path(struct req *r)
{
	snprintf(r->path, sizeof(r->path), "%s", r->url + 5);
	int n = staff_path_split(r->path, r->seg, STAFF_MAX_SEGS);
	r->nseg = n > 0 ? (size_t)n : 0;
	return n > 0;
}

static bool is(const struct req *r, size_t i, const char *s)
{
	return i < r->nseg && !strcmp(r->seg[i], s);
}

/* GET /api/revisions?path=flows/<t>/<file> */
static void revisions_of(struct req *r)
{
	const char *path = staff_query(r, "path");
	char t[80], d[4096], n[128];
	if (!path || staff_resolve(r->st, path, t, sizeof(t), d, sizeof(d), n, sizeof(n)) < 0)
		return not_found(r);
	staff_revisions_list(r, path);
}

static void route(struct req *r)
{
	if (is(r, 0, "tenants") && r->nseg == 1) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			staff_tenants(r);
	} else if (is(r, 0, "flows")) {
		staff_flows(r);
	} else if (is(r, 0, "revisions") && r->nseg == 1) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			revisions_of(r);
	} else if (is(r, 0, "revisions") && r->nseg == 2) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			staff_revision_get(r);
	} else if (is(r, 0, "revisions") && r->nseg == 4 && is(r, 2, "diff")) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			staff_revision_diff(r);
	} else if (is(r, 0, "revisions") && r->nseg == 3 && is(r, 2, "rollback")) {
		if (staff_method(r, MHD_HTTP_METHOD_POST, NULL))
			staff_revision_rollback(r);
	} else if (is(r, 0, "offers")) {
		staff_offers(r);
	} else if (is(r, 0, "translations")) {
		staff_translations(r);
	} else if (is(r, 0, "po") && r->nseg == 2) {
		staff_po(r);
	} else if (is(r, 0, "audit") && r->nseg == 1) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			staff_audit_list(r);
	} else if (is(r, 0, "session") && r->nseg == 1) {
		if (staff_method(r, MHD_HTTP_METHOD_GET, NULL))
			staff_session_info(r);
	} else if (is(r, 0, "logout") && r->nseg == 1) {
		if (staff_method(r, MHD_HTTP_METHOD_POST, NULL))
			staff_logout(r);
	} else {
		not_found(r);
	}
}

static void api(struct req *r)
{
	bool ok = !strncmp(r->url, "/api/", 5) && split_path(r);
	/* HEAD is answered as GET; libmicrohttpd sends the headers without the body. */
	if (!strcmp(r->method, MHD_HTTP_METHOD_HEAD))
		r->method = MHD_HTTP_METHOD_GET;
	if (ok && is(r, 0, "login") && r->nseg == 1) {
		if (staff_method(r, MHD_HTTP_METHOD_POST, NULL))
			staff_login(r);
		return;
	}
	/* nothing, not even "not found", without a session */
	if (!staff_authenticate(r))
		return;
	if (!ok)
		return not_found(r);
	route(r);
}

/* ---- libmicrohttpd glue ---- */

bool staff_wants(void *ud, const char *url)
{
	(void)ud;
	return !strcmp(url, "/") || !strcmp(url, "/api") || !strncmp(url, "/api/", 5) ||
	       !strcmp(url, "/staff") || !strncmp(url, "/staff/", 7);
}

static bool body_allowed(const char *method)
{
	return !strcmp(method, MHD_HTTP_METHOD_POST) || !strcmp(method, MHD_HTTP_METHOD_PUT);
}

/* First call: the headers. Allocates the request state (freed by
 * staff_completed). */
static enum MHD_Result begin(struct staff *st, struct MHD_Connection *c, const char *url,
                             const char *method, void **con_cls)
{
	struct req *r = calloc(1, sizeof(*r));
	if (!r)
		return MHD_NO;
	r->st = st;
	r->c = c;
	r->method = method;
	snprintf(r->url, sizeof(r->url), "%s", url);
	strbuf_init(&r->body);
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > STAFF_BODY_MAX)
		r->too_large = true;
	*con_cls = r;
	return MHD_YES;
}

int staff_handle(void *ud, struct MHD_Connection *c, const char *url, const char *method,
                 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct staff *st = ud;
	if (!*con_cls)
		return begin(st, c, url, method, con_cls);
	struct req *r = *con_cls;
	if (*upload_data_size) {
		/* other methods' bodies are discarded: they get 401 or 405 */
		if (body_allowed(method) && r->body.len + *upload_data_size > STAFF_BODY_MAX)
			r->too_large = true;
		else if (body_allowed(method))
			strbuf_append(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->answered)
		return r->result;
	if (r->login)   /* resumed after its password check (login.c) */
		return staff_login_resume(r);
	r->result = MHD_YES;
	staff_retention_tick(st, (long long)time(NULL));
	if (r->too_large || !strbuf_ok(&r->body))
		staff_reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
		                  "Die Anfrage ist zu groß (höchstens 2 MiB).");
	else if (!strcmp(url, "/api") || !strncmp(url, "/api/", 5))
		api(r);
	else
		statics(r);
	if (staff_login_waiting(r))
		return MHD_YES;   /* suspended until the password check ends */
	if (!r->answered) {
		log_err("staff: no answer for %s %s", method, url);
		staff_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
		                  "Interner Fehler.");
	}
	return r->result;
}

/* Frees the request state. */
void staff_completed(void *ud, void **con_cls)
{
	(void)ud;
	struct req *r = *con_cls;
	if (!r)
		return;
	staff_login_free(r);
	strbuf_free(&r->body);
	free(r);
	*con_cls = NULL;
}
