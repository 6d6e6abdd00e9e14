/* audit.h - the staff area's audit log (audit.c). Not for use outside
 * src/staff/. */
#ifndef LOTSE_STAFF_AUDIT_H
#define LOTSE_STAFF_AUDIT_H

#include "staff/result.h"

/* Writes an audit entry for account (NULL: none) and logs it. */
void staff_audit(struct staff *st, const char *account, const char *action, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
/* GET /api/audit */
void staff_audit_list(struct req *r);

#endif
