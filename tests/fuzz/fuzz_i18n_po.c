/* fuzz_i18n_po.c - fuzz target for the PO reader (po_parse) and the
 * speech-form checks on what it read (i18n/vowels.h). Properties: every
 * entry's line lies inside the input and a translated entry has at least
 * one msgstr form, all non-empty; removing vowel marks leaves none and is
 * idempotent; each form checked against itself and against its stripped
 * copy reports no drift (at most the word rule). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/po.h"
#include "i18n/vowels.h"
#include "util/utf8.h"

#include <stdio.h>

/* A broken property: says which, then aborts (the input is kept by libFuzzer). */
static void fail(const char *what)
{
	fprintf(stderr, "fuzz_i18n_po: %s\n", what);
	abort();
}

static void check_form(const char *s)
{
	char *a = vowels_strip(s), *b = a ? vowels_strip(a) : NULL;
	size_t off = 0, len = 0;
	if (!a || !b || strcmp(a, b) != 0)
		fail("stripping marks twice differs from stripping once");
	for (size_t i = 0, n = strlen(a), l = 1; i < n; i += l) {
		int32_t cp = utf8_decode(a + i, n - i, &l);
		if (cp >= 0 && vowels_is_mark((uint32_t)cp))
			fail("a mark survived vowels_strip");
	}
	struct diag d;
	diag_init(&d);
	size_t rule = vowels_every_word_marked(s, &off, &len) ? 0 : 1;
	if (rule && (off + len > strlen(s) || len == 0))
		fail("the bare word lies outside the text");
	if (vowels_check(s, s, "s.po", 1, "a.po", 1, &d) != rule ||
	    vowels_check(s, a, "s.po", 1, "a.po", 1, &d) != rule)
		fail("a form differs from itself or from its stripped copy");
	diag_free(&d);
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct po_file *p = po_parse("fuzz.po", (const char *)data, size, &d);
	if (p && p->n)
		po_find(p, p->entries[0].ctx, p->entries[0].msgid);
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (size_t i = 0; p && i < p->n; i++) {
		const struct po_entry *e = &p->entries[i];
		if (e->line < 1 || (size_t)e->line > lines || (e->translated && e->nstrs == 0))
			fail("entry line outside the input, or translated without a form");
		for (size_t k = 0; k < e->nstrs; k++) {
			if (e->translated && !e->strs[k][0])
				fail("a translated entry has an empty form");
			check_form(e->strs[k]);
		}
	}
	po_free(p);
	diag_free(&d);
	return 0;
}
