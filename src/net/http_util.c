/* http_util.c - shared HTTP answer helpers; see http_util.h. */
#include "net/http_util.h"

void http_base_headers(struct MHD_Response *r, const char *type, const char *cache,
                       bool frame_deny)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (frame_deny)
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* Destroys our reference to r after queueing it. */
enum MHD_Result http_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}
