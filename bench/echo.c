/* echo.c - a bare libwebsockets echo server: the benchmark's baseline.
 *
 * It does what the conversation socket of `lotse serve` does minus the work:
 * one lws service thread, on connect one small text frame (as lotse sends its
 * "tenants" frame), then every complete text message is sent back as it came.
 * Messages are reassembled from lws's chunks and capped (close 1009), and
 * sent one lws_write per WRITEABLE callback with LWS_PRE headroom, exactly
 * the pattern DESIGN.md asks of the real server, so the difference between
 * the two is the cost of lotse's own work (JSON, engine, catalogues).
 *
 * Usage: lotse-bench-echo [--host 127.0.0.1] [--port 0] [--evlib ev|uv|glib]
 *                         [--max-message BYTES] [--debug LEVEL]
 * When ready it prints "conversation socket: ws://HOST:PORT/" (the same line
 * format as `lotse serve`, port 0 = a free port) and serves until SIGINT or
 * SIGTERM.
 */
#include <libwebsockets.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define ECHO_HELLO "{\"type\":\"hello\",\"server\":\"lotse-bench-echo\"}"

struct echo_msg {                  /* one queued outgoing message */
	struct echo_msg *next;
	size_t len;
	unsigned char buf[];           /* LWS_PRE headroom, then len bytes */
};

struct echo_pss {                  /* per connection; lws zeroes it */
	struct echo_msg *head, *tail;  /* send queue */
	unsigned char *partial;        /* message being reassembled (malloc) */
	size_t plen;
};

struct echo_opts {
	const char *host;
	int port;
	const char *evlib;
	size_t max_message;
	int log_level;
};

static volatile sig_atomic_t interrupted;
static struct lws_context *echo_ctx;
static size_t echo_max_message = 65536;

static bool echo_evlib;             /* an event library runs the loop */

static void echo_on_signal(int sig)
{
	(void)sig;
	/* With an event library lws_service() does not return to our loop, and
	 * an echo server has nothing to save: leave at once. */
	if (echo_evlib)
		_exit(0);
	interrupted = 1;
	if (echo_ctx)
		lws_cancel_service(echo_ctx);
}

/* Allocates a queue entry holding a copy of data (freed by echo_pss_free or
 * after it is written). Returns NULL when out of memory. */
static struct echo_msg *echo_msg_new(const void *data, size_t len)
{
	struct echo_msg *m = malloc(sizeof(*m) + LWS_PRE + len);

	if (!m)
		return NULL;
	m->next = NULL;
	m->len = len;
	if (len)
		memcpy(m->buf + LWS_PRE, data, len);
	return m;
}

static void echo_enqueue(struct lws *wsi, struct echo_pss *pss, struct echo_msg *m)
{
	if (pss->tail)
		pss->tail->next = m;
	else
		pss->head = m;
	pss->tail = m;
	lws_callback_on_writable(wsi);
}

/* Frees everything the connection owns (queue and partial message). */
static void echo_pss_free(struct echo_pss *pss)
{
	while (pss->head) {
		struct echo_msg *m = pss->head;

		pss->head = m->next;
		free(m);
	}
	pss->tail = NULL;
	free(pss->partial);
	pss->partial = NULL;
	pss->plen = 0;
}

/* Appends one received chunk; when the message is complete, queues it for
 * echo. Returns 0, or -1 to close the connection (too big, out of memory). */
static int echo_receive(struct lws *wsi, struct echo_pss *pss, const void *in, size_t len)
{
	struct echo_msg *m;
	unsigned char *grown;
	bool complete = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);

	if (pss->plen + len > echo_max_message) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, NULL, 0);
		return -1;
	}
	if (complete && !pss->partial) {   /* the usual case: one chunk */
		m = echo_msg_new(in, len);
		if (!m)
			return -1;
		echo_enqueue(wsi, pss, m);
		return 0;
	}
	grown = realloc(pss->partial, pss->plen + len + 1);
	if (!grown)
		return -1;
	pss->partial = grown;
	memcpy(pss->partial + pss->plen, in, len);
	pss->plen += len;
	if (!complete)
		return 0;
	m = echo_msg_new(pss->partial, pss->plen);
	free(pss->partial);
	pss->partial = NULL;
	pss->plen = 0;
	if (!m)
		return -1;
	echo_enqueue(wsi, pss, m);
	return 0;
}

/* Writes the first queued message (one lws_write per WRITEABLE callback). */
static int echo_writeable(struct lws *wsi, struct echo_pss *pss)
{
	struct echo_msg *m = pss->head;
	int n;

	if (!m)
		return 0;
	n = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
	if (n < (int)m->len)
		return -1;
	pss->head = m->next;
	if (!pss->head)
		pss->tail = NULL;
	free(m);
	if (pss->head)
		lws_callback_on_writable(wsi);
	return 0;
}

