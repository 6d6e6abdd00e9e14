/* loop.c - the load generator's engine: sessions, the epoll loop, turns and
 * timers; see loop.h.
 *
 * A session's life: CONNECTING (non-blocking connect) -> HANDSHAKE (request
 * sent, waiting for 101) -> HELLO (waiting for the server's first frame:
 * "tenants" from lotse, "hello" from the echo server) -> then turns:
 * WAIT (request sent) -> THINK (optional pause, a timer) -> WAIT ...
 * In idle mode a session stops in IDLE after its first step. On any error
 * the session is closed, counted, and reconnected after a pause (BACKOFF).
 * Received bytes are parsed straight from one shared buffer; only a frame
 * cut off at the end of a read is copied into the session.
 */
#include "loop.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "jscan.h"
#include "proc.h"
#include "wsframe.h"

#define NS 1000000000ull
#define MS 1000000ull
#define RX_CHUNK 65536
#define MAX_PAYLOAD (1u << 20)
#define REQ_MAX 512                 /* a request's JSON text */
#define BACKOFF_NS (100 * MS)
#define FIRST_STEP_RETRY_NS (1 * MS)
#define IDLE_SETTLE_NS (500 * MS)

enum sstate { SS_NEW, SS_CONNECTING, SS_HANDSHAKE, SS_HELLO, SS_WAIT, SS_THINK, SS_IDLE,
              SS_BACKOFF };

struct session {
	int fd;
	uint32_t id;
	enum sstate st;
	bool ever_ready;                /* reached HELLO's end once (ramp) */
	bool need_start;                /* next request is "start" */
	bool want_out;                  /* EPOLLOUT registered */
	uint8_t *rx;                    /* a partial frame carried over */
	size_t rxlen, rxcap;
	uint8_t *tx;                    /* bytes send() did not take */
	size_t txlen, txoff;
	uint64_t t_sent;                /* request sent (turn start) */
	uint64_t t_state;               /* entered the current state */
	uint64_t wake;                  /* THINK/BACKOFF: timer */
	size_t heap_pos;                /* index in the timer heap + 1, 0 if not in */
	uint64_t rng;
	uint32_t steps;                 /* choices made in this conversation */
	uint32_t counter;               /* requests sent (echo payload, round robin) */
	char choice[JSCAN_MAX_ID + 1];  /* next choice id (raw JSON string body) */
	char key[WS_KEY_LEN + 1];
};

struct loop {
	const struct load_opts *o;
	const struct sockaddr *addr;
	socklen_t addrlen;
	const char *host_port, *path;
	struct load_result *r;
	int ep;
	struct session *s;
	size_t n;
	struct session **heap;          /* timer min-heap on wake */
	size_t nheap;
	size_t next_open;               /* sessions not yet opened: [next_open, n) */
	size_t inflight;                /* sessions between connect and ready */
	size_t ready;                   /* sessions that were ready once */
	size_t idle;                    /* idle mode: sessions in IDLE */
	uint64_t t_begin, t_ramped, t_measure, t_end, t_idle, t_next_scan;
	bool measuring, stop;
	double cpu0, server_cpu0;
	uint64_t mask_rng;
	uint8_t rxbuf[RX_CHUNK];
	uint8_t txbuf[REQ_MAX + WS_MAX_HEADER];
};

static volatile sig_atomic_t load_interrupted;

static void load_on_signal(int sig)
{
	(void)sig;
	load_interrupted = 1;
}

uint64_t load_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static int64_t load_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * (int64_t)NS + ts.tv_nsec;
}

static double load_cpu_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

const char *load_err_name(enum load_err e)
{
	static const char *const names[ERR_KINDS] = {
		"connect", "handshake", "protocol", "closed", "timeout", "server_error", "mismatch",
	};

	return e < ERR_KINDS ? names[e] : "?";
}

