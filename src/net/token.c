/* token.c - self-contained resume tokens (token.h): seal and open a
 * conversation's path with XChaCha20-Poly1305 (libsodium).
 *
 * Sealed part, before base64url: nonce (24 bytes) || ciphertext of
 * (expiry as 8 bytes big-endian || state) || tag (16 bytes). The additional
 * data is "lotse-resume-1:" followed by the id.
 */
#include "net/token.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AD_PREFIX "lotse-resume-1:"
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(TOKEN_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
               "the key file holds exactly one XChaCha20-Poly1305 key");
_Static_assert(TOKEN_MAX % 4 == 0 && TOKEN_MAX > TOKEN_ID_HEX + 64, "room for a sealed part");

int token_key_load(struct token_key *key, const char *path, char *err, size_t errlen)
{
	int rc = -1;
	unsigned char buf[TOKEN_KEY_BYTES + 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open the resume key file: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: the resume key file is not a regular file", path);
		goto out;
	}
	size_t got = 0;
	while (got < sizeof(buf)) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: cannot read the resume key file: %s", path,
			         strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != TOKEN_KEY_BYTES) {
		snprintf(err, errlen,
		         "%s: the resume key file must hold exactly %d bytes (it holds %s%zu); make one "
		         "with: head -c %d /dev/urandom > %s",
		         path, TOKEN_KEY_BYTES, got > TOKEN_KEY_BYTES ? "more than " : "",
		         got > TOKEN_KEY_BYTES ? (size_t)TOKEN_KEY_BYTES : got, TOKEN_KEY_BYTES, path);
		goto out;
	}
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		goto out;
	}
	memcpy(key->k, buf, TOKEN_KEY_BYTES);
	key->from_file = true;
	rc = 0;
out:
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	return rc;
}

/* Nonces: 16 random bytes per process, then a counter. XChaCha20's 24-byte
 * nonce makes random prefixes collide with negligible chance across every
 * instance sharing the key, and the counter never repeats within one: no
 * system call per token (libsodium's randombytes asks the kernel). */
static unsigned char nonce_prefix[NONCE_BYTES - 8];
static atomic_uint_fast64_t nonce_counter;
static pthread_once_t nonce_once = PTHREAD_ONCE_INIT;

static void nonce_init(void)
{
	randombytes_buf(nonce_prefix, sizeof(nonce_prefix));
}

int token_key_random(struct token_key *key)
{
	if (sodium_init() < 0)
		return -1;
	crypto_aead_xchacha20poly1305_ietf_keygen(key->k);
	key->from_file = false;
	return 0;
}

