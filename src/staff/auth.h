/* auth.h - sessions started by a login (login.h), logout, CSRF and roles (auth.c). Not for use
 * outside src/staff/. */
#ifndef LOTSE_STAFF_AUTH_H
#define LOTSE_STAFF_AUTH_H

#include <stdbool.h>

#include "staff/result.h"

/* Starts a session for account a (its cookie and CSRF token), writes the
 * audit entry and sets the 200 result. Returns 0, or -1 without a result
 * when the session cannot be stored. (The login itself: login.h.) */
int staff_session_start(struct req *r, const struct store_account *a, const char *addr,
                        long long now);
/* POST /api/logout, GET /api/session */
void staff_logout(struct req *r);
void staff_session_info(struct req *r);
/* Checks the session cookie (and the CSRF token for writes); sets 401/403
 * and returns false when not allowed. */
bool staff_authenticate(struct req *r);
/* Sets 403 and returns false unless the account may write (editor, admin). */
bool staff_need_editor(struct req *r);

#endif
