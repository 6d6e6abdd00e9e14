/* auth.c - staff sessions: session cookies (random ids stored only as
 * hashes) started by a login (login.c: passwords, limits), inactivity
 * timeout, CSRF tokens and roles. Answers go into the request's result
 * (result.h). */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "staff/audit.h"
#include "staff/auth.h"
#include "staff/request.h"
#include "staff/util.h"
#include "util/log.h"

/* A JSON answer (200) with a Set-Cookie header. */
static void reply_with_cookie(struct req *r, json_t *o, const char *value, bool clear)
{
	const char *proto = staff_header(r, "X-Forwarded-Proto");
	bool secure = r->st->secure || (proto && !strcasecmp(proto, "https"));
	char c[256];
	snprintf(c, sizeof(c), STAFF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s%s", value,
	         clear ? "; Max-Age=0" : "", secure ? "; Secure" : "");
	staff_res_json(r, MHD_HTTP_OK, o);
	staff_res_header(r, MHD_HTTP_HEADER_SET_COOKIE, c);
	sodium_memzero(c, sizeof(c));
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
	staff_res_error(r, MHD_HTTP_UNAUTHORIZED, "unauthorized", "Bitte melden Sie sich an.");
	return false;
}

static bool csrf_ok(struct req *r)
{
	const char *got = staff_header(r, "X-CSRF-Token");
	size_t want = strlen(r->sess.csrf);
	return got && want && strlen(got) == want && sodium_memcmp(got, r->sess.csrf, want) == 0;
}

bool staff_authenticate(struct req *r)
{
	struct staff *st = r->st;
	const char *hdr = staff_header(r, MHD_HTTP_HEADER_COOKIE);
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
		staff_res_error(r, MHD_HTTP_FORBIDDEN, "csrf",
		                  "Der Sicherheitsschlüssel (X-CSRF-Token) fehlt oder stimmt nicht.");
		return false;
	}
	return true;
}

bool staff_need_editor(struct req *r)
{
	if (!strcmp(r->sess.role, "editor") || !strcmp(r->sess.role, "admin"))
		return true;
	staff_res_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
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
	staff_res_json(r, MHD_HTTP_OK, session_json(r->sess.name, r->sess.role, r->sess.csrf,
	                                              r->st->timeout));
}