/* splitmix64: seeds and per-session random numbers, reproducible by seed. */
static uint64_t load_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Milliseconds from the first-step origin (--since, or the start of the
 * run) to now. */
static double first_step_elapsed(const struct loop *l, uint64_t now)
{
	if (l->o->since_ns)
		return (double)(load_realtime_ns() - l->o->since_ns) / 1e6;
	return (double)(now - l->t_begin) / 1e6;
}

/* ---- timer heap ------------------------------------------------------- */

static void heap_swap(struct loop *l, size_t a, size_t b)
{
	struct session *t = l->heap[a];

	l->heap[a] = l->heap[b];
	l->heap[b] = t;
	l->heap[a]->heap_pos = a + 1;
	l->heap[b]->heap_pos = b + 1;
}

static void heap_up(struct loop *l, size_t i)
{
	while (i > 0 && l->heap[(i - 1) / 2]->wake > l->heap[i]->wake) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct loop *l, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1, m = i;

		if (c < l->nheap && l->heap[c]->wake < l->heap[m]->wake)
			m = c;
		if (c + 1 < l->nheap && l->heap[c + 1]->wake < l->heap[m]->wake)
			m = c + 1;
		if (m == i)
			return;
		heap_swap(l, i, m);
		i = m;
	}
}

static void timer_remove(struct loop *l, struct session *s)
{
	size_t i;

	if (!s->heap_pos)
		return;
	i = s->heap_pos - 1;
	s->heap_pos = 0;
	if (i == --l->nheap)
		return;
	l->heap[i] = l->heap[l->nheap];
	l->heap[i]->heap_pos = i + 1;
	heap_up(l, i);
	heap_down(l, i);
}

static void timer_set(struct loop *l, struct session *s, uint64_t wake)
{
	timer_remove(l, s);
	s->wake = wake;
	l->heap[l->nheap] = s;
	s->heap_pos = ++l->nheap;
	heap_up(l, l->nheap - 1);
}

/* ---- sending ------------------------------------------------------------ */

static void sess_fail(struct loop *l, struct session *s, enum load_err e, const char *why);

static void sess_watch(struct loop *l, struct session *s, bool out)
{
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = s };

	if (s->want_out != out) {
		s->want_out = out;
		epoll_ctl(l->ep, EPOLL_CTL_MOD, s->fd, &ev);
	}
}

/* Sends bytes, keeping what the socket does not take (freed once sent or
 * when the session closes). Returns 0, or -1 after failing the session. */
static int sess_send(struct loop *l, struct session *s, const void *data, size_t len)
{
	ssize_t w = 0;

	if (!s->txlen) {
		w = send(s->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			sess_fail(l, s, ERR_CLOSED, strerror(errno));
			return -1;
		}
		if (w < 0)
			w = 0;
		if ((size_t)w == len)
			return 0;
	}
	{
		uint8_t *grown = realloc(s->tx, s->txlen + len - (size_t)w);

		if (!grown) {
			sess_fail(l, s, ERR_PROTOCOL, "out of memory");
			return -1;
		}
		s->tx = grown;
		memcpy(s->tx + s->txlen, (const uint8_t *)data + w, len - (size_t)w);
		s->txlen += len - (size_t)w;
	}
	sess_watch(l, s, true);
	return 0;
}

static int sess_flush(struct loop *l, struct session *s)
{
	while (s->txoff < s->txlen) {
		ssize_t w = send(s->fd, s->tx + s->txoff, s->txlen - s->txoff,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w < 0) {
			sess_fail(l, s, ERR_CLOSED, strerror(errno));
			return -1;
		}
		s->txoff += (size_t)w;
	}
	free(s->tx);
	s->tx = NULL;
	s->txlen = s->txoff = 0;
	sess_watch(l, s, false);
	return 0;
}

