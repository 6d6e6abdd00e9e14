/* serve.c - `lotse serve`: wires database, content, the HTTP addresses and
 * the conversation socket together, and handles signals (see serve.h).
 *
 * Threads: the calling thread runs the libwebsockets loop and owns every
 * conversation; libmicrohttpd runs one thread per HTTP address; a signal
 * thread waits in sigwait() for SIGHUP/SIGTERM/SIGINT (blocked everywhere
 * else) and does reloads itself, with its own database connection. They
 * share only the published content (content_current/content_publish, which
 * lock) and atomic counters; the signal thread wakes the loop with
 * lws_cancel_service (ws_wake), the one thread-safe lws call.
 */
#include "server/serve.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "content/content.h"
#include "net/http.h"
#include "net/metrics.h"
#include "net/resume.h"
#include "net/statsrec.h"
#include "net/takehome.h"
#include "net/ws.h"
#include "staff/staff.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/log.h"

struct serve {
	const struct config *cfg;
	struct content_options copts;
	struct net_metrics metrics;
	struct store *wdb;          /* loads: main thread at start, then the signal thread */
	struct store *rdb;          /* searches: the socket thread */
	struct ws_server *ws;
	struct statsrec *stats;     /* statistics recorder (its own thread), or NULL: off */
	struct http_server *kiosk, *staff;
	struct takehome *takehome;  /* take-home links: the socket seals, /t/ opens */
	struct staff *staff_area;   /* the staff area (its own database connection) */
	sigset_t sigs;
	pthread_t sig_thread;
	bool sig_started;
	atomic_bool stop;
};

/* Lookup counters outlive every snapshot (a snapshot may still be
 * referenced after serve_run returns), so they are not on the stack. */
static struct catalog_stats catalog_stats;

static void set_log_level(const char *s)
{
	if (!s)
		return;
	if (!strcmp(s, "error"))
		log_set_level(LOG_ERR);
	else if (!strcmp(s, "warning"))
		log_set_level(LOG_WARN);
	else if (!strcmp(s, "debug"))
		log_set_level(LOG_DEBUG);
	else
		log_set_level(LOG_INFO);
}

/* Logs every diagnostic as one error line (sorted by file and position). */
static void log_diag(struct diag *d, const char *what)
{
	char line[1024];
	diag_sort(d);
	for (size_t i = 0; i < d->n; i++)
		log_err("%s: %s", what, diag_format(d, i, line, sizeof(line)));
	if (d->dropped)
		log_err("%s: ... and %zu more errors", what, d->dropped);
}

static unsigned long current_generation(void)
{
	struct content *c = content_current();
	unsigned long g = c ? c->generation : 0;
	content_unref(c);
	return g;
}

/* Loads the content with the connection db and publishes it. Returns 0,
 * or -1 with every error logged (what: "start" or "reload"). */
static int load_and_publish(struct serve *sv, struct store *db, const char *what)
{
	struct diag d;
	diag_init(&d);
	struct content *c = content_load(&sv->copts, db, &d);
	if (!c) {
		log_diag(&d, what);
		log_err("%s: %zu error%s in the content; %s", what, diag_count(&d),
		        diag_count(&d) == 1 ? "" : "s",
		        strcmp(what, "reload") ? "not starting"
		                               : "the previous content keeps serving");
		diag_free(&d);
		return -1;
	}
	diag_free(&d);
	size_t nt = c->ntenants;
	content_publish(c);
	log_info("%s: content generation %lu is live (%zu tenant%s)", what, current_generation(),
	         nt, nt == 1 ? "" : "s");
	return 0;
}

/* One reload at a time: SIGHUP (the signal thread, with wdb) and the staff
 * area's publishes (its HTTP thread, with its own connection db). */
static pthread_mutex_t reload_lock = PTHREAD_MUTEX_INITIALIZER;

static int reload_now(struct serve *sv, struct store *db)
{
	pthread_mutex_lock(&reload_lock);
	int rc = load_and_publish(sv, db, "reload");
	atomic_fetch_add(rc == 0 ? &sv->metrics.reloads_ok : &sv->metrics.reloads_failed, 1);
	pthread_mutex_unlock(&reload_lock);
	return rc;
}

static int staff_reload(void *ud, struct store *db)
{
	return reload_now(ud, db);
}

