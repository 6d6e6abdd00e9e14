/* xff.h - who the client of a staff request is behind a reverse proxy:
 * addresses (IPv4, IPv6, optionally with a /prefix for trusted networks)
 * and the X-Forwarded-For header, trusted only when the peer is one of the
 * configured proxies (docs/staff.md, "Behind a proxy"). Pure functions: no
 * allocation, no global state. */
#ifndef LOTSE_STAFF_XFF_H
#define LOTSE_STAFF_XFF_H

#include <stdbool.h>
#include <stddef.h>

#define XFF_ADDR_TEXT 46          /* INET6_ADDRSTRLEN */

/* An address (IPv4-mapped IPv6 is stored as IPv4) or, in a trust list, a
 * network (bits: prefix length; 32 or 128 for one address). */
struct xff_addr {
	int family;                   /* AF_INET or AF_INET6 */
	unsigned char b[16];          /* network byte order; IPv4 in b[0..4) */
	unsigned bits;
};

/* Parses s[0..len) as one address: "192.0.2.1", "2001:db8::1", "[2001:db8::1]"
 * (brackets allowed only with with_prefix false) or, when with_prefix is
 * true, also "10.0.0.0/8", "fd00::/8" (host bits must be zero). No spaces.
 * Returns 0 or -1. */
int xff_parse_addr(const char *s, size_t len, bool with_prefix, struct xff_addr *out);
/* Whether addr lies in network net. */
bool xff_match(const struct xff_addr *net, const struct xff_addr *addr);
/* Whether addr lies in one of the n networks. */
bool xff_trusted(const struct xff_addr *nets, size_t n, const struct xff_addr *addr);
/* The address as text ("192.0.2.1", "2001:db8::1") into out (at least
 * XFF_ADDR_TEXT bytes). */
void xff_format(const struct xff_addr *a, char *out, size_t n);

enum xff_result {
	XFF_PEER,        /* the peer is the client (not a trusted proxy, or no header) */
	XFF_FORWARDED,   /* *client is from the header */
	XFF_MALFORMED,   /* the peer is a trusted proxy, but the header is not a list of
	                    addresses: *client is the peer */
};

/* The client of a request from peer with X-Forwarded-For value header (NULL:
 * none; several header lines joined with ","). If peer is trusted, the
 * client is the right-most address of the header that is not itself
 * trusted (all trusted: the left-most). Elements are addresses separated
 * by commas, with optional spaces or tabs around them. *client is always
 * set. */
enum xff_result xff_client(const struct xff_addr *trusted, size_t ntrusted,
                           const struct xff_addr *peer, const char *header,
                           struct xff_addr *client);

#endif
