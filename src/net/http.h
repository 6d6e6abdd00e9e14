/* http.h - the two HTTP addresses, served by libmicrohttpd.
 *
 * Kiosk address: the page's files from the ui folder (see webpath.h),
 * /config.json (tells the page where the conversation socket is),
 * /healthz, and the routes of kiosk.h (/k/<tenant>, /qr/, /speak/,
 * /fonts/) and of take-home links (/t/<link>, takehome.h). Staff/ops address: /healthz and /metrics (Prometheus text).
 * Each runs in libmicrohttpd's own thread(s) with timeouts and connection
 * limits set; GET and HEAD only. Connections over the limits are refused
 * quietly (connlimit.h); a watchdog thread closes connections whose request
 * headers (or body) have not fully arrived within a fixed time from the
 * request's start, however slowly they keep dribbling in.
 */
#ifndef LOTSE_HTTP_H
#define LOTSE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "net/metrics.h"

enum http_role { HTTP_KIOSK, HTTP_STAFF };

struct MHD_Connection;

/* Routes another module answers itself (the staff area, src/staff/staff.h):
 * for a request whose path `wants` accepts, `handle` is libmicrohttpd's
 * access handler (it owns *con_cls and may take bodies), and `completed`
 * frees its state when the request ends. */
struct http_delegate {
	bool (*wants)(void *ud, const char *url);
	int (*handle)(void *ud, struct MHD_Connection *c, const char *url, const char *method,
	              const char *upload_data, size_t *upload_data_size, void **con_cls);
	void (*completed)(void *ud, void **con_cls);
	void *ud;
};

struct http_options {
	enum http_role role;
	const char *host;            /* address to bind ("0.0.0.0", "::1", ...) */
	int port;                    /* 0: any free port */
	const char *ui_dir;          /* kiosk: folder with the page's files */
	const char *config_json;     /* kiosk: body of /config.json (copied) */
	/* kiosk: body of /config.json for a request whose Host header names this
	 * address's own port (or has none): the page was loaded from the kiosk
	 * address itself, not through a proxy (a staff preview, a kiosk PC on
	 * the server). Copied; NULL: config_json for every request. */
	const char *config_json_direct;
	struct net_metrics *metrics; /* staff: counters for /metrics; kiosk: speech counters */
	const char *fonts_dir;       /* kiosk: folder served under /fonts/ (kiosk.h) */
	const char *db_path;         /* kiosk: database with recorded voices; NULL: none */
	const char *frame_ancestors; /* kiosk: origins that may frame the page (the staff
	                                pages' previews), space-separated; NULL: none */
	/* Generation of the published content, 0 when none (for /healthz and
	 * /metrics); called from HTTP threads. */
	unsigned long (*generation)(void);
	const struct http_delegate *delegate;  /* staff: the staff area (copied); may be NULL */
	struct takehome *takehome;   /* kiosk: take-home links under /t/ (not owned); may be NULL */
	/* Limits (docs/operating.md, "Limits"); 0: the default in brackets. */
	unsigned max_connections;    /* open TCP connections in all [256] */
	unsigned max_per_address;    /* ... from one client address [64] */
	int header_timeout;          /* s from a request's start to its last header line [10] */
	int body_timeout;            /* s from a request's start to the end of its body [60] */
	int idle_timeout;            /* s without a byte either way (restarts per byte) [30] */
	long log_interval;           /* s between two lines about refusals [10] */
};

struct http_server;

/* Binds and starts serving. Returns NULL with a message in err (bounded).
 * Caller stops with http_stop. */
struct http_server *http_start(const struct http_options *o, char *err, size_t errlen);
/* Kiosk address: true if read-aloud has a voice for lang (any thread). */
bool http_has_voice(struct http_server *h, const char *lang);
/* The port actually bound. */
int http_port(const struct http_server *h);
/* Stops the daemon (waits for its thread) and frees everything. NULL is fine. */
void http_stop(struct http_server *h);

#endif
