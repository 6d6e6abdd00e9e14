/* http_util.h - the pieces every libmicrohttpd answer of Lotse shares
 * (kiosk page, kiosk media, staff area), so the security headers are set in
 * one place. */
#ifndef LOTSE_HTTP_UTIL_H
#define LOTSE_HTTP_UTIL_H

#include <microhttpd.h>
#include <stdbool.h>

/* Adds Content-Type, Cache-Control, X-Content-Type-Options: nosniff,
 * Referrer-Policy: no-referrer and, with frame_deny, X-Frame-Options: DENY. */
void http_base_headers(struct MHD_Response *r, const char *type, const char *cache,
                       bool frame_deny);
/* Queues r and drops the caller's reference to it (r NULL: MHD_NO). */
enum MHD_Result http_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r);

#endif