static int echo_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                         void *in, size_t len)
{
	struct echo_pss *pss = user;
	struct echo_msg *m;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		m = echo_msg_new(ECHO_HELLO, sizeof(ECHO_HELLO) - 1);
		if (!m)
			return -1;
		echo_enqueue(wsi, pss, m);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		return echo_receive(wsi, pss, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return echo_writeable(wsi, pss);
	case LWS_CALLBACK_CLOSED:
		echo_pss_free(pss);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols echo_protocols[] = {
	{ "lotse-bench-echo", echo_callback, sizeof(struct echo_pss), 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void echo_usage(FILE *f)
{
	fprintf(f, "usage: lotse-bench-echo [--host ADDR] [--port N] [--evlib ev|uv|glib]\n"
	           "                        [--max-message BYTES] [--debug LEVEL]\n");
}

/* Parses the command line into o. Returns 0, 1 for --help, -1 on error. */
static int echo_parse_args(int argc, char **argv, struct echo_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (!v) {
			fprintf(stderr, "lotse-bench-echo: unknown option or missing value: %s\n", a);
			return -1;
		}
		if (!strcmp(a, "--host"))
			o->host = v;
		else if (!strcmp(a, "--port"))
			o->port = atoi(v);
		else if (!strcmp(a, "--evlib"))
			o->evlib = v;
		else if (!strcmp(a, "--max-message"))
			o->max_message = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--debug"))
			o->log_level = atoi(v);
		else {
			fprintf(stderr, "lotse-bench-echo: unknown option: %s\n", a);
			return -1;
		}
		i++;
	}
	if (o->port < 0 || o->port > 65535 || o->max_message == 0) {
		fprintf(stderr, "lotse-bench-echo: bad --port or --max-message\n");
		return -1;
	}
	return 0;
}

/* Raises the open-file limit to the hard limit (10,000 sessions need it). */
static void echo_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			fprintf(stderr, "lotse-bench-echo: setrlimit: %s\n", strerror(errno));
	}
}

static uint64_t echo_evlib_option(const char *evlib)
{
	if (!evlib)
		return 0;
	if (!strcmp(evlib, "ev"))
		return LWS_SERVER_OPTION_LIBEV;
	if (!strcmp(evlib, "uv"))
		return LWS_SERVER_OPTION_LIBUV;
	if (!strcmp(evlib, "glib"))
		return LWS_SERVER_OPTION_GLIB;
	return (uint64_t)-1;
}

int main(int argc, char **argv)
{
	struct echo_opts o = { "127.0.0.1", 0, NULL, 65536, LLL_ERR | LLL_WARN };
	struct lws_context_creation_info info;
	struct lws_vhost *vh;
	uint64_t evopt;
	int rc = 1, r;

	r = echo_parse_args(argc, argv, &o);
	if (r) {
		echo_usage(r > 0 ? stdout : stderr);
		return r > 0 ? 0 : 2;
	}
	evopt = echo_evlib_option(o.evlib);
	if (evopt == (uint64_t)-1) {
		fprintf(stderr, "lotse-bench-echo: unknown --evlib %s\n", o.evlib);
		return 2;
	}
	echo_max_message = o.max_message;
	echo_evlib = evopt != 0;
	echo_raise_nofile();
	lws_set_log_level(o.log_level, NULL);
	signal(SIGINT, echo_on_signal);
	signal(SIGTERM, echo_on_signal);
	signal(SIGPIPE, SIG_IGN);

	memset(&info, 0, sizeof(info));
	info.port = o.port;
	info.iface = o.host;
	info.protocols = echo_protocols;
	/* as lotse's socket does: the stack's UTF-8 check is part of the baseline */
	info.options = evopt | LWS_SERVER_OPTION_VALIDATE_UTF8;
	if (!strchr(o.host, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	echo_ctx = lws_create_context(&info);
	if (!echo_ctx) {
		fprintf(stderr, "lotse-bench-echo: cannot create the lws context\n");
		return 1;
	}
	vh = lws_get_vhost_by_name(echo_ctx, "default");
	if (!vh) {
		fprintf(stderr, "lotse-bench-echo: no default vhost\n");
		goto out;
	}
	if (strchr(o.host, ':'))
		printf("conversation socket: ws://[%s]:%d/\n", o.host, lws_get_vhost_listen_port(vh));
	else
		printf("conversation socket: ws://%s:%d/\n", o.host, lws_get_vhost_listen_port(vh));
	fflush(stdout);
	while (!interrupted)
		if (lws_service(echo_ctx, 0) < 0)
			break;
	rc = 0;
out:
	lws_context_destroy(echo_ctx);
	return rc;
}
