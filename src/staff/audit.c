/* audit.c - the staff area's audit log: writing an entry (also to the
 * server log) and GET /api/audit. */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "staff/access.h"
#include "staff/audit.h"
#include "staff/request.h"
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
	char offices[STORE_OFFICES_MAX + 2];
	/* admins and accounts of every office see every entry */
	bool all = staff_all_offices(r);
	snprintf(offices, sizeof(offices), ",%s,", r->sess.offices);
	if (store_audit_each_scoped(r->st->db, before, (int)limit, all ? NULL : r->sess.name,
	                            offices, audit_row, &x) < 0) {
		json_decref(x.list);
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
		return;
	}
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:o}", "entries", x.list));
}
