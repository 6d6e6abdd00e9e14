/* result.c - filling a staff request's result (see result.h): JSON
 * answers, errors, validation errors, bytes, staff pages and extra
 * headers. Creates no HTTP response (reply.c does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "staff/result.h"
#include "util/log.h"
#include "util/utf8.h"

bool staff_res_set(const struct req *r)
{
	return r->res.kind != STAFF_RES_NONE;
}

/* Claims the result for a new answer; false (and last_taken false) when
 * one is set already. */
static bool claim(struct req *r, unsigned status)
{
	if (staff_res_set(r)) {
		r->res.last_taken = false;
		return false;
	}
	r->res.status = status;
	r->res.fd = -1;
	r->res.last_taken = true;
	return true;
}

void staff_res_empty(struct req *r, unsigned status)
{
	if (claim(r, status))
		r->res.kind = STAFF_RES_EMPTY;
}

void staff_res_take(struct req *r, unsigned status, const char *type, char *data, size_t len)
{
	if (!data) {
		staff_res_empty(r, 500);
		return;
	}
	if (!claim(r, status)) {
		free(data);
		return;
	}
	r->res.kind = STAFF_RES_DATA;
	r->res.data = data;
	r->res.len = len;
	r->res.type = type;
}

void staff_res_bytes(struct req *r, unsigned status, const char *type, const void *data,
                     size_t len)
{
	if (staff_res_set(r)) {
		r->res.last_taken = false;
		return;
	}
	char *copy = malloc(len ? len : 1);
	if (copy && len)
		memcpy(copy, data, len);
	staff_res_take(r, status, type, copy, len);
}

void staff_res_json(struct req *r, unsigned status, json_t *o)
{
	if (staff_res_set(r)) {
		json_decref(o);
		r->res.last_taken = false;
		return;
	}
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!s) {
		staff_res_empty(r, status);
		return;
	}
	staff_res_take(r, status, "application/json; charset=utf-8", s, strlen(s));
}

void staff_res_error(struct req *r, unsigned status, const char *code, const char *message)
{
	staff_res_json(r, status, json_pack("{s:s,s:s}", "error", code, "message", message));
}

void staff_res_internal(struct req *r, const char *what)
{
	log_err("staff: %s", what);
	staff_res_error(r, 500, "internal", "Interner Fehler.");
}

void staff_res_file(struct req *r, const char *type, int fd, size_t size, const char *csp)
{
	if (!claim(r, 200)) {
		close(fd);
		return;
	}
	r->res.kind = STAFF_RES_FILE;
	r->res.fd = fd;
	r->res.size = size;
	r->res.type = type;
	r->res.page = true;
	snprintf(r->res.csp, sizeof(r->res.csp), "%s", csp);
}

void staff_res_header(struct req *r, const char *name, const char *value)
{
	struct staff_result *res = &r->res;
	if (!res->last_taken || res->nhdr == STAFF_RES_HEADERS ||
	    strlen(name) >= sizeof(res->hdr[0].name) || strlen(value) >= sizeof(res->hdr[0].value))
		return;
	snprintf(res->hdr[res->nhdr].name, sizeof(res->hdr[0].name), "%s", name);
	snprintf(res->hdr[res->nhdr].value, sizeof(res->hdr[0].value), "%s", value);
	res->nhdr++;
}

void staff_res_free(struct staff_result *res)
{
	free(res->data);
	res->data = NULL;
	if (res->kind == STAFF_RES_FILE && res->fd >= 0)
		close(res->fd);
	res->fd = -1;
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

void staff_res_invalid(struct req *r, struct diag *d, const char *tmp_prefix,
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
	staff_res_json(r, 422, o);
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
