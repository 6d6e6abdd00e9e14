/* login.c - POST /api/login (see login.h and docs/staff.md "Login"): the
 * client's address (X-Forwarded-For only from trusted proxies), kept only
 * as a keyed hash; the failed-login limit per account and per address,
 * which fails closed (a failure that cannot be recorded refuses the login
 * with 503); refused logins counted per key and hour; password checks on
 * the hash workers with the connection suspended; and the hourly pruning of
 * the audit log and the login tables. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "staff/hashq.h"
#include "staff/login.h"
#include "staff/audit.h"
#include "staff/auth.h"
#include "staff/request.h"
#include "staff/result.h"
#include "staff/state.h"
#include "staff/util.h"
#include "staff/xff.h"
#include "util/log.h"

#define PASSWORD_MAX 1024
#define XFF_MAX 4096              /* longer X-Forwarded-For values are malformed */
#define PRUNE_EVERY 3600          /* seconds between two prunings */
#define BUSY_RETRY 2              /* Retry-After of a login refused for a full queue */
#define UNAVAILABLE_RETRY 60      /* ... of one refused because failures cannot be kept */
#define LOG_INTERVAL 60           /* seconds between two lines of the same kind */
#define PSEUDONYM_HEX 33          /* 16 bytes of keyed BLAKE2b in hex + NUL */

struct staff_login_state {
	struct hashq *q;
	struct xff_addr *trusted;
	size_t ntrusted;
	/* key of the address pseudonyms: random per process, never stored */
	unsigned char addr_key[crypto_generichash_KEYBYTES];
	long long retention;          /* seconds */
	long long next_prune;
	struct log_rate unrecorded, shed, refused, xff;
};

struct login_job {
	bool shed;                    /* not queued: answer 503 */
	enum hashq_result res;        /* written by the worker before the resume */
	bool found;
	struct store_account a;
	char name[STORE_NAME_MAX + 1];
	char akey[STORE_NAME_MAX + 16], dkey[48];
	char addr[PSEUDONYM_HEX];
	long long now;
};

/* ---- answers ---- */

/* {"error","message","retry_after"} with a Retry-After header. */
static void reply_retry(struct req *r, unsigned status, const char *code, const char *message,
                        long wait)
{
	char secs[32];
	snprintf(secs, sizeof(secs), "%ld", wait);
	json_t *o = json_pack("{s:s,s:s,s:I}", "error", code, "message", message, "retry_after",
	                      (json_int_t)wait);
	staff_res_json(r, status, o);
	staff_res_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
}

/* 503: failed logins cannot be recorded or read, so no password is checked
 * (fail closed). Logged at most once per interval, with the count. */
static void unavailable(struct req *r, const char *what)
{
	struct staff_login_state *ls = r->st->login;
	long secs = 0;
	unsigned long n = log_rate_hit(&ls->unrecorded, &secs);
	if (n == 1 && secs == 0)
		log_err("staff: logins refused: %s: %s (further refusals are counted and logged at "
		        "most every %d s)", what, store_error(r->st->db), LOG_INTERVAL);
	else if (n)
		log_err("staff: %lu logins refused in the last %ld s: %s: %s", n, secs, what,
		        store_error(r->st->db));
	reply_retry(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
	            "Die Anmeldung ist gerade nicht möglich: der Server kann Anmeldeversuche nicht "
	            "speichern. Bitte versuchen Sie es später erneut.",
	            UNAVAILABLE_RETRY);
}

/* 503: every password-check worker is busy and the queue is full. */
static void busy(struct req *r)
{
	struct staff_login_state *ls = r->st->login;
	long secs = 0;
	unsigned long n = log_rate_hit(&ls->shed, &secs);
	if (n == 1 && secs == 0)
		log_warn("staff: a login was refused: the password-check queue is full "
		         "(staff.login_queue); further ones are logged at most every %d s",
		         LOG_INTERVAL);
	else if (n)
		log_warn("staff: %lu logins refused in the last %ld s: the password-check queue is "
		         "full (staff.login_queue)", n, secs);
	reply_retry(r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
	            "Gerade melden sich zu viele gleichzeitig an. Bitte versuchen Sie es in einigen "
	            "Sekunden erneut.",
	            BUSY_RETRY);
}

/* ---- the client's address ---- */

