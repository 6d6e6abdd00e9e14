/* http.c - kiosk and staff HTTP addresses on libmicrohttpd (see http.h). */
#include "net/http.h"
#include "net/http_util.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/connlimit.h"
#include "net/kiosk.h"
#include "net/webpath.h"
#include "util/log.h"
#include "util/strbuf.h"

#define HTTP_TIMEOUT_SECS 30    /* idle default: libmicrohttpd restarts it with every byte */
#define HTTP_CONN_LIMIT 256     /* defaults of the limits (http.h) */
#define HTTP_PER_IP_LIMIT 64
#define HTTP_HEADER_TIMEOUT 10
#define HTTP_BODY_TIMEOUT 60
#define HTTP_MEMORY_LIMIT (64 * 1024)
#define HTTP_KIOSK_THREADS 4   /* a speech synthesis must not hold up the page */

struct http_server {
	struct MHD_Daemon *daemon;
	enum http_role role;
	int port;
	int ui_fd;                 /* kiosk: the page folder, O_PATH */
	char *config_json;         /* kiosk: owned */
	char *config_json_direct;  /* kiosk: owned, or NULL (see http.h) */
	struct kiosk *kiosk;       /* kiosk: QR, speech, fonts (owned) */
	struct takehome *takehome; /* kiosk: take-home links (not owned), or NULL */
	struct net_metrics *metrics;
	unsigned long (*generation)(void);
	struct http_delegate delegate;  /* staff: the staff area's routes */
	char *page_csp;                 /* kiosk: page_csp with frame_ancestors (owned) */
	/* limits and deadlines (connlimit.h; docs/operating.md "Limits") */
	enum net_listener listener;
	struct conn_limits limits;
	pthread_mutex_t mu;             /* conns and their phases */
	pthread_cond_t cv;              /* wakes the watchdog to stop */
	struct hconn *conns;            /* open connections (owned) */
	bool sync_ready;                /* mu, cv, limits and the log rates exist */
	bool watchdog_running, stopping;
	pthread_t watchdog;
	int header_timeout, body_timeout;
	struct log_rate deadline_rate[NET_DEADLINES];
	struct log_rate mhd_rate;       /* libmicrohttpd's own messages */
};

/* Where a connection's current request is, for the deadlines. */
enum hphase {
	HC_HEADERS,   /* waiting for (the rest of) the request line and headers */
	HC_BODY,      /* headers in, waiting for the end of the body */
	HC_ANSWER,    /* request complete: answering (no deadline) */
	HC_CLOSING,   /* shut down by the watchdog */
};

/* One open connection (libmicrohttpd's socket_context); allocated in
 * on_connection(STARTED), freed in on_connection(CLOSED). */
struct hconn {
	struct hconn *prev, *next;
	struct conn_key key;
	bool counted;       /* counted in limits */
	bool linked;        /* in http_server.conns */
	int fd;
	time_t since;       /* start of the current request (monotonic seconds) */
	enum hphase phase;
};

static time_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static const char page_csp[] =
	"default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
	"media-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
	"base-uri 'none'; frame-ancestors 'none'";

/* Adds headers every answer carries. */
static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
                                 const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	http_base_headers(r, type, "no-cache", true);
	return http_queue(c, status, r);
}

