/* preview.h - draft snapshots under preview tokens (preview.c; the lookup
 * for the socket is in staff.h). Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_PREVIEW_H
#define LOTSE_STAFF_PREVIEW_H

#include "content/content.h"
#include "staff/state.h"
#include "staff/util.h"

/* Keeps c (takes over the reference) under a new random token (written to
 * token, STAFF_TOKEN_LEN + 1 bytes) for STAFF_PREVIEW_SECS. Returns the
 * expiry time, or -1. */
long long staff_preview_put(struct content *c, char *token);
/* Drops every preview. */
void staff_preview_clear(void);

#endif