/* Sends one masked frame (payload up to REQ_MAX bytes). */
static int sess_send_frame(struct loop *l, struct session *s, enum ws_opcode op,
                           const void *payload, size_t len)
{
	long n = ws_encode(l->txbuf, sizeof(l->txbuf), op, payload, len,
	                   (uint32_t)load_rand(&l->mask_rng));

	if (n < 0) {
		sess_fail(l, s, ERR_PROTOCOL, "request too long");
		return -1;
	}
	return sess_send(l, s, l->txbuf, (size_t)n);
}

/* The echo payload of request number counter: a "choose" message padded to
 * message_size bytes, unique per session and request so an echo can be
 * checked. Returns its length. */
static size_t echo_payload(const struct loop *l, const struct session *s, uint32_t counter,
                           char *out, size_t cap)
{
	int n = snprintf(out, cap, "{\"type\":\"choose\",\"choice\":\"s%u-%u", s->id, counter);
	size_t len = n < 0 ? 0 : (size_t)n, want = l->o->message_size;

	if (want > cap - 1)
		want = cap - 1;
	while (len + 2 < want)
		out[len++] = 'x';
	memcpy(out + len, "\"}", 2);
	return len + 2;
}

/* Builds the next request of s into out. Returns its length, or -1. */
static int sess_request(struct loop *l, struct session *s, char *out, size_t cap)
{
	const struct load_opts *o = l->o;
	int n;

	if (o->mode == MODE_ECHO)
		return (int)echo_payload(l, s, s->counter, out, cap);
	if (!s->need_start)
		n = snprintf(out, cap, "{\"type\":\"choose\",\"choice\":\"%s\"}", s->choice);
	else
		n = snprintf(out, cap, "{\"type\":\"start\"%s%s%s%s%s%s}",
		             o->tenant ? ",\"tenant\":\"" : "", o->tenant ? o->tenant : "",
		             o->tenant ? "\"" : "", o->lang ? ",\"lang\":\"" : "",
		             o->lang ? o->lang : "", o->lang ? "\"" : "");
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* Starts a turn: sends the next request and waits for its answer. */
static int sess_turn(struct loop *l, struct session *s)
{
	char req[REQ_MAX];
	int n = sess_request(l, s, req, sizeof(req));

	if (n < 0) {
		sess_fail(l, s, ERR_PROTOCOL, "request does not fit");
		return -1;
	}
	s->st = SS_WAIT;
	s->t_sent = s->t_state = load_now();
	return sess_send_frame(l, s, WS_TEXT, req, (size_t)n);
}

/* After an answer: pause (think time, uniform in [0.5, 1.5] x mean) or go
 * straight on with the next turn. */
static int sess_next(struct loop *l, struct session *s, uint64_t now)
{
	double think = l->o->think_ms;

	if (l->stop)
		return 0;
	if (think <= 0)
		return sess_turn(l, s);
	s->st = SS_THINK;
	s->t_state = now;
	timer_set(l, s, now + (uint64_t)(think * (0.5 + (double)(load_rand(&s->rng) >> 11) /
	                                                       (double)(1ull << 53)) * (double)MS));
	return 0;
}

/* ---- connecting --------------------------------------------------------- */

/* Closes the socket and frees the session's buffers (the session itself
 * stays, to be reconnected). */
static void sess_close(struct loop *l, struct session *s)
{
	timer_remove(l, s);
	if (s->fd >= 0) {
		epoll_ctl(l->ep, EPOLL_CTL_DEL, s->fd, NULL);
		close(s->fd);
		s->fd = -1;
	}
	free(s->rx);
	free(s->tx);
	s->rx = s->tx = NULL;
	s->rxlen = s->rxcap = s->txlen = s->txoff = 0;
	s->want_out = false;
}

static bool sess_opening(const struct session *s)
{
	return s->st == SS_CONNECTING || s->st == SS_HANDSHAKE || s->st == SS_HELLO;
}

/* Counts the error, closes the session (freeing its buffers) and schedules
 * a reconnect. */
static void sess_fail(struct loop *l, struct session *s, enum load_err e, const char *why)
{
	bool quiet_retry = l->o->first_step && e == ERR_CONNECT && !s->ever_ready;

	if (sess_opening(s))
		l->inflight--;
	if (s->st == SS_IDLE)
		l->idle--;
	sess_close(l, s);
	if (l->stop)
		return;
	if (!quiet_retry) {
		l->r->err[e]++;
		if (l->o->verbose || l->r->err[e] <= 3)
			fprintf(stderr, "lotse-bench-load: session %u: %s: %s\n", s->id,
			        load_err_name(e), why);
	}
	s->st = SS_BACKOFF;
	s->t_state = load_now();
	timer_set(l, s, s->t_state + (quiet_retry ? FIRST_STEP_RETRY_NS : BACKOFF_NS));
}

static void sess_connect(struct loop *l, struct session *s)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = s };
	uint8_t nonce[16];
	int one = 1;

	l->inflight++;
	l->r->attempts++;
	s->st = SS_CONNECTING;
	s->t_state = load_now();
	s->need_start = true;
	s->steps = 0;
	s->fd = socket(l->addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		sess_fail(l, s, ERR_CONNECT, strerror(errno));
		return;
	}
	setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(s->fd, l->addr, l->addrlen) < 0 && errno != EINPROGRESS) {
		sess_fail(l, s, ERR_CONNECT, strerror(errno));
		return;
	}
	for (int i = 0; i < 16; i += 8) {
		uint64_t v = load_rand(&s->rng);

		memcpy(nonce + i, &v, 8);
	}
	ws_make_key(nonce, s->key);
	s->want_out = true;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, s->fd, &ev) < 0)
		sess_fail(l, s, ERR_CONNECT, strerror(errno));
}

