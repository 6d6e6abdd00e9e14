/* revisions.c - the revisions of the files the staff area manages:
 * listing, reading, diffing and rolling back (docs/staff.md, "Revisions").
 * A rollback publishes the revision's content again through trial.c
 * (flows, offers) or catalog.c (po/<lang>.po). */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff/access.h"
#include "staff/auth.h"
#include "staff/catalog.h"
#include "staff/publish.h"
#include "staff/request.h"
#include "staff/revisions.h"
#include "staff/trial.h"
#include "staff/util.h"

static void internal(struct req *r, const char *what)
{
	staff_res_internal(r, what);
}


struct list_ctx {
	json_t *list;
};

static void rev_row(void *ud, const struct store_revision *rv)
{
	struct list_ctx *x = ud;
	json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:I}", "id", (json_int_t)rv->id, "author", rv->author,
	                      "message", rv->message, "at", (json_int_t)rv->at, "size",
	                      (json_int_t)rv->len);
	json_object_set_new(o, "parent", rv->parent ? json_integer(rv->parent) : json_null());
	json_array_append_new(x->list, o);
}

void staff_revisions_list(struct req *r, const char *rel)
{
	struct list_ctx x = {json_array()};
	if (store_revision_each(r->st->db, rel, rev_row, &x) < 0) {
		json_decref(x.list);
		internal(r, store_error(r->st->db));
		return;
	}
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:s,s:o}", "path", rel, "revisions", x.list));
}

void staff_revisions_of(struct req *r)
{
	const char *path = staff_query(r, "path");
	char t[80], d[4096], n[128];
	if (!path || staff_resolve(r->st, path, t, sizeof(t), d, sizeof(d), n, sizeof(n)) < 0 ||
	    (t[0] && !staff_may_see(r, t))) {
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Das gibt es hier nicht.");
		return;
	}
	staff_revisions_list(r, path);
}

/* Reads the revision named by segment i; answers 404 when there is none. */
static bool get_rev(struct req *r, size_t i, struct store_revision *rv)
{
	char *end;
	long long id = strtoll(r->seg[i], &end, 10);
	int found = *end || id <= 0 ? 0 : store_revision_get(r->st->db, id, rv);
	if (found == 1 && rv->tenant[0] && !staff_may_see(r, rv->tenant)) {
		store_revision_free(rv);   /* another office's: as if there were none */
		found = 0;
	}
	if (found < 0)
		internal(r, store_error(r->st->db));
	else if (found == 0)
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Diese Revision gibt es nicht.");
	return found == 1;
}

void staff_revision_get(struct req *r)
{
	struct store_revision rv;
	if (!get_rev(r, 1, &rv))
		return;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:o}", "id", (json_int_t)rv.id, "tenant",
	                      rv.tenant, "path", rv.path, "author", rv.author, "message", rv.message,
	                      "at", (json_int_t)rv.at, "content", staff_jtext(rv.content, rv.len));
	json_object_set_new(o, "parent", rv.parent ? json_integer(rv.parent) : json_null());
	store_revision_free(&rv);
	staff_res_json(r, MHD_HTTP_OK, o);
}

void staff_revision_diff(struct req *r)
{
	struct store_revision a = {0}, b = {0};
	char na[512], nb[512];
	struct strbuf sb;
	strbuf_init(&sb);
	if (!get_rev(r, 1, &a) || !get_rev(r, 3, &b))
		goto out;
	snprintf(na, sizeof(na), "%s\tRevision %lld", a.path, a.id);
	snprintf(nb, sizeof(nb), "%s\tRevision %lld", b.path, b.id);
	if (staff_diff(a.content, a.len, b.content, b.len, na, nb, 3, &sb) < 0) {
		internal(r, "out of memory (diff)");
		goto out;
	}
	json_t *o = json_pack("{s:I,s:I,s:s,s:o}", "from", (json_int_t)a.id, "to", (json_int_t)b.id,
	                      "path", b.path, "diff", staff_jtext(sb.data ? sb.data : "", sb.len));
	staff_res_json(r, MHD_HTTP_OK, o);
out:
	strbuf_free(&sb);
	store_revision_free(&a);
	store_revision_free(&b);
}

void staff_revision_rollback(struct req *r)
{
	struct store_revision rv = {0};
	char tenant[80], dir[4096], name[128], msg[600];
	long long base = 0;
	const char *hash = NULL;
	json_t *body = NULL;
	if (!staff_need_editor(r) || !(body = staff_body_json(r)) || !staff_base(r, body, &base, &hash) ||
	    !get_rev(r, 1, &rv))
		goto out;
	if (staff_resolve(r->st, rv.path, tenant, sizeof(tenant), dir, sizeof(dir), name,
	                  sizeof(name)) < 0) {
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found",
		                  "Diese Datei verwaltet der Mitarbeiterbereich nicht.");
		goto out;
	}
	const char *m = staff_jstr(body, "message");
	if (!m || !*m) {
		snprintf(msg, sizeof(msg), "Zurückgesetzt auf Revision %lld", rv.id);
		m = msg;
	}
	if (!tenant[0]) {
		char lang[64];
		snprintf(lang, sizeof(lang), "%.*s", (int)(strlen(name) - 3), name);
		if (!staff_need_catalogue_writer(r))
			goto out;
		staff_publish_po(r, lang, rv.content, rv.len, m, true, base, hash, "rollback");
	} else {
		staff_publish_tenant_file(r, tenant, name, rv.content, rv.len, m, base, hash, "rollback",
		                          MHD_HTTP_OK);
	}
out:
	json_decref(body);
	store_revision_free(&rv);
}
