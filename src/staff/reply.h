/* reply.h - the one place that turns a staff request's result into an
 * HTTP response (libmicrohttpd) with its security headers. Used by the
 * router (api.c) only. Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_REPLY_H
#define LOTSE_STAFF_REPLY_H

#include "staff/result.h"

/* Queues r->res (a 500 when no result was set) and frees its body.
 * Returns libmicrohttpd's MHD_YES/MHD_NO. */
int staff_reply_send(struct req *r);

#endif
