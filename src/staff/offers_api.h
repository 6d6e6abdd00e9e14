/* offers_api.h - a tenant's offers in the staff area (offers_api.c). Not
 * for use outside src/staff/. */
#ifndef LOTSE_STAFF_OFFERS_API_H
#define LOTSE_STAFF_OFFERS_API_H

#include "staff/result.h"

/* /api/offers/<t>[/<id>[/retire]] */
void staff_offers(struct req *r);

#endif
