/* accounts_api.h - the admin API for staff accounts (accounts_api.c):
 * list, create, change role/offices/disabled. Not for use outside
 * src/staff/. */
#ifndef LOTSE_STAFF_ACCOUNTS_API_H
#define LOTSE_STAFF_ACCOUNTS_API_H

#include "staff/result.h"

/* GET /api/accounts, POST /api/accounts, PUT /api/accounts/<name> */
void staff_accounts_list(struct req *r);
void staff_accounts_create(struct req *r);
void staff_accounts_change(struct req *r);

#endif
