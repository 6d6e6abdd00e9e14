/* request.h - reading a staff request: its JSON body, query parameters,
 * headers, the kiosk page's origin as the browser reaches it, the method
 * check (405 with Allow), and small checks of ids. Answers go into the
 * request's result (result.h). Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_REQUEST_H
#define LOTSE_STAFF_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "staff/result.h"

/* The JSON object body (Content-Type must be application/json), or NULL
 * after setting 415/400. Caller decrefs. */
json_t *staff_body_json(struct req *r);
/* A query parameter, or NULL. */
const char *staff_query(struct req *r, const char *key);
/* A request header, or NULL. */
const char *staff_header(struct req *r, const char *name);
/* The kiosk page's origin as the browser of request r reaches it
 * ("http://host:port"), into out. Returns 0, or -1 when unknown yet. */
int staff_kiosk_origin(struct req *r, char *out, size_t n);
/* Hex BLAKE2b-256 of data into out (STAFF_HASH_HEX bytes). */
void staff_hash_hex(const void *data, size_t len, char *out);
/* True for ids, file stems and language codes: [A-Za-z0-9_-], 1-64. */
bool staff_id_ok(const char *s);
/* Sets 405 (with Allow) and returns false unless the method is a or b
 * (b may be NULL); wherever GET is allowed, HEAD is listed too. */
bool staff_method(struct req *r, const char *a, const char *b);
/* Sets 405 with Allow: allow (e.g. "GET, PUT, HEAD"). */
void staff_res_method(struct req *r, const char *allow);

#endif