/* The socket is connected (or failed): send the opening handshake. */
static void sess_connected(struct loop *l, struct session *s)
{
	char req[1024];
	int err = 0, n;
	socklen_t len = sizeof(err);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		sess_fail(l, s, ERR_CONNECT, strerror(err));
		return;
	}
	if (l->o->first_step)
		l->r->first_connect_ms = first_step_elapsed(l, load_now());
	n = ws_request(req, sizeof(req), l->host_port, l->path, l->o->origin, s->key);
	if (n < 0) {
		sess_fail(l, s, ERR_HANDSHAKE, "request too long");
		return;
	}
	s->st = SS_HANDSHAKE;
	s->t_state = load_now();
	sess_watch(l, s, false);
	(void)sess_send(l, s, req, (size_t)n);
}

/* The server's first frame arrived: the session is ready for turns. */
static int sess_ready(struct loop *l, struct session *s, const uint8_t *p, size_t len)
{
	struct jscan_frame jf;
	const char *err;

	if (l->o->mode == MODE_LOTSE) {
		if (jscan_frame((const char *)p, len, &jf, &err)) {
			sess_fail(l, s, ERR_PROTOCOL, err);
			return -1;
		}
		if (strcmp(jf.type, "tenants")) {
			sess_fail(l, s, ERR_PROTOCOL, "first frame is not a \"tenants\" frame");
			return -1;
		}
	}
	l->inflight--;
	if (l->o->first_step)
		l->r->first_hello_ms = first_step_elapsed(l, load_now());
	if (!s->ever_ready) {
		s->ever_ready = true;
		l->ready++;
	}
	if (l->o->idle || l->o->first_step || l->o->think_ms <= 0)
		return sess_turn(l, s);
	/* spread the first requests over one think time */
	s->st = SS_THINK;
	timer_set(l, s, load_now() + (uint64_t)((double)(load_rand(&s->rng) % 1000) *
	                                        l->o->think_ms * 1000.0));
	return 0;
}

/* ---- answers ------------------------------------------------------------ */

static void turn_record(struct loop *l, uint64_t t_sent, uint64_t now)
{
	l->r->turns_total++;
	if (l->measuring && t_sent >= l->t_measure) {
		hist_add(&l->r->hist, now - t_sent);
		l->r->turns++;
	}
}