static enum MHD_Result not_found(struct MHD_Connection *c)
{
	return send_text(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
}

static enum MHD_Result healthz(struct http_server *h, struct MHD_Connection *c)
{
	unsigned long gen = h->generation ? h->generation() : 1;
	if (!gen)
		return send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
		                 "no content\n");
	return send_text(c, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n");
}

static enum MHD_Result metrics(struct http_server *h, struct MHD_Connection *c)
{
	struct strbuf sb;
	strbuf_init(&sb);
	metrics_render(h->metrics, h->generation ? h->generation() : 0, &sb);
	size_t len = sb.len;
	char *body = strbuf_steal(&sb);
	if (!body)
		return MHD_NO;
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	http_base_headers(r, "text/plain; version=0.0.4; charset=utf-8", "no-cache", true);
	return http_queue(c, MHD_HTTP_OK, r);
}

static enum MHD_Result serve_file(struct http_server *h, struct MHD_Connection *c,
                                  const char *url);

/* Answers 200 with the page's file rel (already checked by webpath_check)
 * as type; an HTML file gets the page's Content-Security-Policy, and with
 * no_referrer a Referrer-Policy that keeps the address to this site. */
static enum MHD_Result send_ui_file(struct http_server *h, struct MHD_Connection *c,
                                    const char *rel, const char *type, const char *cache,
                                    bool no_referrer)
{
	size_t size = 0;
	int fd = webpath_open(h->ui_fd, rel, &size);
	if (fd < 0)
		return not_found(c);
	struct MHD_Response *r = MHD_create_response_from_fd(size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	http_base_headers(r, type, cache, true);
	if (strncmp(type, "text/html", 9) == 0)
		MHD_add_response_header(r, "Content-Security-Policy",
		                        h->page_csp ? h->page_csp : page_csp);
	if (no_referrer)
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	return http_queue(c, MHD_HTTP_OK, r);
}

/* /t/<link>: the page, which must not hand its address (the link) to
 * another site in a Referer. */
static enum MHD_Result serve_link_page(struct http_server *h, struct MHD_Connection *c)
{
	char rel[WEBPATH_MAX];
	if (webpath_check("/", rel, sizeof(rel)) < 0)
		return not_found(c);
	return send_ui_file(h, c, rel, "text/html; charset=utf-8", "no-store", true);
}

static enum MHD_Result serve_file(struct http_server *h, struct MHD_Connection *c,
                                  const char *url)
{
	char rel[WEBPATH_MAX];
	if (webpath_check(url, rel, sizeof(rel)) < 0)
		return not_found(c);
	const char *type = webpath_mime(rel);
	if (!type)
		return not_found(c);
	return send_ui_file(h, c, rel, type, "no-cache", false);
}

/* Whether the request came to this address directly: its Host header has no
 * port other than the one this address listens on ("127.0.0.1:8080" when
 * listening on 8080, or no Host at all); through a proxy it names the
 * proxy's host ("lotse.example.org", "127.0.0.1:8443"). */
static bool direct_request(const struct http_server *h, struct MHD_Connection *c)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!host)
		return true;
	const char *bracket = strrchr(host, ']');   /* [v6]:port */
	const char *colon = strrchr(bracket ? bracket : host, ':');
	if (!colon)
		return false;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	return colon[1] && !*end && port == h->port;
}

static enum MHD_Result route(struct http_server *h, struct MHD_Connection *c, const char *url)
{
	if (strcmp(url, "/healthz") == 0)
		return healthz(h, c);
	if (h->role == HTTP_STAFF) {
		if (strcmp(url, "/metrics") == 0)
			return metrics(h, c);
		return not_found(c);
	}
	/* kiosk-ui/staff/ holds the staff area's page: the staff address serves it */
	if (strcmp(url, "/staff") == 0 || strncmp(url, "/staff/", 7) == 0)
		return not_found(c);
	if (strcmp(url, "/config.json") == 0)
		return send_text(c, MHD_HTTP_OK, "application/json",
		                 h->config_json_direct && direct_request(h, c) ? h->config_json_direct
		                                                              : h->config_json);
	char link[TAKEHOME_LINK_MAX + 1];
	enum takehome_route tr = takehome_route_parse(url, link);
	if (tr == TAKEHOME_ROUTE_PAGE && h->takehome && takehome_public_url(h->takehome))
		return serve_link_page(h, c);
	if (tr != TAKEHOME_ROUTE_NONE)
		return kiosk_answer_take_home(h->kiosk, c, tr, link);
	struct kroute kr;
	switch (kroute_parse(url, &kr)) {
	case KR_NONE: return serve_file(h, c, url);
	case KR_PAGE: return serve_file(h, c, "/");   /* /k/<tenant>: the page reads the path */
	default: return kiosk_answer(h->kiosk, c, &kr);
	}
}