/* ---- signals ---- */

static void *signal_main(void *arg)
{
	struct serve *sv = arg;
	for (;;) {
		int sig = 0;
		if (sigwait(&sv->sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			log_info("reload: SIGHUP received, loading %s", sv->copts.flows_dir);
			reload_now(sv, sv->wdb);
			continue;
		}
		log_info("%s received, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
		atomic_store(&sv->stop, true);
		if (sv->ws)
			ws_wake(sv->ws);
		return NULL;
	}
}

static int start_signal_thread(struct serve *sv)
{
	if (pthread_create(&sv->sig_thread, NULL, signal_main, sv) != 0) {
		log_err("cannot start the signal thread");
		return -1;
	}
	sv->sig_started = true;
	return 0;
}

static void stop_signal_thread(struct serve *sv)
{
	if (!sv->sig_started)
		return;
	if (!atomic_load(&sv->stop))
		pthread_kill(sv->sig_thread, SIGTERM);   /* blocked there: sigwait takes it */
	pthread_join(sv->sig_thread, NULL);
	sv->sig_started = false;
}

/* ---- listeners ---- */

/* A host usable in a URL for a bound address: wildcards become loopback,
 * IPv6 gets brackets. */
static void url_host(const char *host, char *out, size_t n)
{
	if (!host || !*host || !strcmp(host, "0.0.0.0"))
		snprintf(out, n, "127.0.0.1");
	else if (!strcmp(host, "::"))
		snprintf(out, n, "[::1]");
	else if (strchr(host, ':'))
		snprintf(out, n, "[%s]", host);
	else
		snprintf(out, n, "%s", host);
}

static bool is_wildcard(const char *host)
{
	return !host || !*host || !strcmp(host, "0.0.0.0") || !strcmp(host, "::");
}

/* The page's /config.json: where the conversation socket is. A wildcard
 * socket address gives host null (the page uses its own host name); with
 * public (public_socket), host and port are null: that path on the page's
 * own origin (a reverse proxy forwards it, docs/nginx.md). Caller frees. */
static char *page_config(const struct config *cfg, int ws_port, const char *public)
{
	char host[300];
	url_host(cfg->socket.host, host, sizeof(host));
	json_t *sock = public
		? json_pack("{s:n,s:n,s:s}", "host", "port", "path", public)
		: json_pack("{s:s?,s:i,s:s}", "host", is_wildcard(cfg->socket.host) ? NULL : host,
		            "port", ws_port, "path", "/");
	if (!sock)
		return NULL;
	json_t *o = json_pack("{s:o,s:i,s:i,s:i,s:i,s:b}", "socket", sock, "max_message",
	                      (int)cfg->max_message, "idle_timeout", cfg->idle_timeout,
	                      "idle_countdown", cfg->idle_countdown, "reach_zone", cfg->reach_zone,
	                      "take_home", cfg->public_url != NULL);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

static int add_origin(struct serve *sv, const char *host, int port)
{
	char buf[320];
	if (port == 80)
		snprintf(buf, sizeof(buf), "http://%s", host);
	else
		snprintf(buf, sizeof(buf), "http://%s:%d", host, port);
	log_debug("socket: allowing origin %s", buf);
	return ws_allow_origin(sv->ws, buf);
}

/* The configured allow-list, or else the kiosk page's own origins. */
static int allow_origins(struct serve *sv, int kiosk_port)
{
	const struct config *cfg = sv->cfg;
	int rc = 0;
	for (size_t i = 0; i < cfg->norigins; i++)
		rc |= ws_allow_origin(sv->ws, cfg->origins[i]);
	if (cfg->norigins)
		return rc;
	rc |= add_origin(sv, "127.0.0.1", kiosk_port);
	rc |= add_origin(sv, "localhost", kiosk_port);
	rc |= add_origin(sv, "[::1]", kiosk_port);
	if (!is_wildcard(cfg->kiosk.host)) {
		char host[300];
		url_host(cfg->kiosk.host, host, sizeof(host));
		rc |= add_origin(sv, host, kiosk_port);
	}
	return rc;
}

/* The staff pages embed the kiosk page for previews (docs/staff.md): the
 * origins of the staff address may frame it (space-separated, into out). */
static void staff_frame_origins(const struct serve *sv, int port, char *out, size_t n)
{
	char host[300];
	url_host(sv->cfg->staff.host, host, sizeof(host));
	/* (CSP source expressions cannot name an IPv6 address) */
	snprintf(out, n, "http://127.0.0.1:%d http://localhost:%d", port, port);
	if (!is_wildcard(sv->cfg->staff.host) && strcmp(host, "127.0.0.1") && host[0] != '[') {
		size_t l = strlen(out);
		snprintf(out + l, n - l, " http://%s:%d", host, port);
	}
}

/* staff_set_voices' callback: ud is the kiosk address's struct http_server. */
static bool kiosk_voice(void *ud, const char *lang)
{
	return http_has_voice(ud, lang);
}

/* Opens the staff area; it finishes publishes a crash interrupted, so this
 * comes before the first load. */
static int open_staff(struct serve *sv)
{
	const struct config *cfg = sv->cfg;
	char err[512];
	struct staff_options o = {
		.db_path = cfg->db_path, .flows_dir = cfg->flows_dir, .po_dir = cfg->po_dir,
		.ui_dir = cfg->ui_dir, .kiosk_host = cfg->kiosk.host, .copts = &sv->copts,
		.session_timeout = cfg->staff_session_timeout,
		.secure_cookie = cfg->staff_secure_cookie, .reload = staff_reload, .reload_ud = sv,
		.preview_per_account = cfg->preview_per_account, .preview_max = cfg->preview_max,
		.trusted_proxies = cfg->trusted_proxies, .ntrusted_proxies = cfg->ntrusted_proxies,
		.login_workers = (unsigned)cfg->staff_login_workers,
		.login_queue = (unsigned)cfg->staff_login_queue,
		.audit_retention_days = cfg->audit_retention_days,
		.chartjs = cfg->staff_chartjs,
	};
	sv->staff_area = staff_open(&o, err, sizeof(err));
	if (!sv->staff_area) {
		log_err("%s", err);
		return -1;
	}
	return 0;
}

/* Descriptors kept free of connections: listeners, the databases, pipes to
 * espeak-ng/dot/msgfmt, content and catalogue files, event loop internals. */
#define FD_RESERVE 128

/* The connection totals, so that the three listeners together can never
 * run the process out of files (docs/operating.md, "Limits"): raises the
 * soft file limit as far as needed and allowed, and if that is not enough
 * lowers the totals, with one warning line. */
static void fit_file_limit(const struct config *cfg, unsigned *sock, unsigned *http)
{
	struct rlimit rl;
	*sock = (unsigned)cfg->socket_connections;
	*http = (unsigned)cfg->http_connections;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return;
	rlim_t want = (rlim_t)*sock + 2 * (rlim_t)*http + FD_RESERVE;
	if (rl.rlim_cur < want && rl.rlim_max > rl.rlim_cur) {
		struct rlimit up = {rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want
		                                                                       : rl.rlim_max,
		                    rl.rlim_max};
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl.rlim_cur = up.rlim_cur;
	}
	if (rl.rlim_cur >= want)
		return;
	rlim_t budget = rl.rlim_cur > FD_RESERVE + 6 ? rl.rlim_cur - FD_RESERVE : 6;
	unsigned h = *http, s;
	if (h > budget / 4)
		h = (unsigned)(budget / 4);
	s = (unsigned)(budget - 2 * (rlim_t)h);
	if (s > *sock)
		s = *sock;
	log_warn("limits: the process may open only %llu files (ulimit -n; systemd: LimitNOFILE=); "
	         "lowered socket_connections from %u to %u and http_connections from %u to %u, "
	         "keeping %d for the database, pipes and content files",
	         (unsigned long long)rl.rlim_cur, *sock, s, *http, h, FD_RESERVE);
	*sock = s;
	*http = h;
}

static int start_listeners(struct serve *sv)
{
	const struct config *cfg = sv->cfg;
	char err[512];
	struct token_key key;
	unsigned sock_total, http_total;
	fit_file_limit(cfg, &sock_total, &http_total);
	if (cfg->resume_key_file &&
	    token_key_load(&key, cfg->resume_key_file, err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	struct ws_options wo = {
		.resume_key = cfg->resume_key_file ? &key : NULL,
		.host = cfg->socket.host, .port = cfg->socket.port, .max_message = cfg->max_message,
		.ping_interval = cfg->ping_interval, .ping_timeout = cfg->ping_timeout,
		.resume_window = cfg->resume_window, .max_sessions = cfg->max_sessions,
		.preview_resume_window = cfg->preview_resume_window,
		.libev = !cfg->event_loop || strcmp(cfg->event_loop, "poll") != 0,
		.db = sv->rdb, .metrics = &sv->metrics, .preview = staff_preview_get,
		.max_connections = sock_total, .max_per_address = (unsigned)cfg->socket_per_address,
		.log_interval = cfg->limits_log_interval, .stats = sv->stats,
	};
	/* take-home links: sealed with the resume key, so that every instance
	 * opens them; without one with a key of this process only */
	sv->takehome = takehome_create(cfg->resume_key_file ? &key : NULL, cfg->public_url,
	                               cfg->take_home_ttl);
	wo.takehome = sv->takehome;
	sv->ws = sv->takehome ? ws_create(&wo, err, sizeof(err)) : NULL;
	if (!sv->takehome)
		snprintf(err, sizeof(err), "out of memory (take-home links)");
	sodium_memzero(&key, sizeof(key));
	if (!sv->ws)
		goto fail;
	/* the staff address first: the kiosk page lets its pages frame it */
	struct http_delegate staff_routes = {staff_wants, staff_handle, staff_completed,
	                                     sv->staff_area};
	struct http_options so = {
		.role = HTTP_STAFF, .host = cfg->staff.host, .port = cfg->staff.port,
		.metrics = &sv->metrics, .generation = current_generation, .delegate = &staff_routes,
		.max_connections = http_total, .max_per_address = (unsigned)cfg->http_per_address,
		.header_timeout = cfg->header_timeout, .body_timeout = cfg->body_timeout,
		.idle_timeout = cfg->http_idle_timeout, .log_interval = cfg->limits_log_interval,
	};
	sv->staff = http_start(&so, err, sizeof(err));
	if (!sv->staff)
		goto fail;
	char frames[1024];
	staff_frame_origins(sv, http_port(sv->staff), frames, sizeof(frames));
	/* with public_socket: through the proxy that path, directly (a staff
	 * preview, a kiosk PC on the server) the socket's own port */
	char *pc = page_config(cfg, ws_port(sv->ws), cfg->public_socket);
	char *direct = cfg->public_socket ? page_config(cfg, ws_port(sv->ws), NULL) : NULL;
	struct http_options ko = {
		.role = HTTP_KIOSK, .host = cfg->kiosk.host, .port = cfg->kiosk.port,
		.ui_dir = cfg->ui_dir, .config_json = pc, .config_json_direct = direct,
		.generation = current_generation,
		.fonts_dir = cfg->fonts_dir, .metrics = &sv->metrics, .frame_ancestors = frames,
		.db_path = cfg->db_path, .takehome = sv->takehome,
		.max_connections = http_total, .max_per_address = (unsigned)cfg->http_per_address,
		.header_timeout = cfg->header_timeout, .body_timeout = cfg->body_timeout,
		.idle_timeout = cfg->http_idle_timeout, .log_interval = cfg->limits_log_interval,
	};
	if (pc && (direct || !cfg->public_socket))
		sv->kiosk = http_start(&ko, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "out of memory (/config.json)");
	free(pc);
	free(direct);
	if (!sv->kiosk)
		goto fail;
	staff_set_kiosk_port(sv->staff_area, http_port(sv->kiosk));
	staff_set_voices(sv->staff_area, kiosk_voice, sv->kiosk);
	if (allow_origins(sv, http_port(sv->kiosk)) != 0) {
		snprintf(err, sizeof(err), "too many origins");
		goto fail;
	}
	if (cfg->public_socket) {
		log_info("socket: pages connect to %s on their own origin (public_socket)",
		         cfg->public_socket);
		if (!cfg->norigins)
			log_warn("socket: public_socket is set but origins is empty: browsers on the "
			         "proxy's origin will be refused (set origins: [https://<public host>], "
			         "docs/nginx.md)");
	}
	return 0;
fail:
	log_err("%s", err);
	return -1;
}

static void print_urls(const struct serve *sv)
{
	char k[300], w[300], s[300];
	url_host(sv->cfg->kiosk.host, k, sizeof(k));
	url_host(sv->cfg->socket.host, w, sizeof(w));
	url_host(sv->cfg->staff.host, s, sizeof(s));
	printf("kiosk page: http://%s:%d/\n", k, http_port(sv->kiosk));
	printf("conversation socket: ws://%s:%d/\n", w, ws_port(sv->ws));
	printf("staff/ops: http://%s:%d/\n", s, http_port(sv->staff));
	fflush(stdout);
}

/* ---- run ---- */

static int open_stores(struct serve *sv)
{
	char err[256];
	sv->wdb = store_open(sv->cfg->db_path, err, sizeof(err));
	if (sv->wdb)
		sv->rdb = store_open(sv->cfg->db_path, err, sizeof(err));
	if (!sv->wdb || !sv->rdb) {
		log_err("%s", err);   /* err names the file */
		return -1;
	}
	return 0;
}

/* The statistics recorder (statsrec.h) with its own connection, unless
 * stats.enabled is false. */
static int start_stats(struct serve *sv)
{
	char err[512];
	if (!sv->cfg->stats_enabled) {
		log_info("statistics: off (stats.enabled: false)");
		return 0;
	}
	struct statsrec_options o = {.db_path = sv->cfg->db_path,
	                             .flush_seconds = sv->cfg->stats_flush_seconds,
	                             .retention_days = sv->cfg->stats_retention_days};
	sv->stats = statsrec_start(&o, err, sizeof(err));
	if (!sv->stats) {
		log_err("%s", err);
		return -1;
	}
	return 0;
}

/* Conversations saved by the last clean shutdown continue (resume.h); they
 * are restored on the socket thread in the background, with its connection. */
static int restore_sessions(struct serve *sv)
{
	struct content *c = content_current();
	resume_load(ws_sessions(sv->ws), sv->rdb, c, (long long)time(NULL));
	content_unref(c);
	return 0;   /* a failure is logged; the server runs anyway */
}

static void shutdown_all(struct serve *sv)
{
	staff_drain(sv->staff_area);   /* no connection may stay suspended */
	http_stop(sv->staff);
	staff_close(sv->staff_area);
	http_stop(sv->kiosk);
	stop_signal_thread(sv);
	if (sv->ws && sv->wdb)   /* the signal thread is gone: wdb is ours */
		resume_save(ws_sessions(sv->ws), sv->wdb, (long long)time(NULL),
		            sv->cfg->resume_window);
	ws_destroy(sv->ws);   /* ends every conversation */
	statsrec_stop(sv->stats);   /* the last counters written */
	takehome_destroy(sv->takehome);   /* after both its users */
	store_close(sv->rdb);
	store_close(sv->wdb);
	content_publish(NULL);
}

int serve_run(const struct config *cfg)
{
	struct serve sv;
	sigset_t old;
	int rc = -1;
	memset(&sv, 0, sizeof(sv));
	sv.cfg = cfg;
	atomic_init(&sv.stop, false);
	set_log_level(cfg->log_level);
	sv.copts = (struct content_options){
		.flows_dir = cfg->flows_dir, .mo_dir = cfg->mo_dir, .fallbacks = cfg->fallbacks,
		.nfallbacks = cfg->nfallbacks, .default_chain = (const char *const *)cfg->default_chain,
		.stats = &catalog_stats,
	};
	metrics_init(&sv.metrics, &catalog_stats);
	/* Block the signals before any thread exists, so only sigwait sees them. */
	sigemptyset(&sv.sigs);
	sigaddset(&sv.sigs, SIGHUP);
	sigaddset(&sv.sigs, SIGTERM);
	sigaddset(&sv.sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sv.sigs, &old);
	signal(SIGPIPE, SIG_IGN);
	if (open_stores(&sv) < 0 || open_staff(&sv) < 0 || load_and_publish(&sv, sv.wdb, "start") < 0 ||
	    start_stats(&sv) < 0 || start_listeners(&sv) < 0 ||
	    restore_sessions(&sv) < 0 || start_signal_thread(&sv) < 0)
		goto out;
	print_urls(&sv);
	rc = 0;
	while (!atomic_load(&sv.stop)) {
		if (ws_service(sv.ws) < 0) {
			log_err("socket: the event loop failed");
			rc = -1;
			break;
		}
	}
out:
	shutdown_all(&sv);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
