/* auth.c - staff sessions: session cookies (random ids stored only as
 * hashes) started by a login (login.c: passwords, limits), inactivity
 * timeout, CSRF tokens, roles and the audit log. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "staff/staff_priv.h"
#include "staff/util.h"
#include "util/log.h"

void staff_audit(struct staff *st, const char *account, const char *action, const char *fmt, ...)
{
	char detail[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (store_audit_add(st->db, (long long)time(NULL), account, action, detail) < 0)
		log_err("staff: audit log: %s", store_error(st->db));
	log_info("staff: %s %s %s", account ? account : "-", action, detail);
}

static void set_cookie(struct req *r, struct MHD_Response *resp, const char *value, bool clear)
{
	const char *proto = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	bool secure = r->st->secure || (proto && !strcasecmp(proto, "https"));
	char c[256];
	snprintf(c, sizeof(c), STAFF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s%s", value,
	         clear ? "; Max-Age=0" : "", secure ? "; Secure" : "");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, c);
}

/* Sends a JSON answer with a Set-Cookie header. */
static void reply_with_cookie(struct req *r, json_t *o, const char *value, bool clear)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	struct MHD_Response *resp =
		s ? MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE) : NULL;
	if (!resp) {
		free(s);
		staff_send(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	staff_api_headers(resp, "application/json; charset=utf-8");
	set_cookie(r, resp, value, clear);
	staff_send(r, MHD_HTTP_OK, resp);
}

static void random_token(char *out)
{
	unsigned char b[STAFF_TOKEN_BYTES];
	randombytes_buf(b, sizeof(b));
	staff_b64url(b, sizeof(b), out, STAFF_TOKEN_LEN + 1);
	sodium_memzero(b, sizeof(b));
}

static json_t *session_json(const char *name, const char *role, const char *csrf, int timeout)
{
	return json_pack("{s:s,s:s,s:s,s:i}", "name", name, "role", role, "csrf", csrf, "timeout",
	                 timeout);
}

int staff_session_start(struct req *r, const struct store_account *a, const char *addr,
                        long long now)
{
	struct staff *st = r->st;
	char sid[STAFF_TOKEN_LEN + 1], csrf[STAFF_TOKEN_LEN + 1], hash[STAFF_HASH_HEX];
	random_token(sid);
	random_token(csrf);
	staff_hash_hex(sid, strlen(sid), hash);
	if (store_session_add(st->db, hash, a->id, csrf, now) < 0) {
		sodium_memzero(sid, sizeof(sid));
		return -1;
	}
	staff_audit(st, a->name, "login", "addr=%s", addr);
	reply_with_cookie(r, session_json(a->name, a->role, csrf, st->timeout), sid, false);
	sodium_memzero(sid, sizeof(sid));
	return 0;
}

static bool unauthorized(struct req *r)
{
	staff_reply_error(r, MHD_HTTP_UNAUTHORIZED, "unauthorized", "Bitte melden Sie sich an.");
	return false;
}

static bool csrf_ok(struct req *r)
{
	const char *got = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "X-CSRF-Token");
	size_t want = strlen(r->sess.csrf);
	return got && want && strlen(got) == want && sodium_memcmp(got, r->sess.csrf, want) == 0;
}

bool staff_authenticate(struct req *r)
{
	struct staff *st = r->st;
	const char *hdr = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	char sid[STAFF_TOKEN_LEN + 2];
	if (staff_cookie_find(hdr, STAFF_COOKIE, sid, sizeof(sid)) != 1 || !staff_token_valid(sid))
		return unauthorized(r);
	staff_hash_hex(sid, strlen(sid), r->sid_hash);
	long long now = (long long)time(NULL);
	int found = store_session_get(st->db, r->sid_hash, &r->sess);
	if (found < 0)
		log_err("staff: %s", store_error(st->db));
	if (found != 1 || r->sess.disabled)
		return unauthorized(r);
	if (r->sess.last_seen + st->timeout < now) {
		store_session_delete(st->db, r->sid_hash);
		return unauthorized(r);
	}
	if (r->sess.last_seen < now && store_session_touch(st->db, r->sid_hash, now) < 0)
		log_err("staff: %s", store_error(st->db));
	r->authed = true;
	bool write = strcmp(r->method, MHD_HTTP_METHOD_GET) && strcmp(r->method, MHD_HTTP_METHOD_HEAD);
	if (write && !csrf_ok(r)) {
		staff_reply_error(r, MHD_HTTP_FORBIDDEN, "csrf",
		                  "Der Sicherheitsschlüssel (X-CSRF-Token) fehlt oder stimmt nicht.");
		return false;
	}
	return true;
}

bool staff_need_editor(struct req *r)
{
	if (!strcmp(r->sess.role, "editor"))
		return true;
	staff_reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
	                  "Mit einem Lesezugang können Sie nichts ändern.");
	return false;
}

void staff_logout(struct req *r)
{
	if (store_session_delete(r->st->db, r->sid_hash) < 0)
		log_err("staff: %s", store_error(r->st->db));
	staff_audit(r->st, r->sess.name, "logout", "%s", "");
	reply_with_cookie(r, json_pack("{s:b}", "ok", 1), "", true);
}

void staff_session_info(struct req *r)
{
	staff_reply_json(r, MHD_HTTP_OK, session_json(r->sess.name, r->sess.role, r->sess.csrf,
	                                              r->st->timeout));
}

struct audit_ctx {
	json_t *list;
};

static void audit_row(void *ud, const struct store_audit_entry *e)
{
	struct audit_ctx *x = ud;
	json_array_append_new(x->list, json_pack("{s:I,s:I,s:s?,s:s,s:s}", "id", (json_int_t)e->id,
	                                         "at", (json_int_t)e->at, "account", e->account,
	                                         "action", e->action ? e->action : "", "detail",
	                                         e->detail ? e->detail : ""));
}

void staff_audit_list(struct req *r)
{
	const char *l = staff_query(r, "limit"), *b = staff_query(r, "before");
	long limit = l ? strtol(l, NULL, 10) : 100;
	long long before = b ? strtoll(b, NULL, 10) : 0;
	if (limit < 1 || limit > 1000)
		limit = 100;
	struct audit_ctx x = {json_array()};
	if (store_audit_each(r->st->db, before, (int)limit, audit_row, &x) < 0) {
		json_decref(x.list);
		staff_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
		return;
	}
	staff_reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "entries", x.list));
}
