/* api.c - the staff area's router (see staff.h): collects a request's body
 * (with a cap), matches /api/ paths against the route table below, checks
 * the session, the office the path names (access.c) and the method, calls
 * the route's handler, and hands the handler's result to reply.c. Routing
 * only: no handler and no HTTP response is made here. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "staff/staff.h"
#include "staff/access.h"
#include "staff/accounts_api.h"
#include "staff/audit.h"
#include "staff/auth.h"
#include "staff/flows.h"
#include "staff/login.h"
#include "staff/i18n_api.h"
#include "staff/offers_api.h"
#include "staff/pages.h"
#include "staff/recordings_api.h"
#include "staff/reply.h"
#include "staff/request.h"
#include "staff/revisions.h"
#include "staff/stats_api.h"
#include "staff/util.h"

/* What the router checks before a handler runs (the handler checks the
 * rest: roles of writes, revisions' offices, catalogue writes). */
enum route_access {
	ROUTE_PUBLIC,      /* no session needed (login) */
	ROUTE_SESSION,     /* any logged-in account */
	ROUTE_OFFICE,      /* segment 1 is an office the account may see (else 404) */
	ROUTE_ADMIN,       /* the instance administrator only (else 403) */
};

struct route {
	const char *method;
	const char *pattern;   /* segments after /api/; {x}: any one segment */
	enum route_access access;
	void (*handler)(struct req *r);
};

/* Every route of the staff API (docs/staff.md). tests/integration/
 * test_staff_access.py reads this table: a route added here without a case
 * there fails that test. Keep one line per route, methods of one pattern
 * in the order their Allow header lists them. */
