/* xff.c - parsing addresses, trusted networks and X-Forwarded-For (see
 * xff.h). */
#include "staff/xff.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Stores an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as IPv4. */
static void unmap(struct xff_addr *a)
{
	static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (a->family == AF_INET6 && !memcmp(a->b, prefix, 12)) {
		memmove(a->b, a->b + 12, 4);
		memset(a->b + 4, 0, 12);
		a->family = AF_INET;
		a->bits = a->bits >= 96 ? a->bits - 96 : 0;
	}
}

int xff_parse_addr(const char *s, size_t len, bool with_prefix, struct xff_addr *out)
{
	char buf[64];
	long bits = -1;
	memset(out, 0, sizeof(*out));
	if (!s || len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		return -1;
	char *addr = buf;
	if (with_prefix) {
		char *slash = strchr(buf, '/');
		if (slash) {
			char *end;
			*slash = '\0';
			if (!slash[1] || slash[1] < '0' || slash[1] > '9' || strlen(slash + 1) > 3)
				return -1;
			bits = strtol(slash + 1, &end, 10);
			if (*end)
				return -1;
		}
	} else if (buf[0] == '[') {
		if (len < 3 || buf[len - 1] != ']')
			return -1;
		buf[len - 1] = '\0';
		addr = buf + 1;
		if (!strchr(addr, ':'))
			return -1;   /* brackets only around IPv6 */
	}
	if (inet_pton(AF_INET, addr, out->b) == 1) {
		out->family = AF_INET;
		out->bits = 32;
	} else if (inet_pton(AF_INET6, addr, out->b) == 1) {
		out->family = AF_INET6;
		out->bits = 128;
	} else {
		return -1;
	}
	if (bits >= 0) {
		if (bits > (long)out->bits)
			return -1;
		out->bits = (unsigned)bits;
	}
	unmap(out);
	/* host bits of a network must be zero ("10.0.0.1/8" is a mistake) */
	unsigned nb = out->family == AF_INET ? 4 : 16;
	for (unsigned i = out->bits; i < nb * 8; i++)
		if (out->b[i / 8] & (0x80u >> (i % 8)))
			return -1;
	return 0;
}

bool xff_match(const struct xff_addr *net, const struct xff_addr *addr)
{
	if (net->family != addr->family)
		return false;
	unsigned full = net->bits / 8, rest = net->bits % 8;
	if (memcmp(net->b, addr->b, full))
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xffu << (8 - rest));
	return (net->b[full] & mask) == (addr->b[full] & mask);
}

bool xff_trusted(const struct xff_addr *nets, size_t n, const struct xff_addr *addr)
{
	for (size_t i = 0; i < n; i++)
		if (xff_match(&nets[i], addr))
			return true;
	return false;
}

void xff_format(const struct xff_addr *a, char *out, size_t n)
{
	if (!n)
		return;
	if (!inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->b, out, (socklen_t)n))
		out[0] = '\0';
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

enum xff_result xff_client(const struct xff_addr *trusted, size_t ntrusted,
                           const struct xff_addr *peer, const char *header,
                           struct xff_addr *client)
{
	*client = *peer;
	if (!header || !xff_trusted(trusted, ntrusted, peer))
		return XFF_PEER;
	size_t end = strlen(header);
	struct xff_addr a, last = *peer;
	bool any = false;
	/* right to left, element by element */
	for (;;) {
		size_t start = end;
		while (start > 0 && header[start - 1] != ',')
			start--;
		size_t b = start, e = end;
		while (b < e && blank(header[b]))
			b++;
		while (e > b && blank(header[e - 1]))
			e--;
		if (xff_parse_addr(header + b, e - b, false, &a) < 0) {
			if (!any && e == b && start == 0)
				return XFF_PEER;   /* an empty header: as if absent */
			*client = *peer;
			return XFF_MALFORMED;
		}
		any = true;
		last = a;
		if (!xff_trusted(trusted, ntrusted, &a)) {
			*client = a;
			return XFF_FORWARDED;
		}
		if (start == 0)
			break;
		end = start - 1;
	}
	*client = last;   /* every hop is a trusted proxy: the left-most */
	return XFF_FORWARDED;
}
