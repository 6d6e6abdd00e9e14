/* offices.h - the offices (tenants) a staff account may see or edit: "*"
 * (all) or tenant ids joined by ","; checking a list against the tenant
 * folders that exist; roles and account names (offices.c). Used by the CLI and the admin API; no
 * HTTP here. Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_OFFICES_H
#define LOTSE_STAFF_OFFICES_H

#include <stdbool.h>
#include <stddef.h>

/* True when the list ("*" or "a,b") holds tenant (or is "*"). */
bool staff_offices_has(const char *offices, const char *tenant);
/* Joins the n office names into out ("*" when one of them is "*"): each
 * must be "*" or a tenant folder under flows_dir (with tenant.yaml), and
 * n must be at least 1. Returns 0, or -1 with a message in err naming the
 * offices that exist. */
int staff_offices_join(const char *flows_dir, const char *const *names, size_t n, char *out,
                       size_t outlen, char *err, size_t errlen);
/* True for the roles an account may have: editor, viewer, admin. */
bool staff_role_ok(const char *role);
/* Account names and passwords, the same for the CLI and the admin API. */
#define STAFF_PW_MIN 10
#define STAFF_PW_MAX 1024
/* True for an account name: 1 to STORE_NAME_MAX of A-Z a-z 0-9 . _ @ -. */
bool staff_account_name_ok(const char *s);

#endif
