/* flows.h - tenants and flows in the staff area (flows.c). Not for use
 * outside src/staff/. */
#ifndef LOTSE_STAFF_FLOWS_H
#define LOTSE_STAFF_FLOWS_H

#include "staff/result.h"

/* GET /api/tenants */
void staff_tenants(struct req *r);
/* /api/flows/<t>/<f>[/check|preview|revisions|graph.svg] */
void staff_flows(struct req *r);

#endif
