/* test_staff_xff.c - addresses, trusted networks and X-Forwarded-For
 * (staff/xff.h): which address counts as the client behind trusted
 * proxies, exactly, for well-formed, odd and malformed headers. */
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "staff/xff.h"

static struct xff_addr trusted[3];
static size_t ntrusted;

static void trust(const char *s)
{
	CHECK(xff_parse_addr(s, strlen(s), true, &trusted[ntrusted]) == 0);
	ntrusted++;
}

/* The client for peer and header as text, and the result. */
static enum xff_result client(const char *peer, const char *header, char *out)
{
	struct xff_addr p, c;
	CHECK(xff_parse_addr(peer, strlen(peer), false, &p) == 0);
	enum xff_result res = xff_client(trusted, ntrusted, &p, header, &c);
	xff_format(&c, out, XFF_ADDR_TEXT);
	return res;
}

static bool parses(const char *s, bool prefix)
{
	struct xff_addr a;
	return xff_parse_addr(s, strlen(s), prefix, &a) == 0;
}

int main(void)
{
	char out[XFF_ADDR_TEXT];
	struct xff_addr a;

	/* single addresses */
	CHECK(xff_parse_addr("192.0.2.1", 9, false, &a) == 0);
	CHECK(a.family == AF_INET && a.bits == 32);
	xff_format(&a, out, sizeof(out));
	CHECK_STR(out, "192.0.2.1");
	CHECK(xff_parse_addr("[2001:DB8::1]", 13, false, &a) == 0);
	CHECK(a.family == AF_INET6 && a.bits == 128);
	xff_format(&a, out, sizeof(out));
	CHECK_STR(out, "2001:db8::1");
	/* an IPv4-mapped IPv6 address is the IPv4 address */
	CHECK(xff_parse_addr("::ffff:127.0.0.1", 16, false, &a) == 0);
	CHECK(a.family == AF_INET && a.bits == 32);
	xff_format(&a, out, sizeof(out));
	CHECK_STR(out, "127.0.0.1");
	CHECK(!parses("", false));
	CHECK(!parses("192.0.2.1:8080", false));
	CHECK(!parses("[192.0.2.1]", false));
	CHECK(!parses("192.0.2.1/32", false));
	CHECK(!parses(" 192.0.2.1", false));
	CHECK(!parses("unknown", false));
	CHECK(!parses("1.2.3.4.5", false));
	CHECK(!parses("[::1", false));
	CHECK(xff_parse_addr("192.0.2.1\0junk", 14, false, &a) == -1);
	/* networks */
	CHECK(parses("10.0.0.0/8", true));
	CHECK(parses("fd00::/8", true));
	CHECK(parses("127.0.0.1", true));
	CHECK(parses("0.0.0.0/0", true));
	CHECK(!parses("10.0.0.1/8", true));   /* host bits set */
	CHECK(!parses("10.0.0.0/33", true));
	CHECK(!parses("10.0.0.0/", true));
	CHECK(!parses("10.0.0.0/-1", true));
	CHECK(!parses("10.0.0.0/08x", true));
	CHECK(!parses("[::1]", true));
	CHECK(xff_parse_addr("10.0.0.0/8", 10, true, &a) == 0 && a.bits == 8);
	struct xff_addr in, outside;
	CHECK(xff_parse_addr("10.200.1.2", 10, false, &in) == 0);
	CHECK(xff_parse_addr("11.0.0.1", 8, false, &outside) == 0);
	CHECK(xff_match(&a, &in) && !xff_match(&a, &outside));
	CHECK(xff_parse_addr("172.16.0.0/12", 13, true, &a) == 0);
	CHECK(xff_parse_addr("172.31.255.255", 14, false, &in) == 0);
	CHECK(xff_parse_addr("172.32.0.0", 10, false, &outside) == 0);
	CHECK(xff_match(&a, &in) && !xff_match(&a, &outside));

	/* nothing trusted: the header never counts */
	CHECK(client("127.0.0.1", "192.0.2.1", out) == XFF_PEER);
	CHECK_STR(out, "127.0.0.1");

	trust("127.0.0.1");
	trust("::1");
	trust("10.0.0.0/8");
	/* an untrusted peer: its header is ignored */
	CHECK(client("192.0.2.50", "198.51.100.1", out) == XFF_PEER);
	CHECK_STR(out, "192.0.2.50");
	/* a trusted peer without a header, or with an empty one */
	CHECK(client("127.0.0.1", NULL, out) == XFF_PEER);
	CHECK_STR(out, "127.0.0.1");
	CHECK(client("127.0.0.1", "", out) == XFF_PEER);
	CHECK_STR(out, "127.0.0.1");
	CHECK(client("127.0.0.1", "  ", out) == XFF_PEER);
	CHECK_STR(out, "127.0.0.1");
	/* the right-most address that is not a trusted proxy */
	CHECK(client("127.0.0.1", "192.0.2.1", out) == XFF_FORWARDED);
	CHECK_STR(out, "192.0.2.1");
	CHECK(client("::1", "203.0.113.9, 192.0.2.1, 10.1.2.3", out) == XFF_FORWARDED);
	CHECK_STR(out, "192.0.2.1");
	CHECK(client("::ffff:127.0.0.1", "\t2001:db8::7 ,10.0.0.1", out) == XFF_FORWARDED);
	CHECK_STR(out, "2001:db8::7");
	CHECK(client("127.0.0.1", "[2001:db8::8]", out) == XFF_FORWARDED);
	CHECK_STR(out, "2001:db8::8");
	/* a forged left part does not matter: the proxy appended the real one */
	CHECK(client("127.0.0.1", "1.1.1.1, 192.0.2.9", out) == XFF_FORWARDED);
	CHECK_STR(out, "192.0.2.9");
	/* every hop trusted: the left-most */
	CHECK(client("127.0.0.1", "10.0.0.5, 127.0.0.1", out) == XFF_FORWARDED);
	CHECK_STR(out, "10.0.0.5");
	/* malformed: the proxy's own address */
	const char *bad[] = {"unknown", "192.0.2.1:8080", "192.0.2.1,,",
	                     "192.0.2.1;192.0.2.2", "192.0.2.1 192.0.2.2", "garbage, 192.0.2.1x",
	                     "_hidden", "192.0.2.1, "};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(client("127.0.0.1", bad[i], out) == XFF_MALFORMED);
		CHECK_STR(out, "127.0.0.1");
	}
	/* a malformed element left of the client is never looked at */
	CHECK(client("127.0.0.1", "garbage, 192.0.2.1", out) == XFF_FORWARDED);
	CHECK_STR(out, "192.0.2.1");
	CHECK(client("127.0.0.1", ",192.0.2.1", out) == XFF_FORWARDED);
	CHECK_STR(out, "192.0.2.1");
	CHECK_DONE();
}
