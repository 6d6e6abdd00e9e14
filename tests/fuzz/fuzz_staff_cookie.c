/* fuzz_staff_cookie.c - fuzz target for the staff area's Cookie header
 * parser (staff_cookie_find) and token check: any header, found or not,
 * must leave a NUL-terminated value of bounded length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "staff/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = malloc(size + 1), out[STAFF_TOKEN_LEN + 2];
	if (!h)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';   /* headers arrive NUL-terminated from libmicrohttpd */
	int rc = staff_cookie_find(h, STAFF_COOKIE, out, sizeof(out));
	if (rc == 1 && strlen(out) >= sizeof(out))
		abort();
	if (rc == 1)
		(void)staff_token_valid(out);
	free(h);
	return 0;
}