/* Picks the next choice from a step's ids, or asks for a restart. */
static void sess_pick(struct loop *l, struct session *s, const struct jscan_frame *jf)
{
	size_t i = 0;

	if (jf->terminal == 1 || !jf->nids || s->steps >= l->o->max_steps) {
		if (jf->terminal == 1)
			l->r->conversations++;
		s->need_start = true;
		s->steps = 0;
		return;
	}
	if (l->o->pick == PICK_RANDOM)
		i = (size_t)(load_rand(&s->rng) % jf->nids);
	else if (l->o->pick == PICK_ROUND_ROBIN)
		i = s->counter % jf->nids;
	memcpy(s->choice, jf->ids[i], sizeof(s->choice));
	s->need_start = false;
	s->steps++;
}

/* An answer in lotse mode. Returns 1 if it ended the turn, 2 if it ended it
 * with an error frame (counted as an error, not as a turn), 0 if it was
 * something else (ignored), -1 after failing the session. */
static int lotse_answer(struct loop *l, struct session *s, const uint8_t *p, size_t len)
{
	struct jscan_frame jf;
	const char *err;

	if (jscan_frame((const char *)p, len, &jf, &err)) {
		sess_fail(l, s, ERR_PROTOCOL, err);
		return -1;
	}
	if (!strcmp(jf.type, "step")) {
		sess_pick(l, s, &jf);
		return 1;
	}
	if (!strcmp(jf.type, "error")) {
		l->r->err[ERR_SERVER]++;
		if (l->o->verbose || l->r->err[ERR_SERVER] <= 3)
			fprintf(stderr, "lotse-bench-load: session %u: error frame: %.*s\n", s->id,
			        (int)(len > 300 ? 300 : len), (const char *)p);
		s->need_start = true;
		s->steps = 0;
		return 2;
	}
	l->r->unsolicited++;
	return 0;
}

static int echo_answer(struct loop *l, struct session *s, const uint8_t *p, size_t len)
{
	char want[REQ_MAX];
	size_t n = echo_payload(l, s, s->counter, want, sizeof(want));

	if (n != len || memcmp(want, p, n)) {
		sess_fail(l, s, ERR_MISMATCH, "echo differs from the message sent");
		return -1;
	}
	return 1;
}

static int sess_text(struct loop *l, struct session *s, const uint8_t *p, size_t len)
{
	uint64_t now;
	int r;

	if (s->st == SS_HELLO)
		return sess_ready(l, s, p, len);
	if (s->st != SS_WAIT) {
		l->r->unsolicited++;
		return 0;
	}
	r = l->o->mode == MODE_ECHO ? echo_answer(l, s, p, len) : lotse_answer(l, s, p, len);
	if (r <= 0)
		return r;
	now = load_now();
	if (r == 1)
		turn_record(l, s->t_sent, now);
	s->counter++;
	if (l->o->first_step) {
		l->r->first_step_ms = first_step_elapsed(l, now);
		l->stop = true;
		return 0;
	}
	if (l->o->idle) {
		s->st = SS_IDLE;
		l->idle++;
		return 0;
	}
	return sess_next(l, s, now);
}

static int sess_frame(struct loop *l, struct session *s, const struct ws_frame *f)
{
	switch (f->opcode) {
	case WS_PING:
		return sess_send_frame(l, s, WS_PONG, f->payload, (size_t)f->len);
	case WS_PONG:
		return 0;
	case WS_CLOSE:
		sess_fail(l, s, ERR_CLOSED, "the server closed the connection");
		return -1;
	case WS_TEXT:
		if (f->fin)
			return sess_text(l, s, f->payload, (size_t)f->len);
		/* fall through */
	case WS_CONT:
		sess_fail(l, s, ERR_PROTOCOL, "fragmented message (not supported by this client)");
		return -1;
	default:
		sess_fail(l, s, ERR_PROTOCOL, "unexpected binary frame");
		return -1;
	}
}

