/* result.h - a staff request (struct req) and the result a handler makes
 * for it (struct staff_result: status, body, extra headers). Handlers fill
 * the result with the staff_res_* functions; only reply.c turns it into an
 * HTTP response. The first result set counts; later ones are dropped (a
 * handler may stop at the first error). Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_RESULT_H
#define LOTSE_STAFF_RESULT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "staff/state.h"
#include "util/diag.h"
#include "util/strbuf.h"

struct MHD_Connection;

#define STAFF_RES_HEADERS 4

enum staff_res_kind {
	STAFF_RES_NONE,    /* not set yet */
	STAFF_RES_EMPTY,   /* status only, no body (out of memory) */
	STAFF_RES_DATA,    /* data[0..len) with type */
	STAFF_RES_FILE,    /* fd of size bytes with type: a staff page */
};

struct staff_result {
	enum staff_res_kind kind;
	unsigned status;
	char *data;                /* owned (malloc); freed by staff_res_free */
	size_t len;
	const char *type;          /* a static string */
	int fd;                    /* STAFF_RES_FILE: owned until sent */
	size_t size;
	bool page;                 /* page headers (no-cache, csp below) instead of the API's */
	char csp[1024];
	struct {
		char name[40], value[300];
	} hdr[STAFF_RES_HEADERS];
	size_t nhdr;
	bool last_taken;           /* the last staff_res_* call set the result */
};

struct req {
	struct staff *st;
	struct MHD_Connection *c;
	const char *method;
	char url[512];
	struct strbuf body;
	bool too_large;
	/* /api/ path split into segments */
	char path[512];
	const char *seg[STAFF_MAX_SEGS];
	size_t nseg;
	/* the logged-in account */
	bool authed;
	struct store_session sess;
	char sid_hash[STAFF_HASH_HEX];
	/* what the handler answers */
	struct staff_result res;
	bool sent;                 /* handed to libmicrohttpd */
	struct login_job *login;   /* login.c: a login waiting for its password check (owned) */
};

/* True once a result is set. */
bool staff_res_set(const struct req *r);
/* A JSON object answer (takes over the reference; NULL: 500 without body). */
void staff_res_json(struct req *r, unsigned status, json_t *o);
/* {"error": code, "message": message} */
void staff_res_error(struct req *r, unsigned status, const char *code, const char *message);
/* Logs what and answers 500 {"error":"internal",...}. */
void staff_res_internal(struct req *r, const char *what);
/* 422 with every diagnostic of d as {"file","line","col","message"}; a
 * leading tmp_prefix of a file name is shown as display_prefix (both may
 * be NULL); extra's fields are added (reference taken over, may be NULL). */
void staff_res_invalid(struct req *r, struct diag *d, const char *tmp_prefix,
                       const char *display_prefix, json_t *extra);
/* Bytes (copied) with a content type. */
void staff_res_bytes(struct req *r, unsigned status, const char *type, const void *data,
                     size_t len);
/* Bytes the result takes over (data from malloc; freed with the result). */
void staff_res_take(struct req *r, unsigned status, const char *type, char *data, size_t len);
/* A staff page: fd (taken over) of size bytes, served with csp. */
void staff_res_file(struct req *r, const char *type, int fd, size_t size, const char *csp);
/* A status without a body. */
void staff_res_empty(struct req *r, unsigned status);
/* Adds a header to the result set last (ignored when none is set or the
 * header does not fit). */
void staff_res_header(struct req *r, const char *name, const char *value);
/* Frees the result's body (and closes its file). */
void staff_res_free(struct staff_result *res);

/* A string field of o, or NULL (absent, null or not a string). */
const char *staff_jstr(json_t *o, const char *key);
/* A JSON string of buf[0..n) with invalid UTF-8 replaced by U+FFFD. */
json_t *staff_jtext(const char *buf, size_t n);

#endif
