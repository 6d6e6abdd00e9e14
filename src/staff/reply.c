/* reply.c - sends a staff request's result (see reply.h): the only file of
 * src/staff/ that creates libmicrohttpd responses. API answers get
 * no-store and a CSP that allows nothing; staff pages get no-cache and the
 * pages' CSP the result carries. */
#include <microhttpd.h>
#include <stdlib.h>

#include "net/http_util.h"
#include "staff/reply.h"
#include "util/log.h"

static const char api_csp[] = "default-src 'none'; frame-ancestors 'none'";

int staff_reply_send(struct req *r)
{
	struct staff_result *res = &r->res;
	struct MHD_Response *resp = NULL;
	if (res->kind == STAFF_RES_NONE) {
		log_err("staff: no answer for %s %s", r->method, r->url);
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
	}
	if (res->kind == STAFF_RES_FILE) {
		resp = MHD_create_response_from_fd(res->size, res->fd);
		if (resp)
			res->fd = -1;   /* libmicrohttpd closes it */
	} else if (res->kind == STAFF_RES_DATA) {
		resp = MHD_create_response_from_buffer(res->len, res->data, MHD_RESPMEM_MUST_FREE);
		if (resp)
			res->data = NULL;
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	unsigned status = resp ? res->status : MHD_HTTP_INTERNAL_SERVER_ERROR;
	if (resp && res->page) {
		http_base_headers(resp, res->type, "no-cache", true);
		MHD_add_response_header(resp, "Content-Security-Policy", res->csp);
	} else if (resp) {
		http_base_headers(resp, res->type ? res->type : "text/plain; charset=utf-8", "no-store",
		                  true);
		MHD_add_response_header(resp, "Content-Security-Policy", api_csp);
	}
	for (size_t i = 0; resp && i < res->nhdr; i++)
		MHD_add_response_header(resp, res->hdr[i].name, res->hdr[i].value);
	int rc = resp ? MHD_queue_response(r->c, status, resp) : MHD_NO;
	if (resp)
		MHD_destroy_response(resp);
	staff_res_free(res);
	return rc;
}
