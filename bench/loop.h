/* loop.h - the load generator's engine: N WebSocket client sessions on one
 * epoll loop, each walking conversations (or echoing), timing every turn.
 *
 * A turn is one request sent -> the one answer it asked for received, timed
 * with CLOCK_MONOTONIC from just before send() to just after the answer's
 * frame was parsed. Single-threaded on purpose: on a 2-core machine the
 * server gets the other core.
 */
#ifndef LOTSE_BENCH_LOOP_H
#define LOTSE_BENCH_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "hist.h"

enum load_mode { MODE_LOTSE, MODE_ECHO };
enum load_pick { PICK_RANDOM, PICK_FIRST, PICK_ROUND_ROBIN };

enum load_err {                     /* error counters, see load_err_name */
	ERR_CONNECT, ERR_HANDSHAKE, ERR_PROTOCOL, ERR_CLOSED, ERR_TIMEOUT,
	ERR_SERVER, ERR_MISMATCH, ERR_KINDS
};

struct load_opts {
	enum load_mode mode;
	const char *url;
	size_t sessions;
	double duration;                /* measuring window (s); idle: hold time */
	double warmup;                  /* s after the ramp before measuring */
	const char *tenant, *lang;      /* NULL: left out of "start" */
	const char *origin;             /* NULL: no Origin header */
	bool idle;
	bool first_step;
	int64_t since_ns;               /* first-step: CLOCK_REALTIME origin, 0 = own start */
	double think_ms;                /* mean pause between answer and next request */
	uint64_t seed;
	enum load_pick pick;
	unsigned max_steps;             /* restart a conversation after this many choices */
	size_t ramp;                    /* handshakes in flight at most */
	double timeout;                 /* s to wait for an answer (or a handshake) */
	double connect_timeout;         /* s for all sessions to get connected */
	size_t message_size;            /* echo: bytes per message */
	int server_pid;                 /* 0: no server figures */
	bool verbose;
};

struct load_result {
	struct hist hist;               /* turns in the measuring window */
	uint64_t turns;                 /* turns in the window */
	uint64_t turns_total;           /* every turn, warmup included */
	uint64_t conversations;         /* terminal steps reached (lotse) */
	uint64_t err[ERR_KINDS];
	uint64_t unsolicited;           /* frames nobody asked for (ignored) */
	double window_s;                /* measured window length */
	double ramp_s;                  /* time to get every session connected */
	double client_cpu;              /* client CPU seconds in the window */
	double first_step_ms;           /* first-step mode: origin -> first step */
	double first_connect_ms;        /* first-step mode: origin -> TCP connected, */
	double first_hello_ms;          /* -> first frame ("tenants") */
	unsigned attempts;              /* first-step mode: connection attempts */
	uint64_t idle_ready;            /* idle mode: sessions that reached idle */
	double server_cpu;              /* server CPU seconds in the window (-1: n/a) */
	long server_rss_kib;            /* at the end of the window (-1: n/a) */
	long rss_before_kib;            /* idle mode: before the first connection */
	long rss_after_kib;             /* idle mode: all sessions idle, settled */
	const char *fatal;              /* why the run was abandoned, or NULL */
};

/* Runs the benchmark described by o against the resolved address. Fills *r.
 * Returns 0 if the run completed (errors are counted in r), -1 if it was
 * abandoned (r->fatal says why). */
int load_run(const struct load_opts *o, const struct sockaddr *addr, socklen_t addrlen,
             const char *host_port, const char *path, struct load_result *r);

const char *load_err_name(enum load_err e);
/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t load_now(void);

#endif
