/* access.h - which offices (tenants) and files the logged-in account may
 * see or change (access.c): an account lists its offices or has all ("*");
 * an admin sees and changes everything; catalogues (po/) are shared by all
 * offices: everyone reads them, only accounts with every office (and
 * admins) write them. Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_ACCESS_H
#define LOTSE_STAFF_ACCESS_H

#include <stdbool.h>

#include "staff/result.h"

/* True when the account may see tenant (no result set). */
bool staff_may_see(const struct req *r, const char *tenant);
/* True when the account has every office (or is an admin). */
bool staff_all_offices(const struct req *r);
/* Sets 403 and returns false unless the account may write catalogues. */
bool staff_need_catalogue_writer(struct req *r);
/* Sets 403 and returns false unless the account is an admin. */
bool staff_need_admin(struct req *r);

#endif
