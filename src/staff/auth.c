/* auth.c - staff login with argon2id password hashes, session cookies
 * (random ids stored only as hashes), inactivity timeout, CSRF tokens,
 * the failed-login rate limit and roles. Answers go into the request's
 * result (result.h). */
#include <microhttpd.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "staff/audit.h"
#include "staff/auth.h"
#include "staff/request.h"
#include "staff/util.h"
#include "util/log.h"

#define PASSWORD_MAX 1024

/* The client's address as text (numeric). */
static void client_addr(struct req *r, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "unknown");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                          : sizeof(struct sockaddr_in);
	if (getnameinfo(sa, len, out, (socklen_t)n, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(out, n, "unknown");
}

/* Seconds to wait before key may try again (0: now). */
static long wait_for(struct staff *st, const char *key, size_t limit, long long now)
{
	long long times[STAFF_FAIL_ADDR + 1];
	int n = store_failure_times(st->db, key, now - STAFF_FAIL_WINDOW + 1, times,
	                            sizeof(times) / sizeof(times[0]));
	if (n < 0) {
		log_err("staff: %s", store_error(st->db));
		return 60;    /* fail closed */
	}
	size_t kept = (size_t)n < limit + 1 ? (size_t)n : limit + 1;
	return staff_rate_wait(times, kept, limit, STAFF_FAIL_WINDOW, now);
}

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

static void too_many(struct req *r, long wait)
{
	char secs[32];
	snprintf(secs, sizeof(secs), "%ld", wait);
	json_t *o = json_pack("{s:s,s:s,s:I}", "error", "rate_limited", "message",
	                      "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie und versuchen "
	                      "Sie es dann erneut.",
	                      "retry_after", (json_int_t)wait);
	staff_res_json(r, MHD_HTTP_TOO_MANY_REQUESTS, o);
	staff_res_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
}

/* Checks the password; the same work whether or not the account exists. */
static bool password_ok(struct staff *st, const struct store_account *a, bool found,
                        const char *pw)
{
	const char *hash = found ? a->hash : st->dummy_hash;
	bool ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	return found && ok && !a->disabled;
}

static void failed(struct req *r, const char *name, const char *akey, const char *dkey,
                   const char *addr, long long now)
{
	struct staff *st = r->st;
	if (store_failure_add(st->db, akey, now) < 0 || store_failure_add(st->db, dkey, now) < 0)
		log_err("staff: %s", store_error(st->db));
	staff_audit(st, NULL, "login_failed", "name=%s addr=%s", name, addr);
	staff_res_error(r, MHD_HTTP_UNAUTHORIZED, "login_failed", STAFF_LOGIN_FAILED);
}

static void start_session(struct req *r, const struct store_account *a, const char *addr,
                          long long now)
{
	struct staff *st = r->st;
	char sid[STAFF_TOKEN_LEN + 1], csrf[STAFF_TOKEN_LEN + 1], hash[STAFF_HASH_HEX];
	random_token(sid);
	random_token(csrf);
	staff_hash_hex(sid, strlen(sid), hash);
	char akey[STORE_NAME_MAX + 16];
	snprintf(akey, sizeof(akey), "account:%s", a->name);
	if (store_session_add(st->db, hash, a->id, csrf, now) < 0 ||
	    store_failure_clear(st->db, akey) < 0) {
		log_err("staff: %s", store_error(st->db));
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
		return;
	}
	staff_audit(st, a->name, "login", "addr=%s", addr);
	reply_with_cookie(r, session_json(a->name, a->role, csrf, st->timeout), sid, false);
	sodium_memzero(sid, sizeof(sid));
}

void staff_login(struct req *r)
{
	struct staff *st = r->st;
	json_t *body = staff_body_json(r);
	if (!body)
		return;
	const char *name = staff_jstr(body, "name"), *pw = staff_jstr(body, "password");
	if (!name || !pw || strlen(name) > STORE_NAME_MAX || strlen(pw) > PASSWORD_MAX) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                  "Name und Passwort werden als Text erwartet.");
		goto out;
	}
	long long now = (long long)time(NULL);
	char addr[128], akey[STORE_NAME_MAX + 16], dkey[160];
	client_addr(r, addr, sizeof(addr));
	snprintf(akey, sizeof(akey), "account:%s", name);
	snprintf(dkey, sizeof(dkey), "addr:%s", addr);
	store_failure_expire(st->db, now - 2 * STAFF_FAIL_WINDOW);
	store_session_expire(st->db, now - st->timeout);
	long wa = wait_for(st, akey, STAFF_FAIL_ACCOUNT, now);
	long wd = wait_for(st, dkey, STAFF_FAIL_ADDR, now);
	if (wa || wd) {
		staff_audit(st, NULL, "login_failed", "name=%s addr=%s rate-limited", name, addr);
		too_many(r, wa > wd ? wa : wd);
		goto out;
	}
	struct store_account a;
	int found = store_account_get(st->db, name, &a);
	if (found < 0) {
		log_err("staff: %s", store_error(st->db));
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
		goto out;
	}
	if (!password_ok(st, &a, found == 1, pw))
		failed(r, name, akey, dkey, addr, now);
	else
		start_session(r, &a, addr, now);
	sodium_memzero(&a, sizeof(a));
out:
	json_decref(body);
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
