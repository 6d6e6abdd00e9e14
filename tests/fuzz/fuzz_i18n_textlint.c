/* fuzz_i18n_textlint.c - feeds arbitrary bytes to the i18n lint's text
 * checks (i18n/textlint.h), as a right-to-left and as a left-to-right text.
 * Checks: every finding lies inside the input, in text order, its column is
 * the character count before it plus one, a Latin stretch starts with a
 * Latin letter or digit and holds two Latin letters in a row (marks between
 * them do not count), a control
 * finding is exactly one isolate control; the left-to-right pass reports
 * exactly the control findings of the right-to-left pass; wrapping every
 * reported Latin stretch in U+2068 ... U+2069 leaves no Latin finding and
 * the same control findings; and the length does not change by adding
 * the isolates. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/textlint.h"
#include "util/utf8.h"

#define MAXF 4096

struct found {
	struct textlint_finding f[MAXF];
	size_t n, dropped;
};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_i18n_textlint: %s\n", what);
	abort();
}

static void collect(void *ud, const struct textlint_finding *f)
{
	struct found *x = ud;
	if (x->n < MAXF)
		x->f[x->n++] = *f;
	else
		x->dropped++;
}

static size_t count_controls(const struct found *x)
{
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++)
		k += x->f[i].kind != TEXTLINT_LATIN;
	return k;
}

/* The properties of one pass over s[0..n). */
static void check_pass(const char *s, size_t n, const struct found *x, size_t ret)
{
	if (ret != x->n + x->dropped)
		fail("return value is not the number of findings");
	size_t last = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct textlint_finding *f = &x->f[i];
		if (f->off + f->len > n || f->len == 0)
			fail("finding outside the text or empty");
		if (f->kind != TEXTLINT_UNCLOSED && f->off < last)
			fail("findings out of order");
		if (f->kind != TEXTLINT_UNCLOSED)
			last = f->off + f->len;
		/* the column: characters before it (code points, invalid bytes one each) */
		size_t col = 1, j = 0, l;
		while (j < f->off) {
			utf8_decode(s + j, n - j, &l);
			j += l ? l : 1;
			col++;
		}
		if (j != f->off || col != f->col)
			fail("wrong column or not at a character boundary");
		int32_t c = utf8_decode(s + f->off, n - f->off, &l);
		if (f->kind == TEXTLINT_LATIN) {
			if (c < 0 || !(textlint_is_latin((uint32_t)c) || (c >= '0' && c <= '9')))
				fail("a Latin stretch starts with neither a Latin letter nor a digit");
			bool two = false, prev = false;
			for (size_t k = f->off; k < f->off + f->len; k += l ? l : 1) {
				c = utf8_decode(s + k, f->off + f->len - k, &l);
				if (c >= 0 && textlint_is_mark((uint32_t)c))
					continue;   /* part of the letter before it */
				bool lat = c >= 0 && textlint_is_latin((uint32_t)c);
				two = two || (lat && prev);
				prev = lat;
			}
			if (!two)
				fail("a Latin stretch without two Latin letters in a row");
		} else {
			bool open = c == TEXTLINT_LRI || c == TEXTLINT_RLI || c == TEXTLINT_FSI;
			if (l != f->len || (f->kind == TEXTLINT_PDI_ALONE ? c != TEXTLINT_PDI : !open))
				fail("a control finding is not its control character");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	const char *s = (const char *)data;
	static struct found rtl, ltr, again;
	rtl.n = rtl.dropped = ltr.n = ltr.dropped = again.n = again.dropped = 0;
	check_pass(s, size, &rtl, textlint_isolation(s, size, true, collect, &rtl));
	check_pass(s, size, &ltr, textlint_isolation(s, size, false, collect, &ltr));
	if (rtl.dropped || ltr.dropped)
		return 0;
	if (count_controls(&rtl) != ltr.n || count_controls(&ltr) != ltr.n)
		fail("left-to-right findings are not the control findings of right-to-left");
	if (textlint_isolation(s, size, true, NULL, NULL) != rtl.n)
		fail("a different count without a callback");
	/* wrap every Latin stretch in FSI ... PDI */
	size_t cap = size + 6 * rtl.n + 1, k = 0, at = 0;
	char *w = malloc(cap);
	if (!w)
		abort();
	for (size_t i = 0; i < rtl.n; i++) {
		const struct textlint_finding *f = &rtl.f[i];
		if (f->kind != TEXTLINT_LATIN)
			continue;
		memcpy(w + k, s + at, f->off - at);
		k += f->off - at;
		k += utf8_encode(TEXTLINT_FSI, w + k);
		memcpy(w + k, s + f->off, f->len);
		k += f->len;
		k += utf8_encode(TEXTLINT_PDI, w + k);
		at = f->off + f->len;
	}
	memcpy(w + k, s + at, size - at);
	k += size - at;
	check_pass(w, k, &again, textlint_isolation(w, k, true, collect, &again));
	if (!again.dropped) {
		if (count_controls(&again) != again.n)
			fail("Latin text left after isolating every reported stretch");
		if (again.n != count_controls(&rtl))
			fail("isolating the Latin text changed the control findings");
	}
	if (textlint_length(w, k) != textlint_length(s, size))
		fail("isolates change the length");
	free(w);
	return 0;
}