/* The deadlines follow each request: the first call of the access handler
 * means the headers are in, a later call without data that the body is. */
static struct hconn *hconn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static void request_progress(struct http_server *h, struct MHD_Connection *c, size_t upload_size)
{
	struct hconn *hc = hconn_of(c);
	if (!hc)
		return;
	pthread_mutex_lock(&h->mu);
	if (hc->phase == HC_HEADERS)
		hc->phase = HC_BODY;
	else if (hc->phase == HC_BODY && upload_size == 0)
		hc->phase = HC_ANSWER;
	pthread_mutex_unlock(&h->mu);
}

/* Request states kept in *con_cls. The raw (not yet percent-decoded) URI
 * is checked in uri_seen: a file path never needs '%', and a decoded %00
 * would silently cut the path short ("/index.html%00.js"). */
static int raw_ok, raw_bad, raw_long, body_ok, body_bad;

/* No route needs a long URI; one near libmicrohttpd's memory limit would
 * leave no room for an answer, and the connection would just close. */
#define HTTP_MAX_URI 8192

static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	if (strlen(uri) > HTTP_MAX_URI)
		return &raw_long;
	size_t path_len = strcspn(uri, "?");
	return memchr(uri, '%', path_len) ? &raw_bad : &raw_ok;
}

/* 414 with as few header bytes as possible (see HTTP_MAX_URI). */
static enum MHD_Result uri_too_long(struct MHD_Connection *c)
{
	static const char text[] = "URI too long\n";
	struct MHD_Response *r =
		MHD_create_response_from_buffer(sizeof(text) - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_URI_TOO_LONG, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
	(void)version;
	(void)upload_data;
	struct http_server *h = cls;
	request_progress(h, c, *upload_data_size);
	if (*con_cls == &raw_long)
		return uri_too_long(c);
	if (h->delegate.handle && *con_cls != &raw_bad && *con_cls != &body_bad &&
	    h->delegate.wants(h->delegate.ud, url)) {
		if (*con_cls == &raw_ok)
			*con_cls = NULL;   /* from here on the delegate's state */
		return (enum MHD_Result)h->delegate.handle(h->delegate.ud, c, url, method, upload_data,
		                                           upload_data_size, con_cls);
	}
	if (*con_cls == &raw_ok || *con_cls == &raw_bad || !*con_cls) {  /* headers only */
		*con_cls = *con_cls == &raw_ok ? &body_ok : &body_bad;
		return MHD_YES;
	}
	if (*upload_data_size) {    /* a body we do not want: discard */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return http_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
	}
	if (*con_cls != &body_ok)
		return not_found(c);
	return route(cls, c, url);
}

/* Lets the delegate free the state it kept in *con_cls. */
static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
	struct http_server *h = cls;
	(void)toe;
	struct hconn *hc = hconn_of(c);
	if (hc) {   /* a kept-alive connection: the next request starts now */
		pthread_mutex_lock(&h->mu);
		if (hc->phase != HC_CLOSING) {
			hc->phase = HC_HEADERS;
			hc->since = mono_now();
		}
		pthread_mutex_unlock(&h->mu);
	}
	if (h->delegate.completed && *con_cls && *con_cls != &raw_ok && *con_cls != &raw_bad &&
	    *con_cls != &raw_long &&
	    *con_cls != &body_ok && *con_cls != &body_bad)
		h->delegate.completed(h->delegate.ud, con_cls);
}

__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *h = cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	/* Out of files, libmicrohttpd says so at every accept: count, and
	 * write one line per interval. */
	if (h->metrics && (!strncmp(line, "Error accepting", 15) || !strncmp(line, "Hit process", 11)))
		atomic_fetch_add(&h->metrics->accept_errors[h->listener], 1);
	long secs = 0;
	unsigned long k = log_rate_hit(&h->mhd_rate, &secs);
	if (k == 1)
		log_warn("http: %s", line);
	else if (k)
		log_warn("http: %s (and %lu more libmicrohttpd messages in the last %ld s)", line,
		         k - 1, secs);
}