struct join {
	char buf[XFF_MAX + 1];
	size_t len;
	bool over;
	unsigned n;
};

static enum MHD_Result join_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	struct join *j = cls;
	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") || !value)
		return MHD_YES;
	size_t vl = strlen(value), need = vl + (j->n ? 1 : 0);
	if (j->len + need > XFF_MAX) {
		j->over = true;
		return MHD_NO;
	}
	if (j->n)
		j->buf[j->len++] = ',';
	memcpy(j->buf + j->len, value, vl);
	j->len += vl;
	j->buf[j->len] = '\0';
	j->n++;
	return MHD_YES;
}

/* The peer's address; false when libmicrohttpd does not know it. */
static bool peer_addr(struct req *r, struct xff_addr *out)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	memset(out, 0, sizeof(*out));
	if (!ci || !ci->client_addr)
		return false;
	const struct sockaddr *sa = ci->client_addr;
	char text[XFF_ADDR_TEXT];
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
		          sizeof(text));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
		          sizeof(text));
	else
		return false;
	return xff_parse_addr(text, strlen(text), false, out) == 0;
}

/* The client's address as a pseudonym: 16 bytes of BLAKE2b keyed with a
 * random per-process key, in hex. The address itself is never stored. */
static void client_pseudonym(struct req *r, char *out)
{
	struct staff_login_state *ls = r->st->login;
	struct xff_addr peer, client;
	if (!peer_addr(r, &peer)) {
		snprintf(out, PSEUDONYM_HEX, "unknown");
		return;
	}
	client = peer;
	if (ls->ntrusted && xff_trusted(ls->trusted, ls->ntrusted, &peer)) {
		struct join j = {.len = 0};
		j.buf[0] = '\0';
		MHD_get_connection_values(r->c, MHD_HEADER_KIND, join_xff, &j);
		enum xff_result res = j.over ? XFF_MALFORMED
		                             : xff_client(ls->trusted, ls->ntrusted, &peer,
		                                          j.n ? j.buf : NULL, &client);
		if (res == XFF_MALFORMED) {
			client = peer;
			long secs = 0;
			unsigned long n = log_rate_hit(&ls->xff, &secs);
			if (n == 1 && secs == 0)
				log_warn("staff: a trusted proxy sent a malformed X-Forwarded-For; the "
				         "proxy's address counts for the login limit (logged at most every "
				         "%d s)", LOG_INTERVAL);
			else if (n)
				log_warn("staff: %lu malformed X-Forwarded-For headers from trusted proxies "
				         "in the last %ld s", n, secs);
		}
	}
	unsigned char in[17], h[16];
	in[0] = (unsigned char)client.family;
	memcpy(in + 1, client.b, 16);
	crypto_generichash(h, sizeof(h), in, sizeof(in), ls->addr_key, sizeof(ls->addr_key));
	sodium_bin2hex(out, PSEUDONYM_HEX, h, sizeof(h));
}

/* ---- the limit ---- */

/* Seconds key must wait (0: none), or -1 when the failures cannot be read. */
static long wait_for(struct staff *st, const char *key, size_t limit, long long now)
{
	long long times[STAFF_FAIL_ADDR + 1];
	int n = store_failure_times(st->db, key, now - STAFF_FAIL_WINDOW + 1, times,
	                            sizeof(times) / sizeof(times[0]));
	if (n < 0)
		return -1;
	size_t kept = (size_t)n < limit + 1 ? (size_t)n : limit + 1;
	return staff_rate_wait(times, kept, limit, STAFF_FAIL_WINDOW, now);
}

/* 429 for a login over the limit: counted per key and hour (no audit row
 * per request), logged at most once per interval. */
static void refused(struct req *r, const char *key, const char *name, const char *addr,
                    long wait, long long now)
{
	struct staff_login_state *ls = r->st->login;
	bool counted = store_refusal_add(r->st->db, key, now) == 0;
	long secs = 0;
	unsigned long n = log_rate_hit(&ls->refused, &secs);
	if (n == 1 && secs == 0)
		log_info("staff: login refused over the limit: name=%s addr=%s%s (further refusals "
		         "are logged at most every %d s)", name, addr,
		         counted ? "" : " (not counted: database error)", LOG_INTERVAL);
	else if (n)
		log_info("staff: %lu logins refused over the limit in the last %ld s (last: name=%s "
		         "addr=%s)", n, secs, name, addr);
	reply_retry(r, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
	            "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie und versuchen Sie es "
	            "dann erneut.",
	            wait);
}

