/* connlimit.c - per-listener connection limits and the quiet refusal path
 * (see connlimit.h). */
#include "net/connlimit.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static const char *const limit_names[NET_REFUSALS] = {"total limit", "per-address limit"};

int connlimit_init(struct conn_limits *cl, enum net_listener listener, unsigned total,
                   unsigned per_address, struct net_metrics *metrics, long log_interval)
{
	memset(cl, 0, sizeof(*cl));
	cl->listener = listener;
	cl->total = total ? total : 1;
	cl->per_address = per_address ? per_address : 1;
	cl->metrics = metrics;
	/* room for every counted address (at most one per connection, a few
	 * more than total when threads race), at most half full */
	size_t cap = 64;
	while (cap < 2 * ((size_t)cl->total + 64))
		cap *= 2;
	cl->slots = calloc(cap, sizeof(*cl->slots));
	if (!cl->slots)
		return -1;
	cl->mask = cap - 1;
	pthread_mutex_init(&cl->mu, NULL);
	for (int r = 0; r < NET_REFUSALS; r++)
		log_rate_init(&cl->rate[r], log_interval);
	return 0;
}

int connlimit_key(const struct sockaddr *sa, socklen_t len, struct conn_key *out)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	memset(out, 0, sizeof(*out));
	if (!sa)
		return -1;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)sa;
		out->family = 4;
		memcpy(out->addr, &in4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		if (memcmp(a, mapped, sizeof(mapped)) == 0) {   /* ::ffff:a.b.c.d */
			out->family = 4;
			memcpy(out->addr, a + 12, 4);
		} else {
			out->family = 6;
			memcpy(out->addr, a, 8);   /* the /64 */
		}
		return 0;
	}
	return -1;
}

static size_t key_hash(const struct conn_key *k)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	h = (h ^ k->family) * 1099511628211ULL;
	for (size_t i = 0; i < sizeof(k->addr); i++)
		h = (h ^ k->addr[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static bool key_eq(const struct conn_key *a, const struct conn_key *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* The slot holding key, or the empty slot where it would go. Under mu. */
static size_t find(const struct conn_limits *cl, const struct conn_key *k)
{
	size_t i = key_hash(k) & cl->mask;
	while (cl->slots[i].count && !key_eq(&cl->slots[i].key, k))
		i = (i + 1) & cl->mask;
	return i;
}

/* Empties slot i and moves later entries of its probe run back (linear
 * probing without tombstones). Under mu. */
static void remove_slot(struct conn_limits *cl, size_t i)
{
	size_t j = i;
	for (;;) {
		j = (j + 1) & cl->mask;
		if (!cl->slots[j].count)
			break;
		size_t home = key_hash(&cl->slots[j].key) & cl->mask;
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (stays)
			continue;
		cl->slots[i] = cl->slots[j];
		i = j;
	}
	cl->slots[i].count = 0;
}

/* Counts key in slot i (found by find). Returns 0 or -1 (table full). */
static int count_in(struct conn_limits *cl, size_t i, const struct conn_key *k)
{
	if (!cl->slots[i].count) {
		if (cl->open >= (cl->mask + 1) / 2)
			return -1;
		cl->slots[i].key = *k;
	}
	cl->slots[i].count++;
	cl->open++;
	if (cl->metrics)
		atomic_fetch_add(&cl->metrics->conns[cl->listener], 1);
	return 0;
}

static void log_refusals(const struct conn_limits *cl, int r, unsigned long n, long secs,
                         bool first)
{
	const char *who = metrics_listener_name(cl->listener);
	unsigned limit = r == NET_REFUSED_TOTAL ? cl->total : cl->per_address;
	if (first)
		log_warn("%s: refused 1 connection (%s of %u); further refusals are counted in "
		         "lotse_connections_refused_total and logged at most every %ld s",
		         who, limit_names[r], limit, cl->rate[r].interval);
	else
		log_warn("%s: refused %lu connection%s in the last %ld s (%s of %u)", who, n,
		         n == 1 ? "" : "s", secs, limit_names[r], limit);
}

static void refused(struct conn_limits *cl, int r)
{
	long secs = 0;
	if (cl->metrics)
		atomic_fetch_add(&cl->metrics->refused[cl->listener][r], 1);
	unsigned long n = log_rate_hit(&cl->rate[r], &secs);
	if (n)
		log_refusals(cl, r, n, secs, n == 1 && secs == 0);
}

enum conn_verdict connlimit_admit(struct conn_limits *cl, const struct conn_key *key, bool take)
{
	enum conn_verdict v = CONN_OK;
	pthread_mutex_lock(&cl->mu);
	size_t i = find(cl, key);
	if (cl->open >= cl->total)
		v = CONN_OVER_TOTAL;
	else if (cl->slots[i].count >= cl->per_address)
		v = CONN_OVER_PER_ADDRESS;
	else if (take && count_in(cl, i, key) < 0)
		v = CONN_OVER_TOTAL;
	pthread_mutex_unlock(&cl->mu);
	if (v != CONN_OK)
		refused(cl, v == CONN_OVER_TOTAL ? NET_REFUSED_TOTAL : NET_REFUSED_PER_ADDRESS);
	return v;
}

int connlimit_take(struct conn_limits *cl, const struct conn_key *key)
{
	pthread_mutex_lock(&cl->mu);
	int rc = count_in(cl, find(cl, key), key);
	pthread_mutex_unlock(&cl->mu);
	return rc;
}

void connlimit_release(struct conn_limits *cl, const struct conn_key *key)
{
	pthread_mutex_lock(&cl->mu);
	size_t i = find(cl, key);
	if (cl->slots[i].count) {
		cl->open--;
		if (cl->metrics)
			atomic_fetch_sub(&cl->metrics->conns[cl->listener], 1);
		if (--cl->slots[i].count == 0)
			remove_slot(cl, i);
	}
	pthread_mutex_unlock(&cl->mu);
}

void connlimit_flush(struct conn_limits *cl, bool force)
{
	for (int r = 0; r < NET_REFUSALS; r++) {
		long secs = 0;
		unsigned long n = log_rate_flush(&cl->rate[r], force, &secs);
		if (n)
			log_refusals(cl, r, n, secs, false);
	}
}

void connlimit_free(struct conn_limits *cl)
{
	if (!cl->slots)
		return;
	connlimit_flush(cl, true);
	for (int r = 0; r < NET_REFUSALS; r++)
		log_rate_destroy(&cl->rate[r]);
	pthread_mutex_destroy(&cl->mu);
	free(cl->slots);
	cl->slots = NULL;
}
