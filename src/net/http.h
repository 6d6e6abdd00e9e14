/* http.h - the two HTTP addresses, served by libmicrohttpd.
 *
 * Kiosk address: the page's files from the ui folder (see webpath.h),
 * /config.json (tells the page where the conversation socket is) and
 * /healthz. Staff/ops address: /healthz and /metrics (Prometheus text).
 * Each runs in libmicrohttpd's own thread with timeouts and connection
 * limits set; GET and HEAD only.
 */
#ifndef LOTSE_HTTP_H
#define LOTSE_HTTP_H

#include "net/metrics.h"

enum http_role { HTTP_KIOSK, HTTP_STAFF };

struct http_options {
	enum http_role role;
	const char *host;            /* address to bind ("0.0.0.0", "::1", ...) */
	int port;                    /* 0: any free port */
	const char *ui_dir;          /* kiosk: folder with the page's files */
	const char *config_json;     /* kiosk: body of /config.json (copied) */
	struct net_metrics *metrics; /* staff: counters for /metrics */
	/* Generation of the published content, 0 when none (for /healthz and
	 * /metrics); called from HTTP threads. */
	unsigned long (*generation)(void);
};

struct http_server;

/* Binds and starts serving. Returns NULL with a message in err (bounded).
 * Caller stops with http_stop. */
struct http_server *http_start(const struct http_options *o, char *err, size_t errlen);
/* The port actually bound. */
int http_port(const struct http_server *h);
/* Stops the daemon (waits for its thread) and frees everything. NULL is fine. */
void http_stop(struct http_server *h);

#endif
