/* login.h - the staff login (inside of the staff area, not for use outside
 * src/staff/): the client's address behind trusted proxies, the failed-login
 * limit that fails closed, password checks on the hash workers (hashq.h)
 * and the retention of the audit log and the login tables. login.c
 * implements it; docs/staff.md describes it. */
#ifndef LOTSE_STAFF_LOGIN_H
#define LOTSE_STAFF_LOGIN_H

#include <microhttpd.h>

#include "staff/staff.h"

struct staff;
struct req;

/* Sets up st's login state from o (trusted proxies, workers, queue,
 * retention) and prunes the tables once. Returns 0, or -1 with err. */
int staff_login_open(struct staff *st, const struct staff_options *o, char *err,
                     size_t errlen);
/* Cancels waiting password checks and waits for running ones (each resumes
 * its connection). Call before the staff address stops. Idempotent. */
void staff_login_drain(struct staff *st);
/* Frees st's login state (drains first). */
void staff_login_close(struct staff *st);
/* POST /api/login: answers at once (400, 415, 429, 503) or suspends the
 * connection until its password was checked. */
void staff_login(struct req *r);
/* Called for a request whose password check has ended (the connection was
 * resumed): sets its result. */
void staff_login_resume(struct req *r);
/* Whether r waits for its password check (suspended, or resumed and not
 * answered yet). */
bool staff_login_waiting(const struct req *r);
/* Frees r's login job (request end). */
void staff_login_free(struct req *r);
/* Prunes the audit log and the login tables when an hour has passed since
 * the last time (one transaction). Call at each staff request. */
void staff_retention_tick(struct staff *st, long long now);

#endif