/* ---- limits and deadlines ---- */

/* The accept policy (MHD_start_daemon's apc): refuses a connection over a limit (counted and
 * logged by connlimit; libmicrohttpd closes it without a line). The
 * connection is counted when libmicrohttpd starts it (on_connection). */
static enum MHD_Result admit(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct http_server *h = cls;
	struct conn_key key;
	if (connlimit_key(addr, addrlen, &key) < 0)
		return MHD_YES;
	return connlimit_admit(&h->limits, &key, false) == CONN_OK ? MHD_YES : MHD_NO;
}

/* MHD_OPTION_NOTIFY_CONNECTION: keeps the list of open connections for
 * the limits and the watchdog. libmicrohttpd calls CLOSED before it closes
 * the socket, so the watchdog never touches a closed descriptor. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct http_server *h = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		struct hconn *hc = calloc(1, sizeof(*hc));   /* freed at CLOSED */
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *addr =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context = hc;
		if (!hc || !fd)
			return;   /* not counted, no deadline: libmicrohttpd's timeout only */
		hc->fd = fd->connect_fd;
		hc->since = mono_now();
		hc->phase = HC_HEADERS;
		socklen_t alen = addr && addr->client_addr && addr->client_addr->sa_family == AF_INET6
		                         ? sizeof(struct sockaddr_in6)
		                         : sizeof(struct sockaddr_in);
		hc->counted = addr && connlimit_key(addr->client_addr, alen, &hc->key) == 0 &&
		              connlimit_take(&h->limits, &hc->key) == 0;
		pthread_mutex_lock(&h->mu);
		hc->next = h->conns;
		if (h->conns)
			h->conns->prev = hc;
		h->conns = hc;
		hc->linked = true;
		pthread_mutex_unlock(&h->mu);
		return;
	}
	struct hconn *hc = *socket_context;
	if (!hc)
		return;
	*socket_context = NULL;
	if (hc->linked) {
		pthread_mutex_lock(&h->mu);
		if (hc->prev)
			hc->prev->next = hc->next;
		else if (h->conns == hc)
			h->conns = hc->next;
		if (hc->next)
			hc->next->prev = hc->prev;
		pthread_mutex_unlock(&h->mu);
	}
	if (hc->counted)
		connlimit_release(&h->limits, &hc->key);
	free(hc);
}

static void deadline_log(struct http_server *h, int d, unsigned long n, long secs, bool first)
{
	static const char *const what[NET_DEADLINES] = {"request headers", "request body"};
	int limit = d == NET_DEADLINE_HEADERS ? h->header_timeout : h->body_timeout;
	const char *who = metrics_listener_name(h->listener);
	if (first)
		log_warn("%s: closed 1 connection whose %s did not arrive within %d s; further ones "
		         "are counted in lotse_http_deadline_closed_total and logged at most every "
		         "%ld s", who, what[d], limit, h->deadline_rate[d].interval);
	else
		log_warn("%s: closed %lu connection%s in the last %ld s whose %s did not arrive "
		         "within %d s", who, n, n == 1 ? "" : "s", secs, what[d], limit);
}

/* Logs what the rate limits held back (force: all of it, at stop). */
static void flush_logs(struct http_server *h, bool force)
{
	long secs = 0;
	unsigned long n;
	connlimit_flush(&h->limits, force);
	for (int d = 0; d < NET_DEADLINES; d++)
		if ((n = log_rate_flush(&h->deadline_rate[d], force, &secs)))
			deadline_log(h, d, n, secs, false);
	if ((n = log_rate_flush(&h->mhd_rate, force, &secs)))
		log_warn("http: %s: %lu more libmicrohttpd messages in the last %ld s",
		         metrics_listener_name(h->listener), n, secs);
}

