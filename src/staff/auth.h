/* auth.h - login, logout, sessions, CSRF and roles (auth.c). Not for use
 * outside src/staff/. */
#ifndef LOTSE_STAFF_AUTH_H
#define LOTSE_STAFF_AUTH_H

#include <stdbool.h>

#include "staff/result.h"

/* POST /api/login, POST /api/logout, GET /api/session */
void staff_login(struct req *r);
void staff_logout(struct req *r);
void staff_session_info(struct req *r);
/* Checks the session cookie (and the CSRF token for writes); sets 401/403
 * and returns false when not allowed. */
bool staff_authenticate(struct req *r);
/* Sets 403 and returns false unless the account may write (editor, admin). */
bool staff_need_editor(struct req *r);

#endif