/* Handles the bytes buf[0..n). Returns how many were used (the rest is an
 * incomplete frame), or -1 after failing the session. */
static long sess_parse(struct loop *l, struct session *s, const uint8_t *buf, size_t n)
{
	size_t used = 0;
	const char *err;
	struct ws_frame f;
	long r;

	if (s->st == SS_HANDSHAKE) {
		r = ws_response_check(buf, n, s->key, &err);
		if (r <= 0) {
			if (r < 0)
				sess_fail(l, s, ERR_HANDSHAKE, err);
			return r;
		}
		used = (size_t)r;
		s->st = SS_HELLO;
		s->t_state = load_now();
	}
	while (used < n && s->fd >= 0) {
		r = ws_parse(buf + used, n - used, MAX_PAYLOAD, &f, &err);
		if (r == 0)
			break;
		if (r < 0) {
			sess_fail(l, s, ERR_PROTOCOL, err);
			return -1;
		}
		if (sess_frame(l, s, &f) < 0)
			return -1;
		used += (size_t)r;
	}
	return s->fd >= 0 ? (long)used : -1;
}

/* Keeps the unused tail of a read for the next one, in the session's rx
 * buffer (allocated here, freed by sess_close or once it is used up). */
static int sess_keep(struct loop *l, struct session *s, const uint8_t *p, size_t len)
{
	if (s->rxcap < len) {
		uint8_t *grown = realloc(s->rx, len);

		if (!grown) {
			sess_fail(l, s, ERR_PROTOCOL, "out of memory");
			return -1;
		}
		s->rx = grown;
		s->rxcap = len;
	}
	memmove(s->rx, p, len);
	s->rxlen = len;
	return 0;
}

/* Reads what arrived and handles every complete frame. Reads go into the
 * shared buffer unless part of a frame is waiting in the session's. */
static void sess_read(struct loop *l, struct session *s)
{
	uint8_t *buf = l->rxbuf;
	size_t have = s->rxlen, total;
	ssize_t got;
	long used;

	if (have) {
		if (s->rxcap < have + RX_CHUNK) {
			uint8_t *grown = realloc(s->rx, have + RX_CHUNK);

			if (!grown) {
				sess_fail(l, s, ERR_PROTOCOL, "out of memory");
				return;
			}
			s->rx = grown;
			s->rxcap = have + RX_CHUNK;
		}
		buf = s->rx;
	}
	got = recv(s->fd, buf + have, RX_CHUNK, 0);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (got <= 0) {
		sess_fail(l, s, s->st == SS_HANDSHAKE ? ERR_HANDSHAKE : ERR_CLOSED,
		          got ? strerror(errno) : s->st == SS_HANDSHAKE
		          ? "connection closed during the handshake (Origin refused?)"
		          : "connection closed by the server");
		return;
	}
	total = have + (size_t)got;
	s->rxlen = 0;
	used = sess_parse(l, s, buf, total);
	if (used < 0)
		return;
	if ((size_t)used < total) {
		(void)sess_keep(l, s, buf + used, total - (size_t)used);
	} else if (s->rx) {             /* nothing pending: idle sessions keep no buffer */
		free(s->rx);
		s->rx = NULL;
		s->rxcap = 0;
	}
}

static void sess_event(struct loop *l, struct session *s, uint32_t events)
{
	if (s->st == SS_CONNECTING) {
		sess_connected(l, s);
		return;
	}
	if ((events & EPOLLOUT) && s->txlen && sess_flush(l, s) < 0)
		return;
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		sess_read(l, s);
}

/* ---- the loop ----------------------------------------------------------- */

