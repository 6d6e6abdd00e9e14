/* test_net_token.c - resume tokens (src/net/token.c): a sealed conversation
 * opens with the same key only, unchanged, before its expiry, under its own
 * id; key files of the wrong size are refused with a clear message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "net/token.h"

#define ID "0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210"
#define STATE "lotse1 testamt en 2 main who 0 main child_age 1 audience child"

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n)
		abort();
	fclose(f);
}

int main(void)
{
	struct token_key k1, k2;
	CHECK(token_key_random(&k1) == 0 && !k1.from_file);
	CHECK(token_key_random(&k2) == 0);
	CHECK(memcmp(k1.k, k2.k, sizeof(k1.k)) != 0);

	char tok[TOKEN_MAX + 1], tok2[TOKEN_MAX + 1];
	const char *why = NULL;
	long long exp = 0;
	int n = token_seal(&k1, ID, 2000, STATE, tok, sizeof(tok));
	CHECK(n > 0 && (size_t)n == strlen(tok));
	CHECK(strncmp(tok, ID ".", 33) == 0);
	CHECK(strstr(tok, "testamt") == NULL);           /* opaque: the path is encrypted */
	/* two seals of the same state differ (fresh nonce) but open the same */
	CHECK(token_seal(&k1, ID, 2000, STATE, tok2, sizeof(tok2)) == n && strcmp(tok, tok2) != 0);

	char *st = token_open(&k1, tok, 1999, &exp, &why);
	CHECK_STR(st, STATE);
	CHECK(exp == 2000 && why == NULL);
	free(st);
	/* expired */
	CHECK(token_open(&k1, tok, 2000, &exp, &why) == NULL);
	CHECK_STR(why, "token expired");
	/* another key */
	CHECK(token_open(&k2, tok, 1000, &exp, &why) == NULL);
	CHECK_STR(why, "token not made with this key, or changed");
	/* one character of the sealed part changed */
	char bad[TOKEN_MAX + 1];
	memcpy(bad, tok, (size_t)n + 1);
	bad[40] = bad[40] == 'A' ? 'B' : 'A';
	CHECK(token_open(&k1, bad, 1000, &exp, &why) == NULL);
	CHECK_STR(why, "token not made with this key, or changed");
	/* the sealed part moved under another id */
	memcpy(bad, ID2, 32);
	memcpy(bad + 32, tok + 32, (size_t)n - 31);
	CHECK(token_open(&k1, bad, 1000, &exp, &why) == NULL);
	CHECK_STR(why, "token not made with this key, or changed");
	/* malformed */
	const char *malformed[] = {"", ID, ID ".", "0123", ID "x", "0123456789ABCDEF0123456789abcdef.AAAA",
	                           ID ".!!!!", ID ".AAAA", NULL};
	for (int i = 0; malformed[i]; i++) {
		CHECK(token_open(&k1, malformed[i], 1000, &exp, &why) == NULL);
		CHECK(why != NULL);
	}
	/* split */
	char id[TOKEN_ID_HEX + 1];
	bool sealed = true;
	CHECK(token_split(ID, id, &sealed) && !sealed);
	CHECK_STR(id, ID);
	CHECK(token_split(tok, id, &sealed) && sealed);
	CHECK_STR(id, ID);
	CHECK(!token_split(ID ".", id, &sealed) && id[0] == '\0');
	CHECK(!token_split("0123456789abcdef0123456789abcde", id, &sealed));
	CHECK(!token_split(ID "0", id, &sealed));
	CHECK(!token_split(NULL, id, &sealed));
	/* too small a buffer, or a bad id: nothing sealed */
	CHECK(token_seal(&k1, ID, 2000, STATE, tok2, 60) == -1);
	CHECK(token_seal(&k1, "0123", 2000, STATE, tok2, sizeof(tok2)) == -1);
	CHECK(token_seal(&k1, "0123456789ABCDEF0123456789abcdef", 2000, STATE, tok2, sizeof(tok2)) == -1);

	/* key files */
	char dir[] = "/tmp/lotse-token-XXXXXX", path[64], err[512];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/key", dir);
	unsigned char raw[33];
	for (int i = 0; i < 33; i++)
		raw[i] = (unsigned char)(i * 7 + 1);
	write_file(path, raw, 32);
	struct token_key kf;
	CHECK(token_key_load(&kf, path, err, sizeof(err)) == 0 && kf.from_file);
	CHECK(memcmp(kf.k, raw, 32) == 0);
	/* the same key file on two "instances": one seals, the other opens */
	struct token_key kf2;
	CHECK(token_key_load(&kf2, path, err, sizeof(err)) == 0);
	CHECK(token_seal(&kf, ID, 2000, STATE, tok, sizeof(tok)) > 0);
	st = token_open(&kf2, tok, 1000, &exp, &why);
	CHECK_STR(st, STATE);
	free(st);
	char want[600];
	write_file(path, raw, 31);
	CHECK(token_key_load(&kf, path, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s: the resume key file must hold exactly 32 bytes (it holds 31); "
	         "make one with: head -c 32 /dev/urandom > %s", path, path);
	CHECK_STR(err, want);
	write_file(path, raw, 33);
	CHECK(token_key_load(&kf, path, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s: the resume key file must hold exactly 32 bytes (it holds more "
	         "than 32); make one with: head -c 32 /dev/urandom > %s", path, path);
	CHECK_STR(err, want);
	unlink(path);
	CHECK(token_key_load(&kf, path, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s: cannot open the resume key file: No such file or directory",
	         path);
	CHECK_STR(err, want);
	CHECK(token_key_load(&kf, dir, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s: the resume key file is not a regular file", dir);
	CHECK_STR(err, want);
	rmdir(dir);
	CHECK_DONE();
}
