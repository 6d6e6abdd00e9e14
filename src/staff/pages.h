/* pages.h - the staff pages and redirects (pages.c). Not for use outside
 * src/staff/. */
#ifndef LOTSE_STAFF_PAGES_H
#define LOTSE_STAFF_PAGES_H

#include "staff/result.h"

/* GET / (redirect), /staff (redirect), /staff/... (files). */
void staff_pages(struct req *r);

#endif