static void loop_timers(struct loop *l, uint64_t now)
{
	while (l->nheap && l->heap[0]->wake <= now) {
		struct session *s = l->heap[0];

		timer_remove(l, s);
		if (s->st == SS_THINK)
			(void)sess_turn(l, s);
		else if (s->st == SS_BACKOFF)
			sess_connect(l, s);
	}
}

/* Fails sessions that waited longer than the timeout. */
static void loop_scan(struct loop *l, uint64_t now)
{
	uint64_t limit = (uint64_t)(l->o->timeout * (double)NS);

	for (size_t i = 0; i < l->next_open; i++) {
		struct session *s = &l->s[i];

		/* t_state may be later than now: now was taken before the events */
		if ((s->st == SS_WAIT || sess_opening(s)) && now > s->t_state &&
		    now - s->t_state > limit &&
		    !(l->o->first_step && s->st == SS_CONNECTING))
			sess_fail(l, s, ERR_TIMEOUT, s->st == SS_WAIT ? "no answer" : "no handshake");
	}
}

static void loop_measure_start(struct loop *l, uint64_t now)
{
	l->measuring = true;
	l->t_measure = now;
	l->t_end = now + (uint64_t)(l->o->duration * (double)NS);
	l->cpu0 = load_cpu_self();
	if (l->o->server_pid)
		l->server_cpu0 = proc_cpu_s(l->o->server_pid);
}

static void loop_measure_end(struct loop *l, uint64_t now)
{
	struct load_result *r = l->r;

	r->window_s = (double)(now - l->t_measure) / (double)NS;
	r->client_cpu = load_cpu_self() - l->cpu0;
	if (l->o->server_pid) {
		double c = proc_cpu_s(l->o->server_pid);

		r->server_cpu = c >= 0 && l->server_cpu0 >= 0 ? c - l->server_cpu0 : -1;
		r->server_rss_kib = proc_rss_kib(l->o->server_pid);
	}
	l->stop = true;
}

/* Idle mode: once every session is idle, let the server settle, sample its
 * memory, then hold for the duration. */
static void loop_idle_phase(struct loop *l, uint64_t now)
{
	if (l->idle < l->n)
		return;
	if (!l->t_idle) {
		l->t_idle = now;
		l->r->idle_ready = l->idle;
		l->r->ramp_s = (double)(now - l->t_begin) / (double)NS;
		printf("READY sessions=%zu t_s=%.3f\n", l->idle, l->r->ramp_s);
		fflush(stdout);
	}
	if (!l->measuring && now - l->t_idle >= IDLE_SETTLE_NS) {
		if (l->o->server_pid)
			l->r->rss_after_kib = proc_rss_kib(l->o->server_pid);
		loop_measure_start(l, now);
	}
}

/* Moves the run from phase to phase; called every loop iteration. */
static void loop_phase(struct loop *l, uint64_t now)
{
	const struct load_opts *o = l->o;
	bool connected;

	while (l->next_open < l->n && l->inflight < o->ramp)
		sess_connect(l, &l->s[l->next_open++]);
	if (o->idle) {
		loop_idle_phase(l, now);
	} else if (!o->first_step && !l->t_ramped && l->ready == l->n) {
		l->t_ramped = now;
		l->r->ramp_s = (double)(now - l->t_begin) / (double)NS;
	}
	if (l->t_ramped && !l->measuring && now >= l->t_ramped + (uint64_t)(o->warmup * (double)NS))
		loop_measure_start(l, now);
	if (l->measuring && now >= l->t_end)
		loop_measure_end(l, now);
	connected = o->idle ? l->t_idle != 0 : l->t_ramped != 0;
	if (!connected && now - l->t_begin > (uint64_t)(o->connect_timeout * (double)NS)) {
		l->r->fatal = o->first_step ? "no first step within the connect timeout"
		                            : "not all sessions connected within the connect timeout";
		l->stop = true;
	}
	if (now >= l->t_next_scan) {
		if (o->server_pid && !proc_alive(o->server_pid)) {
			l->r->fatal = "the server exited";
			l->stop = true;
		}
		loop_scan(l, now);
		l->t_next_scan = now + 100 * MS;
	}
}

