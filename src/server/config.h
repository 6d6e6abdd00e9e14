/* config.h - the server's configuration file (YAML) and command-line flags.
 *
 * Every key is documented in docs/operating.md; an unknown key is an error
 * with file:line:col, never ignored. Flags given on the command line override
 * the file. Port 0 means "pick a free port" (the chosen URL is printed).
 */
#ifndef LOTSE_CONFIG_H
#define LOTSE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "content/content.h"
#include "util/arena.h"
#include "util/diag.h"

struct listen_addr {
	const char *host;   /* "127.0.0.1", "0.0.0.0", "::1", ... */
	int port;           /* 0 = any free port */
};

struct config {
	const char *file;             /* config file used, or NULL */
	const char *flows_dir;        /* default "flows" */
	const char *mo_dir;           /* compiled catalogues; default "build/po" */
	const char *ui_dir;           /* kiosk page files; default "kiosk-ui" */
	const char *fonts_dir;        /* served under /fonts/; default /usr/share/fonts/truetype/noto */
	const char *db_path;          /* sqlite file; default "lotse.db" */
	const char *po_dir;           /* lotse.pot and <lang>.po (staff area); default "po" */
	int staff_session_timeout;    /* staff area: seconds of inactivity; default 1800 */
	bool staff_secure_cookie;     /* staff area: always mark the cookie Secure; default false */
	struct listen_addr kiosk;     /* HTTP: the page; default 0.0.0.0:8080 */
	struct listen_addr socket;    /* WebSocket; default 0.0.0.0:8081 */
	struct listen_addr staff;     /* HTTP: staff area, /metrics; default 127.0.0.1:8082 */
	/* A path like "/socket" on the page's own origin where a reverse proxy
	 * (docs/nginx.md) forwards the conversation socket; NULL: the page
	 * connects to listen.socket's port directly. */
	const char *public_socket;
	const char **origins;         /* allowed Origin values for the socket handshake */
	size_t norigins;              /* 0: only the kiosk page's own origin(s) */
	size_t max_message;           /* bytes; default 16384 (bigger: close 1009) */
	int ping_interval;            /* seconds between keepalive pings; default 30 */
	int ping_timeout;             /* seconds without a pong before dropping; default 10 */
	int resume_window;            /* seconds a detached conversation can be resumed; 1800 */
	int preview_resume_window;    /* ... a detached staff preview conversation; 120 */
	int preview_per_account;      /* live preview tokens per staff account; 8 (oldest dropped) */
	int preview_max;              /* live preview tokens in all; 64 (then 429) */
	const char *resume_key_file;  /* 32 bytes shared by all instances (scaling.md); NULL: random */
	int max_sessions;             /* default 20000 */
	int idle_timeout;             /* kiosk page: seconds without a touch before asking; 90 */
	int idle_countdown;           /* kiosk page: seconds of the "still there?" countdown; 20 (>= 20) */
	int reach_zone;               /* kiosk page, portrait: % of the screen's height at the bottom
	                               * that holds everything to touch; 44 (docs/kiosk.md) */
	struct fallback_rule *fallbacks;  /* per-language fallback chains */
	size_t nfallbacks;
	const char **default_chain;   /* NULL-terminated; default { "en", NULL } */
	const char *log_level;        /* error|warning|info|debug; default info */
	const char *event_loop;       /* socket: libev (default; poll if it is missing) or poll */
	/* limits: (docs/operating.md, "Limits") */
	int socket_connections;       /* open socket connections in all; default 16000 */
	int socket_per_address;       /* ... from one client address; default 256 */
	int http_connections;         /* each HTTP address; default 256 */
	int http_per_address;         /* each HTTP address, one client address; default 64 */
	int header_timeout;           /* HTTP: s from a request's start to its headers; 10 */
	int body_timeout;             /* HTTP: s from a request's start to its body's end; 60 */
	int http_idle_timeout;        /* HTTP: s without a byte either way; 30 */
	int limits_log_interval;      /* s between two log lines about refusals; 10 */
	/* staff: (docs/staff.md "Login", docs/operating.md) */
	const char **trusted_proxies; /* addresses/networks whose X-Forwarded-For counts; none */
	size_t ntrusted_proxies;
	int staff_login_workers;      /* password-check threads; default 2 */
	int staff_login_queue;        /* logins being checked or waiting at once; default 16 */
	int audit_retention_days;     /* audit log and refused-login counts; default 365 */
	/* stats: (docs/privacy.md, docs/operating.md "Statistics") */
	bool stats_enabled;           /* record anonymous usage statistics; default true */
	int stats_flush_seconds;      /* s between two writes of the counters; default 60 */
	int stats_retention_days;     /* days the counters are kept; default 400 */
	const char *staff_chartjs;    /* Chart.js for the statistics page (libjs-chart.js) */
	/* take it home on the phone (docs/kiosk.md): the address phones reach
	 * the kiosk address under ("https://lotse.example.org"; NULL: no phone
	 * links), and how long a link works, in seconds (default 86400) */
	const char *public_url;
	int take_home_ttl;
	struct arena *arena;          /* owns everything above */
};

/* Fills c with defaults (allocates its arena; free with config_free). */
int config_defaults(struct config *c);
/* Reads a YAML config file over the current values. A relative path in it
 * (flows, catalogues, ui, fonts, po, database, resume_key_file) is taken against the file's
 * folder ("dir/lotse.yaml" with "flows: flows" gives "dir/flows"); a file given
 * without a folder leaves them as written. Every problem goes to d; returns 0
 * or -1. */
int config_load(struct config *c, const char *path, struct diag *d);
/* Parses "host:port", "[v6]:port" or ":port" into a listen address (strings
 * from c's arena). Returns 0 or -1. */
int config_parse_addr(struct config *c, const char *s, struct listen_addr *out);
/* Frees everything the config owns. */
void config_free(struct config *c);

#endif
