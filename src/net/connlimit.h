/* connlimit.h - connection limits per listener: at most `total` open
 * connections, at most `per_address` from one client address (an IPv4
 * address, or an IPv6 /64: one household or office network), and the
 * refusal path that counts refusals (metrics.h) and logs them at most once
 * per interval with a count, never with an address (docs/privacy.md).
 * Thread-safe: libmicrohttpd accepts in several threads. See
 * docs/operating.md, "Limits".
 */
#ifndef LOTSE_CONNLIMIT_H
#define LOTSE_CONNLIMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "net/metrics.h"
#include "util/log.h"

/* A client address as counted: family and the first 4 (IPv4, also
 * IPv4-mapped IPv6) or 8 (IPv6: the /64 prefix) bytes. */
struct conn_key {
	uint8_t family;   /* 4 or 6 */
	uint8_t addr[8];
};

enum conn_verdict { CONN_OK, CONN_OVER_TOTAL, CONN_OVER_PER_ADDRESS };

struct conn_slot {
	struct conn_key key;
	unsigned count;   /* 0: empty */
};

struct conn_limits {
	pthread_mutex_t mu;
	enum net_listener listener;
	unsigned total, per_address;   /* the limits */
	unsigned open;                 /* connections counted now */
	struct conn_slot *slots;       /* open addressing, linear probing; owned */
	size_t mask;                   /* slots - 1 (a power of two) */
	struct net_metrics *metrics;   /* may be NULL */
	struct log_rate rate[NET_REFUSALS];
};

/* Sets the limits (total and per_address at least 1) and allocates the
 * address table. metrics may be NULL. log_interval: seconds between two
 * lines about refusals. Returns 0 or -1 (out of memory). Free with
 * connlimit_free. */
int connlimit_init(struct conn_limits *cl, enum net_listener listener, unsigned total,
                   unsigned per_address, struct net_metrics *metrics, long log_interval);
/* Logs the refusals not yet reported and frees the table. */
void connlimit_free(struct conn_limits *cl);
/* The key of a socket address; -1 for anything but IPv4/IPv6. */
int connlimit_key(const struct sockaddr *sa, socklen_t len, struct conn_key *out);
/* Whether one more connection from key fits. With take, a connection that
 * fits is counted (release it with connlimit_release). A refusal is counted
 * in the metrics and logged (rate-limited). */
enum conn_verdict connlimit_admit(struct conn_limits *cl, const struct conn_key *key, bool take);
/* Counts a connection admitted before (connlimit_admit without take) even
 * if the limits have filled meanwhile (another thread). Returns 0, or -1
 * when the table is full (then it is not counted: do not release it). */
int connlimit_take(struct conn_limits *cl, const struct conn_key *key);
/* Uncounts a connection counted by connlimit_admit(take) or connlimit_take. */
void connlimit_release(struct conn_limits *cl, const struct conn_key *key);
/* Logs refusals held back for longer than the interval (force: all of
 * them); call now and then (every second or so). */
void connlimit_flush(struct conn_limits *cl, bool force);

#endif
