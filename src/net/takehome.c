/* takehome.c - take-home links (takehome.h): the payload's text form, and
 * sealing, opening and revoking links with XChaCha20-Poly1305 (libsodium). */
#include "net/takehome.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"
#include "content/messages.h"
#include "i18n/catalog.h"

#define AD "lotse-takehome-1"
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(TAKEHOME_NONCE == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, "nonce size");
/* the largest payload, sealed, in base64url fits a link */
_Static_assert((TAKEHOME_NONCE + 8 + TAKEHOME_PAYLOAD_MAX + TAG_BYTES + 2) / 3 * 4 <=
               TAKEHOME_LINK_MAX, "a link holds the largest payload");
_Static_assert(TAKEHOME_ID_MAX * (TALK_MAX_OFFERS + 1) + TALK_MAX_OFFERS + 16 <
               TAKEHOME_PAYLOAD_MAX, "the largest link_ok payload fits");

struct revoked {
	unsigned char nonce[TAKEHOME_NONCE];
	long long until;
};

struct takehome {
	unsigned char key[TOKEN_KEY_BYTES];
	char *public_url;             /* NULL: no links offered */
	long ttl;
	pthread_mutex_t mu;           /* revoked, nrevoked */
	struct revoked *revoked;      /* a ring of TAKEHOME_REVOKED_MAX */
	size_t nrevoked;              /* ever added (next slot: nrevoked % max) */
};