/* ---- the password check ---- */

/* Worker thread: the check has ended; the HTTP thread takes it from here
 * (staff_login_resume). Nothing of r is touched after the resume. */
static void check_done(void *ud, enum hashq_result res)
{
	struct req *r = ud;
	r->login->res = res;
	MHD_resume_connection(r->c);
}

/* Takes back the failure recorded before the check (the login succeeded or
 * was never checked). Returns 0 or -1. */
static int unrecord(struct staff *st, const struct login_job *j, bool account_too)
{
	if (store_failure_remove(st->db, j->dkey, j->now) < 0)
		return -1;
	return account_too ? store_failure_remove(st->db, j->akey, j->now) : 0;
}

void staff_login(struct req *r)
{
	struct staff *st = r->st;
	struct staff_login_state *ls = st->login;
	struct login_job *j = NULL;
	json_t *body = staff_body_json(r);
	if (!body)
		return;
	const char *name = staff_jstr(body, "name"), *pw = staff_jstr(body, "password");
	if (!name || !pw || strlen(name) > STORE_NAME_MAX || strlen(pw) > PASSWORD_MAX) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                  "Name und Passwort werden als Text erwartet.");
		goto out;
	}
	j = calloc(1, sizeof(*j));   /* freed by staff_login_free, or below */
	if (!j) {
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
		goto out;
	}
	j->now = (long long)time(NULL);
	snprintf(j->name, sizeof(j->name), "%s", name);
	client_pseudonym(r, j->addr);
	snprintf(j->akey, sizeof(j->akey), "account:%s", name);
	snprintf(j->dkey, sizeof(j->dkey), "addr:%s", j->addr);
	long wa = wait_for(st, j->akey, STAFF_FAIL_ACCOUNT, j->now);
	long wd = wa < 0 ? -1 : wait_for(st, j->dkey, STAFF_FAIL_ADDR, j->now);
	if (wa < 0 || wd < 0) {
		unavailable(r, "failed logins cannot be read");
		goto out;
	}
	if (wa || wd) {
		refused(r, wa ? j->akey : j->dkey, name, j->addr, wa > wd ? wa : wd, j->now);
		goto out;
	}
	int found = store_account_get(st->db, name, &j->a);
	if (found < 0) {
		unavailable(r, "the account cannot be read");
		goto out;
	}
	j->found = found == 1;
	/* Fail closed: the attempt counts as a failure before its password is
	 * checked; a login that cannot be counted is not checked at all. */
	if (store_failure_add2(st->db, j->akey, j->dkey, j->now) < 0) {
		unavailable(r, "a failed login cannot be recorded");
		goto out;
	}
	if (!ls->q) {   /* stopping */
		if (unrecord(st, j, true) < 0)
			log_err("staff: %s", store_error(st->db));
		busy(r);
		goto out;
	}
	r->login = j;
	MHD_suspend_connection(r->c);
	if (hashq_submit(ls->q, j->found ? j->a.hash : st->dummy_hash, pw, check_done, r) < 0) {
		j->shed = true;   /* answered when libmicrohttpd calls again */
		MHD_resume_connection(r->c);
	} else {
		log_debug("staff: login queued for a password check (%u waiting or running)",
		          hashq_pending(ls->q));
	}
	j = NULL;
out:
	if (j) {
		sodium_memzero(&j->a, sizeof(j->a));
		free(j);
	}
	json_decref(body);
}

bool staff_login_waiting(const struct req *r)
{
	return r->login && !staff_res_set(r);
}

void staff_login_resume(struct req *r)
{
	struct staff *st = r->st;
	struct login_job *j = r->login;
	if (j->shed || j->res == HASHQ_CANCELLED) {
		if (unrecord(st, j, true) < 0)
			log_err("staff: %s", store_error(st->db));
		busy(r);
	} else if (!j->found || j->res != HASHQ_MATCH || j->a.disabled) {
		staff_audit(st, NULL, "login_failed", "name=%s addr=%s", j->name, j->addr);
		staff_res_error(r, MHD_HTTP_UNAUTHORIZED, "login_failed", STAFF_LOGIN_FAILED);
	} else if (unrecord(st, j, false) < 0 || store_failure_clear(st->db, j->akey) < 0 ||
	           staff_session_start(r, &j->a, j->addr, j->now) < 0) {
		unavailable(r, "the login cannot be stored");
	}
	if (!staff_res_set(r))
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
}