static bool is_id(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool token_split(const char *token, char id_out[TOKEN_ID_HEX + 1], bool *sealed)
{
	id_out[0] = '\0';
	*sealed = false;
	if (!token || strnlen(token, TOKEN_ID_HEX + 1) < TOKEN_ID_HEX || !is_id(token, TOKEN_ID_HEX))
		return false;
	if (token[TOKEN_ID_HEX] != '\0' && token[TOKEN_ID_HEX] != '.')
		return false;
	if (token[TOKEN_ID_HEX] == '.' && token[TOKEN_ID_HEX + 1] == '\0')
		return false;
	memcpy(id_out, token, TOKEN_ID_HEX);
	id_out[TOKEN_ID_HEX] = '\0';
	*sealed = token[TOKEN_ID_HEX] == '.';
	return true;
}

static void make_ad(unsigned char ad[sizeof(AD_PREFIX) - 1 + TOKEN_ID_HEX], const char *id)
{
	memcpy(ad, AD_PREFIX, sizeof(AD_PREFIX) - 1);
	memcpy(ad + sizeof(AD_PREFIX) - 1, id, TOKEN_ID_HEX);
}

int token_seal(const struct token_key *key, const char *id, long long expires, const char *state,
               char *out, size_t cap)
{
	if (!id || strlen(id) != TOKEN_ID_HEX || !is_id(id, TOKEN_ID_HEX) || !state)
		return -1;
	size_t slen = strlen(state);
	size_t plen = 8 + slen;
	size_t blen = NONCE_BYTES + plen + TAG_BYTES;
	size_t b64 = sodium_base64_encoded_len(blen, B64_VARIANT);   /* includes the NUL */
	if (slen > cap || TOKEN_ID_HEX + 1 + b64 > cap)
		return -1;
	/* b64 fits in cap, so blen and plen are below TOKEN_MAX: stack buffers */
	unsigned char box[TOKEN_MAX], plain[TOKEN_MAX];
	int rc = -1;
	if (blen > sizeof(box))
		return -1;
	for (int i = 0; i < 8; i++)
		plain[i] = (unsigned char)((unsigned long long)expires >> (56 - 8 * i));
	memcpy(plain + 8, state, slen);
	unsigned char ad[sizeof(AD_PREFIX) - 1 + TOKEN_ID_HEX];
	make_ad(ad, id);
	pthread_once(&nonce_once, nonce_init);
	uint64_t ctr = atomic_fetch_add(&nonce_counter, 1);
	memcpy(box, nonce_prefix, sizeof(nonce_prefix));
	memcpy(box + sizeof(nonce_prefix), &ctr, sizeof(ctr));
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + NONCE_BYTES, &clen, plain, plen, ad,
	                                           sizeof(ad), NULL, box, key->k);
	if (clen != plen + TAG_BYTES)
		goto out;
	memcpy(out, id, TOKEN_ID_HEX);
	out[TOKEN_ID_HEX] = '.';
	sodium_bin2base64(out + TOKEN_ID_HEX + 1, cap - TOKEN_ID_HEX - 1, box, blen, B64_VARIANT);
	rc = (int)strlen(out);
out:
	sodium_memzero(plain, plen);
	return rc;
}

char *token_open(const struct token_key *key, const char *token, long long now,
                 long long *expires, const char **why)
{
	char id[TOKEN_ID_HEX + 1];
	bool sealed;
	*why = "malformed token";
	if (!token_split(token, id, &sealed) || !sealed)
		return NULL;
	const char *b64 = token + TOKEN_ID_HEX + 1;
	size_t b64len = strnlen(b64, TOKEN_MAX + 1);
	if (b64len > TOKEN_MAX)
		return NULL;
	size_t cap = b64len / 4 * 3 + 3;
	unsigned char *box = malloc(cap);
	unsigned char *plain = NULL;
	char *state = NULL;
	size_t blen = 0;
	if (!box)
		goto out;
	if (sodium_base642bin(box, cap, b64, b64len, NULL, &blen, NULL, B64_VARIANT) != 0 ||
	    blen < NONCE_BYTES + TAG_BYTES + 8)
		goto out;
	plain = malloc(blen);
	if (!plain)
		goto out;
	unsigned char ad[sizeof(AD_PREFIX) - 1 + TOKEN_ID_HEX];
	make_ad(ad, id);
	unsigned long long plen = 0;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, box + NONCE_BYTES,
	                                               blen - NONCE_BYTES, ad, sizeof(ad), box,
	                                               key->k) != 0) {
		*why = "token not made with this key, or changed";
		goto out;
	}
	unsigned long long e = 0;
	for (int i = 0; i < 8; i++)
		e = e << 8 | plain[i];
	if ((long long)e <= now) {
		*why = "token expired";
		goto out;
	}
	state = malloc(plen - 8 + 1);
	if (!state)
		goto out;
	memcpy(state, plain + 8, plen - 8);
	state[plen - 8] = '\0';
	if (strlen(state) != plen - 8) {   /* a NUL inside: not ours */
		free(state);
		state = NULL;
		goto out;
	}
	*expires = (long long)e;
	*why = NULL;
out:
	if (plain)
		sodium_memzero(plain, blen);
	free(plain);
	free(box);
	return state;
}