/* ---- the payload ---- */

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Copies the id s[0..n) into dst (TAKEHOME_ID_MAX + 1 bytes). Returns 0 or -1. */
static int take_id(const char *s, size_t n, char *dst)
{
	if (n < 1 || n > TAKEHOME_ID_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!id_char(s[i]))
			return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static bool lang_valid(const char *s, size_t n)
{
	if (n < 2 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

int takehome_payload_parse(const char *buf, size_t len, struct takehome_link *out)
{
	long long expires = out->expires;
	memset(out, 0, sizeof(*out));
	out->expires = expires;
	const char *end = buf + len;
	const char *bar1 = memchr(buf, '|', len);
	const char *bar2 = bar1 ? memchr(bar1 + 1, '|', (size_t)(end - bar1 - 1)) : NULL;
	if (!bar2 || take_id(buf, (size_t)(bar1 - buf), out->tenant) < 0 ||
	    !lang_valid(bar1 + 1, (size_t)(bar2 - bar1 - 1)))
		goto bad;
	memcpy(out->lang, bar1 + 1, (size_t)(bar2 - bar1 - 1));
	out->lang[bar2 - bar1 - 1] = '\0';
	const char *p = bar2 + 1;
	if (p == end)
		return 0;   /* no offers: a results step that found none */
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		if (out->noffers == TALK_MAX_OFFERS ||
		    take_id(p, (size_t)(stop - p), out->offers[out->noffers]) < 0)
			goto bad;
		for (size_t i = 0; i < out->noffers; i++)
			if (strcmp(out->offers[i], out->offers[out->noffers]) == 0)
				goto bad;
		out->noffers++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
bad:
	memset(out, 0, sizeof(*out));
	out->expires = expires;
	return -1;
}

int takehome_payload_write(const struct takehome_link *l, char *out, size_t cap)
{
	size_t n = 0;
	int w = snprintf(out, cap, "%s|%s|", l->tenant, l->lang);
	if (w < 0 || (size_t)w >= cap)
		return -1;
	n = (size_t)w;
	for (size_t i = 0; i < l->noffers && i < TALK_MAX_OFFERS; i++) {
		w = snprintf(out + n, cap - n, "%s%s", i ? "," : "", l->offers[i]);
		if (w < 0 || (size_t)w >= cap - n)
			return -1;
		n += (size_t)w;
	}
	struct takehome_link check;   /* only what parses back is written */
	if (l->noffers > TALK_MAX_OFFERS || takehome_payload_parse(out, n, &check) < 0)
		return -1;
	return (int)n;
}

bool takehome_link_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (n >= TAKEHOME_LINK_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return n > 0;
}

enum takehome_route takehome_route_parse(const char *url, char *link)
{
	link[0] = '\0';
	if (!url || strncmp(url, "/t/", 3) != 0)
		return TAKEHOME_ROUTE_NONE;
	const char *p = url + 3;
	size_t n = strcspn(p, ".");
	enum takehome_route r = TAKEHOME_ROUTE_PAGE;
	if (p[n] && strcmp(p + n, ".json") == 0)
		r = TAKEHOME_ROUTE_JSON;
	else if (p[n] && strcmp(p + n, ".svg") == 0)
		r = TAKEHOME_ROUTE_SVG;
	else if (p[n])
		return TAKEHOME_ROUTE_BAD;
	if (n < 1 || n > TAKEHOME_LINK_MAX)
		return TAKEHOME_ROUTE_BAD;
	memcpy(link, p, n);
	link[n] = '\0';
	if (!takehome_link_ok(link)) {
		link[0] = '\0';
		return TAKEHOME_ROUTE_BAD;
	}
	return r;
}

/* ---- the words ---- */

void takehome_words(const struct content *ct, const char *lang,
                    const char *pairs[2 * TAKEHOME_NWORDS])
{
	static const char *const words[TAKEHOME_NWORDS][3] = {
		{"title", CTX_TH_TITLE, MSG_TH_TITLE},       {"hint", CTX_TH_HINT, MSG_TH_HINT},
		{"until", CTX_TH_UNTIL, MSG_TH_UNTIL},       {"revoke", CTX_TH_REVOKE, MSG_TH_REVOKE},
		{"page", CTX_TH_PAGE, MSG_TH_PAGE},          {"expired", CTX_TH_EXPIRED, MSG_TH_EXPIRED},
	};
	for (size_t i = 0; i < TAKEHOME_NWORDS; i++) {
		pairs[2 * i] = words[i][0];
		pairs[2 * i + 1] = ct && ct->catalogs ? catalog_gettext(ct->catalogs, lang, words[i][1],
		                                                        words[i][2], NULL)
		                                      : words[i][2];
	}
}

/* ---- the state ---- */

/* Returns a new state; caller frees with takehome_destroy. */
struct takehome *takehome_create(const struct token_key *key, const char *public_url, long ttl)
{
	if (sodium_init() < 0)
		return NULL;
	struct takehome *th = calloc(1, sizeof(*th));
	if (!th)
		return NULL;
	th->revoked = calloc(TAKEHOME_REVOKED_MAX, sizeof(*th->revoked));
	if (public_url && *public_url) {
		size_t n = strlen(public_url);
		while (n && public_url[n - 1] == '/')
			n--;
		th->public_url = strndup(public_url, n);
	}
	if (!th->revoked || (public_url && *public_url && !th->public_url)) {
		free(th->revoked);
		free(th->public_url);
		free(th);
		return NULL;
	}
	if (key)
		memcpy(th->key, key->k, TOKEN_KEY_BYTES);
	else
		crypto_aead_xchacha20poly1305_ietf_keygen(th->key);
	th->ttl = ttl > 0 ? ttl : TAKEHOME_TTL_DEFAULT;
	pthread_mutex_init(&th->mu, NULL);
	return th;
}

/* Frees th and wipes its key. */
void takehome_destroy(struct takehome *th)
{
	if (!th)
		return;
	sodium_memzero(th->key, sizeof(th->key));
	pthread_mutex_destroy(&th->mu);
	free(th->revoked);
	free(th->public_url);
	free(th);
}

const char *takehome_public_url(const struct takehome *th)
{
	return th ? th->public_url : NULL;
}

int takehome_seal(struct takehome *th, const struct takehome_link *l, long long now,
                  long long *expires, char *out, size_t cap)
{
	unsigned char plain[8 + TAKEHOME_PAYLOAD_MAX];
	unsigned char box[TAKEHOME_NONCE + sizeof(plain) + TAG_BYTES];
	int n = takehome_payload_write(l, (char *)plain + 8, sizeof(plain) - 8);
	if (n < 0)
		return -1;
	long long e = now + th->ttl;
	for (int i = 0; i < 8; i++)
		plain[i] = (unsigned char)((unsigned long long)e >> (56 - 8 * i));
	size_t plen = 8 + (size_t)n;
	randombytes_buf(box, TAKEHOME_NONCE);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + TAKEHOME_NONCE, &clen, plain, plen,
	                                           (const unsigned char *)AD, sizeof(AD) - 1, NULL,
	                                           box, th->key);
	size_t blen = TAKEHOME_NONCE + (size_t)clen;
	if (sodium_base64_encoded_len(blen, B64_VARIANT) > cap)
		return -1;
	sodium_bin2base64(out, cap, box, blen, B64_VARIANT);
	*expires = e;
	return (int)strlen(out);
}

/* Decrypts link into *out and its nonce; TAKEHOME_BAD or _OK (expiry not
 * checked here). */
static enum takehome_status unseal(const struct takehome *th, const char *link,
                                   struct takehome_link *out,
                                   unsigned char nonce[TAKEHOME_NONCE])
{
	unsigned char box[TAKEHOME_LINK_MAX / 4 * 3 + 3];
	unsigned char plain[sizeof(box)];
	size_t blen = 0;
	unsigned long long plen = 0;
	enum takehome_status st = TAKEHOME_BAD;
	memset(out, 0, sizeof(*out));
	if (!link || !takehome_link_ok(link) ||
	    sodium_base642bin(box, sizeof(box), link, strlen(link), NULL, &blen, NULL,
	                      B64_VARIANT) != 0 ||
	    blen < TAKEHOME_NONCE + TAG_BYTES + 8)
		return TAKEHOME_BAD;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, box + TAKEHOME_NONCE,
	                                               blen - TAKEHOME_NONCE,
	                                               (const unsigned char *)AD, sizeof(AD) - 1,
	                                               box, th->key) != 0 ||
	    plen < 8)
		goto out;
	unsigned long long e = 0;
	for (int i = 0; i < 8; i++)
		e = e << 8 | plain[i];
	out->expires = (long long)e;
	if (takehome_payload_parse((const char *)plain + 8, (size_t)plen - 8, out) < 0)
		goto out;
	memcpy(nonce, box, TAKEHOME_NONCE);
	st = TAKEHOME_OK;
out:
	sodium_memzero(plain, sizeof(plain));
	return st;
}