void staff_login_free(struct req *r)
{
	if (!r->login)
		return;
	sodium_memzero(&r->login->a, sizeof(r->login->a));
	free(r->login);
	r->login = NULL;
}

/* ---- retention ---- */

void staff_retention_tick(struct staff *st, long long now)
{
	struct staff_login_state *ls = st->login;
	if (!ls || now < ls->next_prune)
		return;
	ls->next_prune = now + PRUNE_EVERY;
	struct store_prune p = {
		.audit_before = now - ls->retention,
		.failures_before = now - STAFF_FAIL_WINDOW,
		.refusals_before = now - ls->retention,
		.sessions_before = now - st->timeout,
	};
	long long n = store_staff_prune(st->db, &p);
	if (n < 0)
		log_err("staff: %s (tried again in an hour)", store_error(st->db));
	else if (n > 0)
		log_info("staff: pruned %lld rows: audit entries and refused-login counts older than "
		         "%lld days, failed logins older than %d s, ended sessions",
		         n, ls->retention / 86400, STAFF_FAIL_WINDOW);
}

/* ---- setup ---- */

/* Allocates st->login (freed by staff_login_close). */
int staff_login_open(struct staff *st, const struct staff_options *o, char *err,
                     size_t errlen)
{
	struct staff_login_state *ls = calloc(1, sizeof(*ls));
	if (!ls) {
		snprintf(err, errlen, "staff area: out of memory");
		return -1;
	}
	st->login = ls;
	randombytes_buf(ls->addr_key, sizeof(ls->addr_key));
	log_rate_init(&ls->unrecorded, LOG_INTERVAL);
	log_rate_init(&ls->shed, LOG_INTERVAL);
	log_rate_init(&ls->refused, LOG_INTERVAL);
	log_rate_init(&ls->xff, LOG_INTERVAL);
	ls->retention = (long long)(o->audit_retention_days > 0 ? o->audit_retention_days : 365) *
	                86400;
	if (o->ntrusted_proxies) {
		ls->trusted = calloc(o->ntrusted_proxies, sizeof(*ls->trusted));
		if (!ls->trusted) {
			snprintf(err, errlen, "staff area: out of memory");
			return -1;
		}
	}
	for (size_t i = 0; i < o->ntrusted_proxies; i++) {
		const char *s = o->trusted_proxies[i];
		if (xff_parse_addr(s, strlen(s), true, &ls->trusted[ls->ntrusted]) < 0) {
			snprintf(err, errlen, "staff area: trusted proxy \"%s\" is not an address or "
			         "network", s);
			return -1;
		}
		ls->ntrusted++;
	}
	ls->q = hashq_start(o->login_workers ? o->login_workers : 2,
	                    o->login_queue ? o->login_queue : 16, getenv("LOTSE_TEST_HASH_GATE"),
	                    err, errlen);
	if (!ls->q)
		return -1;
	staff_retention_tick(st, (long long)time(NULL));
	return 0;
}

void staff_login_drain(struct staff *st)
{
	if (!st || !st->login || !st->login->q)
		return;
	hashq_stop(st->login->q);
	st->login->q = NULL;
}

void staff_login_close(struct staff *st)
{
	struct staff_login_state *ls = st ? st->login : NULL;
	if (!ls)
		return;
	staff_login_drain(st);
	long secs = 0;
	struct log_rate *rates[] = {&ls->unrecorded, &ls->shed, &ls->refused, &ls->xff};
	for (size_t i = 0; i < 4; i++) {
		unsigned long n = log_rate_flush(rates[i], true, &secs);
		if (n)
			log_info("staff: %lu more login events of one kind in the last %ld s (see above)",
			         n, secs);
		log_rate_destroy(rates[i]);
	}
	free(ls->trusted);
	sodium_memzero(ls->addr_key, sizeof(ls->addr_key));
	free(ls);
	st->login = NULL;
}
