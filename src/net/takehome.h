/* takehome.h - "take it home on the phone": one link for a whole result.
 *
 * A take-home link carries an office, a language and the ids of the offers
 * a results step showed, with an expiry, encrypted and authenticated with
 * XChaCha20-Poly1305 under the resume key (token.h; a random key made at
 * start when resume_key_file is not set). Its text, the last part of
 * <public_url>/t/<link>, is base64url (no padding) of
 *
 *   nonce (24 random bytes) || ciphertext of (expiry, 8 bytes big-endian ||
 *   payload) || tag (16 bytes), additional data "lotse-takehome-1"
 *
 * with the payload "<tenant>|<lang>|<offer>,<offer>,..." (ids only: no
 * address, no free text, no conversation id). Every instance with the same
 * key opens it; a changed bit, another key or a passed expiry refuses it.
 * The nonce is also the link's id for revocation: a link given to
 * takehome_revoke is refused by this process until its expiry (a bounded
 * list, TAKEHOME_REVOKED_MAX entries, the oldest dropped first).
 *
 * takehome_payload_parse/_write and takehome_link_ok are pure (fuzzed:
 * tests/fuzz/fuzz_net_takehome.c); the rest is thread-safe (the socket
 * thread seals and revokes, libmicrohttpd's threads open).
 */
#ifndef LOTSE_TAKEHOME_H
#define LOTSE_TAKEHOME_H

#include <stdbool.h>
#include <stddef.h>

#include "net/token.h"
#include "talk/talk.h"

#define TAKEHOME_ID_MAX 64            /* tenant and offer ids: [a-z0-9_-]{1,64} */
#define TAKEHOME_NONCE 24
#define TAKEHOME_PAYLOAD_MAX 2048
#define TAKEHOME_LINK_MAX 2900        /* base64url of the largest sealed payload */
#define TAKEHOME_REVOKED_MAX 16384       /* revoked links remembered per process */
#define TAKEHOME_TTL_DEFAULT 86400    /* seconds (take_home_ttl) */

struct takehome_link {
	char tenant[TAKEHOME_ID_MAX + 1];
	char lang[8];                 /* [a-z]{2,3} */
	char offers[TALK_MAX_OFFERS][TAKEHOME_ID_MAX + 1];
	size_t noffers;               /* 0..TALK_MAX_OFFERS */
	long long expires;            /* Unix seconds (takehome_open fills it) */
};

enum takehome_status {
	TAKEHOME_OK,
	TAKEHOME_BAD,       /* malformed, changed or made with another key: 404 */
	TAKEHOME_EXPIRED,   /* authentic, expiry passed: 410 */
	TAKEHOME_REVOKED,   /* authentic, revoked here: 410 */
};

/* Parses a payload of len bytes into *out (expires untouched). Returns 0,
 * or -1 unless it is exactly "<tenant>|<lang>|<ids>" with valid ids, at
 * most TALK_MAX_OFFERS offers, none twice, nothing else. */
int takehome_payload_parse(const char *buf, size_t len, struct takehome_link *out);
/* Writes l's payload into out (cap bytes, NUL-terminated). Returns its
 * length, or -1 if it does not fit or a field is invalid. */
int takehome_payload_write(const struct takehome_link *l, char *out, size_t cap);
/* Whether s could be a link: 1..TAKEHOME_LINK_MAX base64url characters. */
bool takehome_link_ok(const char *s);

/* The page's words that go with a link (content/messages.h), as
 * (key, translated text) pairs: the socket's "take_home" answer and the
 * link's JSON carry them, so the phone shows them in the link's language. */
#define TAKEHOME_NWORDS 6
struct content;
/* Fills pairs[0..2*TAKEHOME_NWORDS) with keys and their texts in lang
 * (pointers into the catalogues of ct, valid while ct is held). */
void takehome_words(const struct content *ct, const char *lang,
                    const char *pairs[2 * TAKEHOME_NWORDS]);

/* The routes of a link on the kiosk address (docs/protocol.md):
 * /t/<link> the page, /t/<link>.json its offers, /t/<link>.svg its QR. */
enum takehome_route {
	TAKEHOME_ROUTE_NONE,   /* not under /t/ */
	TAKEHOME_ROUTE_BAD,    /* under /t/ but malformed: 404 */
	TAKEHOME_ROUTE_PAGE,
	TAKEHOME_ROUTE_JSON,
	TAKEHOME_ROUTE_SVG,
};
/* Classifies a request path; for the three routes copies the link into
 * link (TAKEHOME_LINK_MAX + 1 bytes; else it is ""). Pure. */
enum takehome_route takehome_route_parse(const char *url, char *link);

struct takehome;

/* Creates the state: key (copied) or, when NULL, a random one; public_url
 * (copied; NULL or "": links are not offered) without a trailing '/'; ttl
 * in seconds (<= 0: TAKEHOME_TTL_DEFAULT). Returns NULL when out of memory
 * or without randomness. Caller frees with takehome_destroy. */
struct takehome *takehome_create(const struct token_key *key, const char *public_url, long ttl);
/* Frees th (wiping the key). NULL is fine. */
void takehome_destroy(struct takehome *th);
/* The public URL links start with, or NULL when none is configured. */
const char *takehome_public_url(const struct takehome *th);
/* Seals l (its expires ignored: now + ttl, written back into *expires) into
 * out (cap bytes). Returns the link's length, or -1. */
int takehome_seal(struct takehome *th, const struct takehome_link *l, long long now,
                  long long *expires, char *out, size_t cap);
/* Opens a link at time now into *out (expires set). */
enum takehome_status takehome_open(struct takehome *th, const char *link, long long now,
                                   struct takehome_link *out);
/* Revokes an authentic, unexpired link until its expiry. Returns 0, or -1
 * when the link is not one (nothing changes then). */
int takehome_revoke(struct takehome *th, const char *link, long long now);
/* How many revocations are remembered now (for tests and the log). */
size_t takehome_revoked_count(struct takehome *th, long long now);

#endif
