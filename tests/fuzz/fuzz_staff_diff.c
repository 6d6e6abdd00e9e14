/* fuzz_staff_diff.c - fuzz target for the staff area's line diff: the input
 * is split at its first NUL byte into two texts; the diff of any two texts
 * must succeed, and a text compared with itself must give nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "staff/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a = (const char *)data;
	const char *nul = memchr(a, '\0', size);
	size_t alen = nul ? (size_t)(nul - a) : size / 2;
	const char *b = a + alen + (nul ? 1 : 0);
	size_t blen = size - (size_t)(b - a);
	struct strbuf sb;
	strbuf_init(&sb);
	if (staff_diff(a, alen, b, blen, "a", "b", 3, &sb) != 0)
		abort();
	strbuf_reset(&sb);
	if (staff_diff(a, alen, a, alen, "a", "a", 3, &sb) != 0 || sb.len != 0)
		abort();
	strbuf_free(&sb);
	return 0;
}