/* Whether nonce is on the list (th->mu held). */
static bool is_revoked(const struct takehome *th, const unsigned char *nonce, long long now)
{
	size_t n = th->nrevoked < TAKEHOME_REVOKED_MAX ? th->nrevoked : TAKEHOME_REVOKED_MAX;
	for (size_t i = 0; i < n; i++)
		if (th->revoked[i].until > now &&
		    sodium_memcmp(th->revoked[i].nonce, nonce, TAKEHOME_NONCE) == 0)
			return true;
	return false;
}

enum takehome_status takehome_open(struct takehome *th, const char *link, long long now,
                                   struct takehome_link *out)
{
	unsigned char nonce[TAKEHOME_NONCE];
	enum takehome_status st = unseal(th, link, out, nonce);
	if (st != TAKEHOME_OK)
		return st;
	if (out->expires <= now)
		return TAKEHOME_EXPIRED;
	pthread_mutex_lock(&th->mu);
	bool rev = is_revoked(th, nonce, now);
	pthread_mutex_unlock(&th->mu);
	return rev ? TAKEHOME_REVOKED : TAKEHOME_OK;
}

int takehome_revoke(struct takehome *th, const char *link, long long now)
{
	unsigned char nonce[TAKEHOME_NONCE];
	struct takehome_link l;
	if (unseal(th, link, &l, nonce) != TAKEHOME_OK || l.expires <= now)
		return -1;
	pthread_mutex_lock(&th->mu);
	if (!is_revoked(th, nonce, now)) {
		struct revoked *r = &th->revoked[th->nrevoked++ % TAKEHOME_REVOKED_MAX];
		memcpy(r->nonce, nonce, TAKEHOME_NONCE);
		r->until = l.expires;
	}
	pthread_mutex_unlock(&th->mu);
	return 0;
}

size_t takehome_revoked_count(struct takehome *th, long long now)
{
	size_t k = 0;
	pthread_mutex_lock(&th->mu);
	size_t n = th->nrevoked < TAKEHOME_REVOKED_MAX ? th->nrevoked : TAKEHOME_REVOKED_MAX;
	for (size_t i = 0; i < n; i++)
		k += th->revoked[i].until > now;
	pthread_mutex_unlock(&th->mu);
	return k;
}