/* The watchdog: once a second, shuts down every connection whose request
 * has not fully arrived within its deadline (counted from the request's
 * start, not from the last byte). shutdown() keeps the descriptor, which
 * libmicrohttpd then sees end and closes itself. */
static void *watchdog(void *arg)
{
	struct http_server *h = arg;
	pthread_mutex_lock(&h->mu);
	while (!h->stopping) {
		time_t now = mono_now();
		unsigned long closed[NET_DEADLINES] = {0, 0};
		for (struct hconn *hc = h->conns; hc; hc = hc->next) {
			int d = -1;
			if (hc->phase == HC_HEADERS && now - hc->since >= h->header_timeout)
				d = NET_DEADLINE_HEADERS;
			else if (hc->phase == HC_BODY && now - hc->since >= h->body_timeout)
				d = NET_DEADLINE_BODY;
			if (d < 0)
				continue;
			shutdown(hc->fd, SHUT_RDWR);
			hc->phase = HC_CLOSING;
			closed[d]++;
		}
		pthread_mutex_unlock(&h->mu);
		for (int d = 0; d < NET_DEADLINES; d++) {
			if (h->metrics && closed[d])
				atomic_fetch_add(&h->metrics->deadline[h->listener][d], closed[d]);
			for (unsigned long i = 0; i < closed[d]; i++) {
				long secs = 0;
				unsigned long n = log_rate_hit(&h->deadline_rate[d], &secs);
				if (n)
					deadline_log(h, d, n, secs, n == 1 && secs == 0);
			}
		}
		flush_logs(h, false);
		pthread_mutex_lock(&h->mu);
		if (h->stopping)
			break;
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&h->cv, &h->mu, &until);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* Sets up the limits, the lock and the log rates. Returns 0 or -1. */
static int init_limits(struct http_server *h, const struct http_options *o)
{
	long interval = o->log_interval > 0 ? o->log_interval : 10;
	h->listener = o->role == HTTP_KIOSK ? NET_KIOSK : NET_STAFF;
	h->header_timeout = o->header_timeout > 0 ? o->header_timeout : HTTP_HEADER_TIMEOUT;
	h->body_timeout = o->body_timeout > 0 ? o->body_timeout : HTTP_BODY_TIMEOUT;
	if (connlimit_init(&h->limits, h->listener,
	                   o->max_connections ? o->max_connections : HTTP_CONN_LIMIT,
	                   o->max_per_address ? o->max_per_address : HTTP_PER_IP_LIMIT, o->metrics,
	                   interval) < 0)
		return -1;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&h->mu, NULL);
	for (int d = 0; d < NET_DEADLINES; d++)
		log_rate_init(&h->deadline_rate[d], interval);
	log_rate_init(&h->mhd_rate, interval);
	h->sync_ready = true;
	return 0;
}

/* Resolves host:port into a socket address. Returns 0 or -1 (err). */
static int resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *sslen,
                   char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char portstr[16];
	snprintf(portstr, sizeof(portstr), "%d", port);
	int rc = getaddrinfo(host && *host ? host : "0.0.0.0", portstr, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "cannot resolve address %s: %s", host ? host : "",
		         gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int start_daemon(struct http_server *h, const struct http_options *o, char *err,
                        size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	if (resolve(o->host, o->port, &ss, &sslen, err, errlen) < 0)
		return -1;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem pool[] = {   /* kiosk only: several threads */
		{o->role == HTTP_KIOSK ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
		 HTTP_KIOSK_THREADS, NULL},
		{MHD_OPTION_END, 0, NULL},
	};
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (o->role == HTTP_STAFF)   /* logins wait for their password check suspended */
		flags |= MHD_ALLOW_SUSPEND_RESUME;
	/* Our limits (admit) come first; libmicrohttpd's own, which would log
	 * every refusal, sit one above them in every thread of the pool. */
	unsigned threads = o->role == HTTP_KIOSK ? HTTP_KIOSK_THREADS : 1;
	unsigned backstop = (h->limits.total + 1) * threads;
	h->daemon = MHD_start_daemon(
		flags, (uint16_t)o->port, admit, h, handle, h,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)h,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, (void *)h,
		MHD_OPTION_URI_LOG_CALLBACK, uri_seen, (void *)NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed, (void *)h,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)(o->idle_timeout > 0 ? o->idle_timeout : HTTP_TIMEOUT_SECS),
		MHD_OPTION_CONNECTION_LIMIT, backstop,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MEMORY_LIMIT,
		MHD_OPTION_ARRAY, pool,
		MHD_OPTION_END);
	if (!h->daemon) {
		snprintf(err, errlen, "cannot listen on %s:%d (HTTP)", o->host ? o->host : "",
		         o->port);
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : o->port;
	if (pthread_create(&h->watchdog, NULL, watchdog, h) != 0) {
		snprintf(err, errlen, "cannot start the HTTP watchdog thread");
		return -1;
	}
	h->watchdog_running = true;
	return 0;
}