static const struct route routes[] = {
	/* ROUTES BEGIN */
	{"POST", "login", ROUTE_PUBLIC, staff_login},
	{"POST", "logout", ROUTE_SESSION, staff_logout},
	{"GET", "session", ROUTE_SESSION, staff_session_info},
	{"GET", "tenants", ROUTE_SESSION, staff_tenants},
	{"GET", "flows/{t}/{f}", ROUTE_OFFICE, staff_flows},
	{"PUT", "flows/{t}/{f}", ROUTE_OFFICE, staff_flows},
	{"POST", "flows/{t}/{f}/check", ROUTE_OFFICE, staff_flows},
	{"POST", "flows/{t}/{f}/preview", ROUTE_OFFICE, staff_flows},
	{"GET", "flows/{t}/{f}/revisions", ROUTE_OFFICE, staff_flows},
	{"GET", "flows/{t}/{f}/graph.svg", ROUTE_OFFICE, staff_flows},
	{"POST", "flows/{t}/{f}/graph.svg", ROUTE_OFFICE, staff_flows},
	{"GET", "revisions", ROUTE_SESSION, staff_revisions_of},
	{"GET", "revisions/{id}", ROUTE_SESSION, staff_revision_get},
	{"GET", "revisions/{id}/diff/{id}", ROUTE_SESSION, staff_revision_diff},
	{"POST", "revisions/{id}/rollback", ROUTE_SESSION, staff_revision_rollback},
	{"GET", "offers/{t}", ROUTE_OFFICE, staff_offers},
	{"POST", "offers/{t}", ROUTE_OFFICE, staff_offers},
	{"GET", "offers/{t}/{id}", ROUTE_OFFICE, staff_offers},
	{"PUT", "offers/{t}/{id}", ROUTE_OFFICE, staff_offers},
	{"POST", "offers/{t}/{id}/retire", ROUTE_OFFICE, staff_offers},
	{"GET", "translations", ROUTE_SESSION, staff_translations},
	{"GET", "translations/{t}/{lang}", ROUTE_OFFICE, staff_translations},
	{"GET", "po/lotse.pot", ROUTE_SESSION, staff_po},
	{"GET", "po/{lang}.po", ROUTE_SESSION, staff_po},
	{"PUT", "po/{lang}.po", ROUTE_SESSION, staff_po},
	{"GET", "audit", ROUTE_SESSION, staff_audit_list},
	{"GET", "accounts", ROUTE_ADMIN, staff_accounts_list},
	{"POST", "accounts", ROUTE_ADMIN, staff_accounts_create},
	{"PUT", "accounts/{name}", ROUTE_ADMIN, staff_accounts_change},
	{"GET", "recordings/{t}", ROUTE_OFFICE, staff_recordings_coverage},
	{"GET", "recordings/{t}/{lang}", ROUTE_OFFICE, staff_recordings_list},
	{"POST", "recordings/{t}/{lang}", ROUTE_OFFICE, staff_recordings_upload},
	{"DELETE", "recordings/{t}/{lang}", ROUTE_OFFICE, staff_recordings_delete},
	{"POST", "recordings/{t}/{lang}/confirm", ROUTE_OFFICE, staff_recordings_confirm},
	{"GET", "recordings/{t}/{lang}/history", ROUTE_OFFICE, staff_recordings_history},
	{"GET", "recordings/{t}/{lang}/{id}.opus", ROUTE_OFFICE, staff_recordings_audio},
	{"GET", "stats/{t}.csv", ROUTE_OFFICE, staff_stats},
	{"GET", "stats/{t}", ROUTE_OFFICE, staff_stats},
	{"GET", "stats/{t}/flow/{f}.svg", ROUTE_OFFICE, staff_stats},
	/* ROUTES END */
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Whether segment s matches one pattern segment p ("{x}" matches any,
 * "{x}.po" any with that suffix). */
static bool seg_match(const char *p, size_t plen, const char *s)
{
	if (plen >= 2 && p[0] == '{') {
		const char *close = memchr(p, '}', plen);
		size_t suffix = close ? plen - (size_t)(close - p) - 1 : 0;
		size_t sl = strlen(s);
		return close && sl > suffix && !memcmp(s + sl - suffix, close + 1, suffix);
	}
	return strlen(s) == plen && !memcmp(p, s, plen);
}

static bool match(const char *pattern, const struct req *r)
{
	const char *p = pattern;
	size_t i = 0;
	for (;; i++) {
		size_t len = strcspn(p, "/");
		if (i >= r->nseg || !seg_match(p, len, r->seg[i]))
			return false;
		if (!p[len])
			return i + 1 == r->nseg;
		p += len + 1;
	}
}

/* Splits the part after "/api/" into segments (staff_path_split). */
static bool split_path(struct req *r)
{
	snprintf(r->path, sizeof(r->path), "%s", r->url + 5);
	int n = staff_path_split(r->path, r->seg, STAFF_MAX_SEGS);
	r->nseg = n > 0 ? (size_t)n : 0;
	return n > 0;
}

static void not_found(struct req *r)
{
	staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Das gibt es hier nicht.");
}

/* 405 listing the methods of the routes matching r's path. */
static void wrong_method(struct req *r, const struct route *first)
{
	char allow[64] = "";
	bool get = false;
	size_t used = 0;
	for (const struct route *rt = first; rt < routes + NROUTES; rt++) {
		if (strcmp(rt->pattern, first->pattern))
			continue;
		get = get || !strcmp(rt->method, MHD_HTTP_METHOD_GET);
		used += (size_t)snprintf(allow + used, sizeof(allow) - used, "%s%s", used ? ", " : "",
		                         rt->method);
	}
	if (get && used < sizeof(allow))
		snprintf(allow + used, sizeof(allow) - used, ", HEAD");
	staff_res_method(r, allow);
}

/* The office a ROUTE_OFFICE path names: segment 1, without the suffix its
 * pattern adds ("{t}.csv": "amt.csv" names "amt"). */
static const char *office_of(const struct route *rt, const struct req *r, char *buf, size_t n)
{
	const char *p = strchr(rt->pattern, '/');
	size_t plen = p ? strcspn(p + 1, "/") : 0;
	const char *close = p ? memchr(p + 1, '}', plen) : NULL;
	size_t suffix = close ? plen - (size_t)(close - (p + 1)) - 1 : 0;
	size_t sl = strlen(r->seg[1]);
	snprintf(buf, n, "%.*s", (int)(sl > suffix ? sl - suffix : sl), r->seg[1]);
	return buf;
}

static void api(struct req *r)
{
	char office[128];
	bool ok = !strncmp(r->url, "/api/", 5) && split_path(r);
	const struct route *first = NULL, *hit = NULL;
	/* HEAD is answered as GET; libmicrohttpd sends the headers without the body. */
	if (!strcmp(r->method, MHD_HTTP_METHOD_HEAD))
		r->method = MHD_HTTP_METHOD_GET;
	for (size_t i = 0; ok && i < NROUTES; i++) {
		if (!match(routes[i].pattern, r) || (first && strcmp(first->pattern, routes[i].pattern)))
			continue;
		first = first ? first : &routes[i];
		if (!hit && !strcmp(routes[i].method, r->method))
			hit = &routes[i];
	}
	if (first && first->access == ROUTE_PUBLIC) {
		if (hit)
			hit->handler(r);
		else
			wrong_method(r, first);
		return;
	}
	/* nothing, not even "not found", without a session */
	if (!staff_authenticate(r))
		return;
	if (!first)
		return not_found(r);
	if (first->access == ROUTE_OFFICE && !staff_may_see(r, office_of(first, r, office,
	                                                                 sizeof(office))))
		return staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found",
		                       "Dieses Bildungsbüro gibt es nicht.");
	if (!hit)
		return wrong_method(r, first);
	if (first->access == ROUTE_ADMIN && !staff_need_admin(r))
		return;
	hit->handler(r);
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
	r->res.fd = -1;
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
	if (r->sent)
		return MHD_YES;
	if (*upload_data_size) {
		/* other methods' bodies are discarded: they get 401 or 405 */
		if (body_allowed(method) && r->body.len + *upload_data_size > STAFF_BODY_MAX)
			r->too_large = true;
		else if (body_allowed(method))
			strbuf_append(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (staff_login_waiting(r)) {   /* its password check has ended (login.c) */
		staff_login_resume(r);
		r->sent = true;
		return staff_reply_send(r);
	}
	staff_retention_tick(st, (long long)time(NULL));
	if (r->too_large || !strbuf_ok(&r->body))
		staff_res_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
		                "Die Anfrage ist zu groß (höchstens 2 MiB).");
	else if (!strcmp(url, "/api") || !strncmp(url, "/api/", 5))
		api(r);
	else
		staff_pages(r);
	if (staff_login_waiting(r))
		return MHD_YES;   /* suspended until the password check ends */
	r->sent = true;
	return staff_reply_send(r);
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
	staff_res_free(&r->res);
	free(r);
	*con_cls = NULL;
}
