/* fuzz_i18n_mo.c - feeds arbitrary bytes to the .mo parser and, when they
 * load, looks up a few messages (plain, with context, plural for several n),
 * including every key found in the input itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/catalog.h"

static void lookups(const struct mo *m, const uint8_t *data, size_t size)
{
	static const char *const ids[] = { "Sprachkurs", "Weiter", "%d Angebot", "", "a", NULL };
	volatile size_t sink = 0;
	for (size_t i = 0; ids[i]; i++) {
		const char *r = mo_lookup(m, NULL, ids[i]);
		sink += r ? strlen(r) : 0;
		r = mo_lookup(m, "button", ids[i]);
		sink += r ? strlen(r) : 0;
		for (unsigned long n = 0; n < 8; n++) {
			r = mo_lookup_plural(m, NULL, ids[i], "x", n);
			sink += r ? strlen(r) : 0;
		}
	}
	/* Every NUL-terminated piece of the input as a msgid. */
	char *copy = malloc(size + 1);
	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t at = 0; at < size; at += strlen(copy + at) + 1) {
		const char *r = mo_lookup_plural(m, NULL, copy + at, "x", at);
		sink += r ? strlen(r) : 0;
	}
	free(copy);
	sink += mo_count(m);
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct mo *m = mo_parse("fuzz.mo", data, size, &d);
	if (m)
		lookups(m, data, size);
	mo_free(m);
	diag_free(&d);
	return 0;
}