struct http_server *http_start(const struct http_options *o, char *err, size_t errlen)
{
	struct http_server *h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->role = o->role;
	h->ui_fd = -1;
	if (init_limits(h, o) < 0) {
		snprintf(err, errlen, "out of memory");
		free(h);
		return NULL;
	}
	h->metrics = o->metrics;
	h->generation = o->generation;
	if (o->delegate)
		h->delegate = *o->delegate;
	if (o->role == HTTP_KIOSK && o->frame_ancestors) {   /* page_csp ends with frame-ancestors */
		size_t keep = strlen(page_csp) - strlen("frame-ancestors 'none'");
		size_t n = keep + strlen("frame-ancestors 'self' ") + strlen(o->frame_ancestors) + 1;
		if ((h->page_csp = malloc(n)))
			snprintf(h->page_csp, n, "%.*sframe-ancestors 'self' %s", (int)keep, page_csp,
			         o->frame_ancestors);
	}
	if (o->role == HTTP_KIOSK) {
		h->ui_fd = open(o->ui_dir ? o->ui_dir : "kiosk-ui", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (h->ui_fd < 0) {
			snprintf(err, errlen, "%s: %s", o->ui_dir ? o->ui_dir : "kiosk-ui",
			         strerror(errno));
			goto fail;
		}
		h->config_json = strdup(o->config_json ? o->config_json : "{}");
		h->config_json_direct = o->config_json_direct ? strdup(o->config_json_direct) : NULL;
		h->kiosk = kiosk_create(o->fonts_dir, o->metrics);
		if (h->kiosk && o->db_path)
			kiosk_set_recordings(h->kiosk, o->db_path);
		if (h->kiosk)
			kiosk_set_takehome(h->kiosk, o->takehome);
		h->takehome = o->takehome;
		if (!h->config_json || !h->kiosk || (o->config_json_direct && !h->config_json_direct)) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (start_daemon(h, o, err, errlen) < 0)
		goto fail;
	return h;
fail:
	http_stop(h);
	return NULL;
}

bool http_has_voice(struct http_server *h, const char *lang)
{
	return h && h->kiosk && kiosk_has_voice(h->kiosk, lang);
}

int http_port(const struct http_server *h)
{
	return h->port;
}

void http_stop(struct http_server *h)
{
	if (!h)
		return;
	if (h->watchdog_running) {
		pthread_mutex_lock(&h->mu);
		h->stopping = true;
		pthread_cond_signal(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->watchdog, NULL);
	}
	if (h->daemon)
		MHD_stop_daemon(h->daemon);   /* every connection's CLOSED: h->conns empties */
	if (h->sync_ready) {
		flush_logs(h, true);
		connlimit_free(&h->limits);
		for (int d = 0; d < NET_DEADLINES; d++)
			log_rate_destroy(&h->deadline_rate[d]);
		log_rate_destroy(&h->mhd_rate);
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
	}
	if (h->ui_fd >= 0)
		close(h->ui_fd);
	free(h->config_json);
	free(h->config_json_direct);
	free(h->page_csp);
	kiosk_destroy(h->kiosk);
	free(h);
}
