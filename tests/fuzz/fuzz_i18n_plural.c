/* fuzz_i18n_plural.c - feeds arbitrary text to the Plural-Forms parser and
 * evaluates every expression it accepts for a spread of n (incl. 0 and the
 * largest values, to reach division by zero and wrap-around). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned long ns[] = { 0, 1, 2, 3, 5, 11, 21, 100, 101, 1000000,
	                                    ULONG_MAX - 1, ULONG_MAX };
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct diag d;
	diag_init(&d);
	struct plural_expr *e = plural_parse(s, &d, "fuzz");
	if (e) {
		for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
			if (plural_eval(e, ns[i]) >= plural_nplurals(e))
				abort();  /* the result must always be a valid form index */
	}
	plural_free(e);
	diag_free(&d);
	free(s);
	return 0;
}
