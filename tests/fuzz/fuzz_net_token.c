/* fuzz_net_token.c - feeds arbitrary bytes as a resume token to token_open
 * and token_split (src/net/token.c): a page or an attacker chooses every
 * byte of a token. A fixed key; a valid token from that key is in the corpus. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct token_key key;
	static int ready;
	if (!ready) {
		for (int i = 0; i < TOKEN_KEY_BYTES; i++)
			key.k[i] = (unsigned char)i;
		struct token_key dummy;
		token_key_random(&dummy);   /* sodium_init */
		ready = 1;
	}
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char id[TOKEN_ID_HEX + 1];
	bool sealed;
	token_split(s, id, &sealed);
	long long exp;
	const char *why;
	free(token_open(&key, s, 1000, &exp, &why));
	free(s);
	return 0;
}
