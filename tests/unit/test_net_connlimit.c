/* test_net_connlimit.c - connection limits per listener (net/connlimit.h):
 * address keys (IPv4, IPv4-mapped, IPv6 /64), the total and per-address
 * limits, release, many addresses in the table (removal keeps every other
 * count findable), refusal counters, and the rate-limited log counts
 * (util/log.h, struct log_rate). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "check.h"
#include "net/connlimit.h"
#include "util/log.h"

static struct conn_key v4(const char *s)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct conn_key k;
	inet_pton(AF_INET, s, &sa.sin_addr);
	CHECK(connlimit_key((struct sockaddr *)&sa, sizeof(sa), &k) == 0);
	return k;
}

static struct conn_key v6(const char *s)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
	struct conn_key k;
	inet_pton(AF_INET6, s, &sa.sin6_addr);
	CHECK(connlimit_key((struct sockaddr *)&sa, sizeof(sa), &k) == 0);
	return k;
}

static bool same(struct conn_key a, struct conn_key b)
{
	return a.family == b.family && memcmp(a.addr, b.addr, sizeof(a.addr)) == 0;
}

static void test_keys(void)
{
	CHECK(same(v4("192.0.2.7"), v6("::ffff:192.0.2.7")));     /* mapped = the IPv4 address */
	CHECK(!same(v4("192.0.2.7"), v4("192.0.2.8")));
	CHECK(same(v6("2001:db8:1:2::1"), v6("2001:db8:1:2:ffff::9")));   /* one /64 */
	CHECK(!same(v6("2001:db8:1:2::1"), v6("2001:db8:1:3::1")));
	struct sockaddr sa = {.sa_family = AF_UNIX};
	struct conn_key k;
	CHECK(connlimit_key(&sa, sizeof(sa), &k) == -1);
}

static void test_limits(void)
{
	struct net_metrics m;
	struct conn_limits cl;
	metrics_init(&m, NULL);
	CHECK(connlimit_init(&cl, NET_KIOSK, 5, 2, &m, 3600) == 0);
	struct conn_key a = v4("127.0.0.2"), b = v4("127.0.0.3"), c = v4("127.0.0.4");
	CHECK(connlimit_admit(&cl, &a, true) == CONN_OK);
	CHECK(connlimit_admit(&cl, &a, true) == CONN_OK);
	CHECK(connlimit_admit(&cl, &a, true) == CONN_OVER_PER_ADDRESS);
	CHECK(connlimit_admit(&cl, &a, false) == CONN_OVER_PER_ADDRESS);
	CHECK(connlimit_admit(&cl, &b, true) == CONN_OK);
	CHECK(connlimit_admit(&cl, &b, true) == CONN_OK);
	CHECK(connlimit_admit(&cl, &c, false) == CONN_OK);   /* only asked: not counted */
	CHECK(connlimit_take(&cl, &c) == 0);
	CHECK(cl.open == 5 && atomic_load(&m.conns[NET_KIOSK]) == 5);
	CHECK(connlimit_admit(&cl, &c, true) == CONN_OVER_TOTAL);
	CHECK(atomic_load(&m.refused[NET_KIOSK][NET_REFUSED_PER_ADDRESS]) == 2);
	CHECK(atomic_load(&m.refused[NET_KIOSK][NET_REFUSED_TOTAL]) == 1);
	CHECK(atomic_load(&m.refused[NET_SOCKET][NET_REFUSED_TOTAL]) == 0);
	connlimit_release(&cl, &a);
	CHECK(connlimit_admit(&cl, &a, true) == CONN_OK);    /* a's slot is free again */
	connlimit_release(&cl, &c);
	connlimit_release(&cl, &c);                         /* not counted any more: no effect */
	CHECK(cl.open == 4 && atomic_load(&m.conns[NET_KIOSK]) == 4);
	connlimit_free(&cl);
}

/* 300 addresses, 2 connections each; removing every other address must
 * leave the others' counts intact (probe runs shift back correctly). */
static void test_many(void)
{
	struct conn_limits cl;
	char ip[32];
	CHECK(connlimit_init(&cl, NET_SOCKET, 600, 2, NULL, 3600) == 0);
	for (int i = 0; i < 300; i++) {
		snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 200, i % 200);
		struct conn_key k = v4(ip);
		CHECK(connlimit_admit(&cl, &k, true) == CONN_OK);
		CHECK(connlimit_admit(&cl, &k, true) == CONN_OK);
	}
	CHECK(cl.open == 600);
	for (int i = 0; i < 300; i += 2) {
		snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 200, i % 200);
		struct conn_key k = v4(ip);
		connlimit_release(&cl, &k);
		connlimit_release(&cl, &k);
	}
	CHECK(cl.open == 300);
	for (int i = 0; i < 300; i++) {
		snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 200, i % 200);
		struct conn_key k = v4(ip);
		/* odd ones still hold 2 (full), even ones 0 (two fit again) */
		enum conn_verdict want = i % 2 ? CONN_OVER_PER_ADDRESS : CONN_OK;
		CHECK(connlimit_admit(&cl, &k, false) == want);
	}
	connlimit_free(&cl);
}

static void test_log_rate(void)
{
	struct log_rate r;
	long secs = -1;
	log_rate_init(&r, 3600);
	CHECK(log_rate_flush(&r, true, &secs) == 0);   /* nothing held */
	CHECK(log_rate_hit(&r, &secs) == 1 && secs == 0);   /* the first: at once */
	for (int i = 0; i < 500; i++)
		CHECK(log_rate_hit(&r, &secs) == 0);          /* then only counted */
	CHECK(log_rate_flush(&r, false, &secs) == 0);   /* the interval has not passed */
	CHECK(log_rate_flush(&r, true, &secs) == 500 && secs >= 1);
	CHECK(log_rate_flush(&r, true, &secs) == 0);
	log_rate_destroy(&r);
}

int main(void)
{
	test_keys();
	test_limits();
	test_many();
	test_log_rate();
	CHECK_DONE();
}