static int loop_wait_ms(const struct loop *l, uint64_t now)
{
	uint64_t wait = 50 * MS;

	if (l->nheap)
		wait = l->heap[0]->wake <= now ? 0 : l->heap[0]->wake - now;
	if (wait > 50 * MS)
		wait = 50 * MS;
	return (int)((wait + MS - 1) / MS);
}

static void loop_close_all(struct loop *l)
{
	static const uint8_t bye[2] = { 0x03, 0xE8 };     /* 1000 normal closure */

	for (size_t i = 0; i < l->n; i++) {
		struct session *s = &l->s[i];

		if (s->fd >= 0 && !sess_opening(s) && !s->txlen) {
			long n = ws_encode(l->txbuf, sizeof(l->txbuf), WS_CLOSE, bye, 2,
			                   (uint32_t)load_rand(&l->mask_rng));

			if (n > 0)
				(void)!send(s->fd, l->txbuf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		sess_close(l, s);
	}
}

static void loop_run(struct loop *l)
{
	struct epoll_event ev[512];

	while (!l->stop && !load_interrupted) {
		uint64_t now = load_now();
		int n;

		loop_timers(l, now);
		loop_phase(l, now);
		if (l->stop)
			break;
		n = epoll_wait(l->ep, ev, 512, loop_wait_ms(l, now));
		for (int i = 0; i < n; i++) {
			struct session *s = ev[i].data.ptr;

			if (s->fd >= 0)
				sess_event(l, s, ev[i].events);
		}
	}
	if (load_interrupted && l->measuring && !l->r->window_s)
		loop_measure_end(l, load_now());
	if (load_interrupted && !l->r->fatal && !l->measuring)
		l->r->fatal = "interrupted";
}

/* Allocates the loop's sessions and heap (freed by loop_free). */
static int loop_init(struct loop *l)
{
	uint64_t seed = l->o->seed;

	l->n = l->o->first_step ? 1 : l->o->sessions;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->s = calloc(l->n, sizeof(*l->s));
	l->heap = calloc(l->n, sizeof(*l->heap));
	if (l->ep < 0 || !l->s || !l->heap)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		l->s[i].fd = -1;
		l->s[i].id = (uint32_t)i;
		l->s[i].rng = seed ^ (0x9E3779B97F4A7C15ull * (i + 1));
	}
	l->mask_rng = seed ^ 0x5bd1e995u;
	return 0;
}

/* Frees what loop_init allocated. */
static void loop_free(struct loop *l)
{
	if (l->s)
		loop_close_all(l);
	free(l->s);
	free(l->heap);
	if (l->ep >= 0)
		close(l->ep);
}

int load_run(const struct load_opts *o, const struct sockaddr *addr, socklen_t addrlen,
             const char *host_port, const char *path, struct load_result *r)
{
	struct loop *l = calloc(1, sizeof(*l));
	int rc = -1;

	memset(r, 0, sizeof(*r));
	hist_reset(&r->hist);
	r->server_cpu = -1;
	r->server_rss_kib = r->rss_before_kib = r->rss_after_kib = -1;
	if (!l) {
		r->fatal = "out of memory";
		return -1;
	}
	l->ep = -1;
	l->o = o, l->addr = addr, l->addrlen = addrlen, l->r = r;
	l->host_port = host_port, l->path = path;
	signal(SIGINT, load_on_signal);
	signal(SIGTERM, load_on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (loop_init(l) < 0) {
		r->fatal = "out of memory";
		goto out;
	}
	if (o->server_pid)
		r->rss_before_kib = proc_rss_kib(o->server_pid);
	l->t_begin = load_now();
	loop_run(l);
	rc = r->fatal ? -1 : 0;
out:
	loop_free(l);
	free(l);
	return rc;
}
