/* trial.h - checking a tenant's file in a temporary copy of the tenant and
 * publishing it (trial.c). Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_TRIAL_H
#define LOTSE_STAFF_TRIAL_H

#include <stddef.h>

#include "content/scan.h"
#include "staff/result.h"

/* Builds a temporary copy of the tenant with `name` replaced by content
 * and validates it as `lotse check` does. On success returns 0 and, when
 * tc is not NULL, the loaded tenant in *tc (caller frees with
 * scan_tenant_free). Otherwise sets 422 (or 500) and returns -1. */
int staff_trial(struct req *r, const char *tenant, const char *name, const char *content,
                size_t len, struct tenant_content *tc);
/* Re-validates and publishes content as dir/name of a tenant (used by
 * publish, rollback and the offers). */
void staff_publish_tenant_file(struct req *r, const char *tenant, const char *name,
                               const char *content, size_t len, const char *message,
                               long long base_revision, const char *base_hash,
                               const char *action, unsigned ok_status);

#endif
