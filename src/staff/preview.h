/* preview.h - draft snapshots under preview tokens (preview.c; the lookup
 * for the socket is in staff.h). Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_PREVIEW_H
#define LOTSE_STAFF_PREVIEW_H

#include "content/content.h"
#include "staff/state.h"
#include "staff/util.h"

/* Sets the caps: tokens per account and in total (clamped to 1..
 * STAFF_PREVIEW_TABLE). */
void staff_preview_limits(size_t per_account, size_t total);
/* The snapshot of a live preview of the same draft (key: STAFF_PREVIEW_KEY
 * bytes), a new reference (caller unrefs), or NULL. */
struct content *staff_preview_shared(const unsigned char *key);
/* Keeps c (takes over the reference; marks it a preview) under a new random
 * token (written to token, STAFF_TOKEN_LEN + 1 bytes) for STAFF_PREVIEW_SECS,
 * for the account owner; at the account's cap its oldest preview is dropped.
 * Returns the expiry time, or -1 when the table is full with other
 * accounts' previews (c is released then). */
long long staff_preview_put(struct content *c, const unsigned char *key, long long owner,
                            char *token);
/* Drops every preview. */
void staff_preview_clear(void);

#endif
