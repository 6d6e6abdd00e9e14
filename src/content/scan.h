/* scan.h - finding and loading tenant folders under the flows root.
 *
 * A tenant folder is flows/<id>/ with tenant.yaml; every other *.yaml file
 * in it is a flow, except offers.yaml. Shared by content_load, `lotse check`
 * and `lotse extract`, so all three see exactly the same files.
 */
#ifndef LOTSE_SCAN_H
#define LOTSE_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "content/content.h"

/* Loads and validates one tenant folder into *tc (zeroed first). The folder
 * name is the tenant id. Returns 0, or -1 with every error in d (tc then
 * holds whatever did load; free it with scan_tenant_free). */
int scan_tenant(const char *dir, const char *id, struct tenant_content *tc, struct diag *d);
/* Frees what scan_tenant loaded. */
void scan_tenant_free(struct tenant_content *tc);
/* Loads every tenant folder under root, sorted by id, into a new array
 * (*out, *n; caller frees each with scan_tenant_free, then the array).
 * Returns 0, or -1 with every error in d. */
int scan_tenants(const char *root, struct tenant_content **out, size_t *n, struct diag *d);
/* Calls fn for every translatable text of a tenant (office texts, flows,
 * offers), with the file it is in and its role ("Answer button ...") for
 * translators. Texts without a msgid are skipped. */
typedef void (*scan_text_fn)(void *ud, const struct text *t, const char *file, const char *role);
void scan_each_text(const struct tenant_content *tc, scan_text_fn fn, void *ud);
/* True if path names an existing directory / regular file. */
bool scan_is_dir(const char *path);
bool scan_is_file(const char *path);

#endif
