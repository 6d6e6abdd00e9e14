/* accounts_api.c - the admin API for staff accounts (docs/staff.md,
 * "Accounts and offices"): list, create (with a password of at least 10
 * characters, hashed with argon2id), change role, offices and the disabled
 * flag. Every change is audited. The router lets admins only in. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "staff/accounts_api.h"
#include "staff/audit.h"
#include "staff/offices.h"
#include "staff/request.h"
#include "util/utf8.h"

#define OFFICES_IN_MAX 64

static json_t *offices_json(const char *offices)
{
	json_t *a = json_array();
	for (const char *p = offices; *p;) {
		size_t len = strcspn(p, ",");
		json_array_append_new(a, json_stringn(p, len));
		p += len + (p[len] == ',');
	}
	return a;
}

static void account_row(void *ud, const struct store_account *a)
{
	json_array_append_new(ud, json_pack("{s:s,s:s,s:o,s:I,s:b}", "name", a->name, "role",
	                                    a->role, "offices", offices_json(a->offices), "created",
	                                    (json_int_t)a->created, "disabled", a->disabled));
}

void staff_accounts_list(struct req *r)
{
	json_t *list = json_array();
	if (store_account_each(r->st->db, account_row, list) < 0) {
		json_decref(list);
		staff_res_internal(r, store_error(r->st->db));
		return;
	}
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:o}", "accounts", list));
}

static void bad(struct req *r, const char *message)
{
	staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", message);
}

/* Reads "offices" (an array of strings) of body into out for role; admins
 * get "*". Sets 400/422 and returns false when it does not fit. */
static bool read_offices(struct req *r, json_t *body, const char *role, char *out, size_t n)
{
	json_t *a = json_object_get(body, "offices");
	const char *names[OFFICES_IN_MAX];
	size_t k = 0;
	char err[1400];
	if (!strcmp(role, "admin") && !a) {
		snprintf(out, n, "*");
		return true;
	}
	if (!json_is_array(a) || json_array_size(a) > OFFICES_IN_MAX) {
		bad(r, "\"offices\" muss eine Liste von Bildungsbüros sein (oder [\"*\"] für alle).");
		return false;
	}
	for (size_t i = 0; i < json_array_size(a); i++) {
		names[k] = json_string_value(json_array_get(a, i));
		if (!names[k]) {
			bad(r, "\"offices\" muss eine Liste von Bildungsbüros sein (oder [\"*\"] für alle).");
			return false;
		}
		k++;
	}
	if (staff_offices_join(r->st->flows_dir, names, k, out, n, err, sizeof(err)) < 0) {
		json_t *o = json_pack("{s:s,s:s,s:s}", "error", "invalid", "message",
		                      "Diese Bildungsbüros passen nicht.", "detail", err);
		staff_res_json(r, MHD_HTTP_UNPROCESSABLE_CONTENT, o);
		return false;
	}
	if (!strcmp(role, "admin"))
		snprintf(out, n, "*");
	return true;
}

void staff_accounts_create(struct req *r)
{
	char hash[crypto_pwhash_STRBYTES], offices[STORE_OFFICES_MAX];
	json_t *body = staff_body_json(r);
	if (!body)
		return;
	const char *name = staff_jstr(body, "name"), *role = staff_jstr(body, "role");
	const char *pw = staff_jstr(body, "password");
	if (!name || !staff_account_name_ok(name)) {
		bad(r, "\"name\": 1-64 Zeichen aus A-Z a-z 0-9 . _ @ -");
		goto out;
	}
	if (!role || !staff_role_ok(role)) {
		bad(r, "\"role\" ist editor, viewer oder admin.");
		goto out;
	}
	if (!pw || strlen(pw) > STAFF_PW_MAX || utf8_count(pw, strlen(pw)) < STAFF_PW_MIN) {
		bad(r, "\"password\" braucht mindestens 10 Zeichen.");
		goto out;
	}
	if (!read_offices(r, body, role, offices, sizeof(offices)))
		goto out;
	if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		staff_res_internal(r, "cannot hash a password (out of memory)");
		goto out;
	}
	int rc = store_account_add(r->st->db, name, role, hash, (long long)time(NULL));
	if (rc == 0 && store_account_set_offices(r->st->db, name, offices) != 1)
		rc = -1;
	if (rc > 0) {
		staff_res_error(r, MHD_HTTP_CONFLICT, "conflict", "Diesen Namen gibt es schon.");
		goto out;
	}
	if (rc < 0) {
		staff_res_internal(r, store_error(r->st->db));
		goto out;
	}
	staff_audit(r->st, r->sess.name, "account_create", "%s role=%s offices=%s", name, role,
	            offices);
	staff_res_json(r, MHD_HTTP_CREATED, json_pack("{s:b,s:s,s:s,s:o}", "ok", 1, "name", name,
	                                              "role", role, "offices",
	                                              offices_json(offices)));
out:
	json_decref(body);
}

void staff_accounts_change(struct req *r)
{
	const char *name = r->seg[1];
	char offices[STORE_OFFICES_MAX];
	struct store_account a;
	json_t *body = staff_body_json(r);
	if (!body)
		return;
	json_t *dis = json_object_get(body, "disabled");
	const char *role = staff_jstr(body, "role");
	int found = store_account_get(r->st->db, name, &a);
	if (found != 1) {
		if (found < 0)
			staff_res_internal(r, store_error(r->st->db));
		else
			staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Diesen Zugang gibt es nicht.");
		goto out;
	}
	if ((json_object_get(body, "role") && (!role || !staff_role_ok(role))) ||
	    (dis && !json_is_boolean(dis))) {
		bad(r, "\"role\" ist editor, viewer oder admin; \"disabled\" ist true oder false.");
		goto out;
	}
	if (!role)
		role = a.role;
	snprintf(offices, sizeof(offices), "%s", a.offices);
	if ((json_object_get(body, "offices") || (!strcmp(role, "admin") && strcmp(a.role, role))) &&
	    !read_offices(r, body, role, offices, sizeof(offices)))
		goto out;
	if (store_account_set_role(r->st->db, name, role) < 0 ||
	    store_account_set_offices(r->st->db, name, offices) < 0 ||
	    (dis && json_is_true(dis) != a.disabled &&
	     store_account_set_disabled(r->st->db, name, json_is_true(dis)) < 0)) {
		staff_res_internal(r, store_error(r->st->db));
		goto out;
	}
	bool disabled = dis ? json_is_true(dis) : a.disabled;
	staff_audit(r->st, r->sess.name, "account_change", "%s role=%s offices=%s%s", name, role,
	            offices, disabled ? " disabled" : "");
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:b,s:s,s:s,s:o,s:b}", "ok", 1, "name", name,
	                                         "role", role, "offices", offices_json(offices),
	                                         "disabled", disabled));
out:
	sodium_memzero(&a, sizeof(a));
	json_decref(body);
}
