/* revisions.h - listing, reading, diffing and rolling back revisions
 * (revisions.c). Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_REVISIONS_H
#define LOTSE_STAFF_REVISIONS_H

#include "staff/result.h"

/* The revisions of rel (flows/<t>/<file>.yaml or po/<lang>.po), newest first. */
void staff_revisions_list(struct req *r, const char *rel);
/* GET /api/revisions?path=... */
void staff_revisions_of(struct req *r);
/* GET /api/revisions/<id>, GET /api/revisions/<a>/diff/<b>,
 * POST /api/revisions/<id>/rollback */
void staff_revision_get(struct req *r);
void staff_revision_diff(struct req *r);
void staff_revision_rollback(struct req *r);

#endif
