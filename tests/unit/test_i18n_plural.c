/* test_i18n_plural.c - the Plural-Forms parser and evaluator: every standard
 * rule from the gettext manual checked against the same expression compiled
 * as C for n = 0..1200 and some huge n, operator details (division by zero,
 * out-of-range results, unary !, spacing), and broken headers with their
 * exact messages. */
#include <limits.h>
#include <string.h>

#include "check.h"
#include "i18n/catalog.h"

/* Defines a C reference function and the header text from one expression. */
#define RULE(name, np, expr) \
	static unsigned long name(unsigned long n) { (void)n; return (unsigned long)(expr); } \
	static const char name##_hdr[] = "nplurals=" #np "; plural=" #expr ";";

RULE(one_form, 1, 0)
RULE(germanic, 2, n != 1)
RULE(french, 2, n > 1)
RULE(latvian, 3, n % 10 == 1 && n % 100 != 11 ? 0 : n != 0 ? 1 : 2)
RULE(gaelic3, 3, n == 1 ? 0 : n == 2 ? 1 : 2)
RULE(irish, 5, n == 1 ? 0 : n == 2 ? 1 : (n > 2 && n < 7) ? 2 : (n > 6 && n < 11) ? 3 : 4)
RULE(romanian, 3, n == 1 ? 0 : (n == 0 || (n % 100 > 0 && n % 100 < 20)) ? 1 : 2)
RULE(lithuanian, 3, n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && (n % 100 < 10 || n % 100 >= 20) ? 1 : 2)
RULE(slavic, 3, n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1 : 2)
RULE(czech, 3, (n == 1) ? 0 : (n >= 2 && n <= 4) ? 1 : 2)
RULE(polish, 3, n == 1 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1 : 2)
RULE(slovenian, 4, n % 100 == 1 ? 0 : n % 100 == 2 ? 1 : n % 100 == 3 || n % 100 == 4 ? 2 : 3)
RULE(arabic, 6, n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 ? 4 : 5)
RULE(icelandic, 2, (n % 10 != 1 || n % 100 == 11))
RULE(macedonian, 2, n == 1 || n % 10 == 1 ? 0 : 1)
RULE(welsh, 4, (n == 1) ? 0 : (n == 2) ? 1 : (n != 8 && n != 11) ? 2 : 3)
RULE(maltese, 4, (n == 1 ? 0 : n == 0 || (n % 100 > 1 && n % 100 < 11) ? 1 : (n % 100 > 10 && n % 100 < 20) ? 2 : 3))
RULE(scottish, 4, (n == 1 || n == 11) ? 0 : (n == 2 || n == 12) ? 1 : (n > 2 && n < 20) ? 2 : 3)
RULE(breton_like, 5, n % 10 == 1 && n % 100 != 11 && n % 100 != 71 && n % 100 != 91 ? 0 : n % 10 == 2 && n % 100 != 12 && n % 100 != 72 && n % 100 != 92 ? 1 : ((n % 10 >= 3 && n % 10 <= 4) || n % 10 == 9) && (n % 100 < 10 || n % 100 > 19) && (n % 100 < 70 || n % 100 > 79) && (n % 100 < 90 || n % 100 > 99) ? 2 : n != 0 && n % 1000000 == 0 ? 3 : 4)
RULE(arith, 4, (n * 3 + 7) / 2 % 4 - (n - n))
RULE(negation, 2, !(n == 1))

struct rule {
	const char *name;
	const char *hdr;
	unsigned long (*fn)(unsigned long);
	unsigned np;
};

#define R(name, np) { #name, name##_hdr, name, np }
static const struct rule rules[] = {
	R(one_form, 1), R(germanic, 2), R(french, 2), R(latvian, 3), R(gaelic3, 3), R(irish, 5),
	R(romanian, 3), R(lithuanian, 3), R(slavic, 3), R(czech, 3), R(polish, 3), R(slovenian, 4),
	R(arabic, 6), R(icelandic, 2), R(macedonian, 2), R(welsh, 4), R(maltese, 4),
	R(scottish, 4), R(breton_like, 5), R(arith, 4), R(negation, 2),
};

static unsigned long eval_hdr(const char *hdr, unsigned long n)
{
	struct diag d;
	diag_init(&d);
	struct plural_expr *e = plural_parse(hdr, &d, "t.mo");
	diag_print(&d, stderr);
	unsigned long r = e ? plural_eval(e, n) : 999;
	plural_free(e);
	diag_free(&d);
	return r;
}

static void test_standard(void)
{
	static const unsigned long big[] = { 1000000, 2000000, 4294967295ul, 4294967296ul,
	                                     ULONG_MAX - 1, ULONG_MAX };
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		struct diag d;
		diag_init(&d);
		struct plural_expr *e = plural_parse(rules[r].hdr, &d, "t.mo");
		CHECK(e != NULL && d.n == 0);
		if (!e) {
			fprintf(stderr, "  rule %s: %s\n", rules[r].name, rules[r].hdr);
			diag_print(&d, stderr);
			diag_free(&d);
			continue;
		}
		CHECK(plural_nplurals(e) == rules[r].np);
		int bad = 0;
		for (unsigned long n = 0; n <= 1200 && bad < 3; n++) {
			if (plural_eval(e, n) != rules[r].fn(n)) {
				fprintf(stderr, "  rule %s: n=%lu gives %lu, want %lu\n", rules[r].name, n,
				        plural_eval(e, n), rules[r].fn(n));
				bad++;
			}
		}
		for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
			unsigned long want = rules[r].fn(big[i]);
			if (want >= rules[r].np)
				want = 0;
			if (plural_eval(e, big[i]) != want)
				bad++;
		}
		CHECK(bad == 0);
		plural_free(e);
		diag_free(&d);
	}
}

static void test_values(void)
{
	/* Arabic: n = 0, 1, 2, 3, 11, 100 pick forms 0..5 */
	static const unsigned long ns[] = { 0, 1, 2, 3, 11, 100 };
	for (unsigned long i = 0; i < 6; i++)
		CHECK(eval_hdr(arabic_hdr, ns[i]) == i);
	CHECK(eval_hdr(slavic_hdr, 1) == 0);
	CHECK(eval_hdr(slavic_hdr, 3) == 1);
	CHECK(eval_hdr(slavic_hdr, 11) == 2);
	CHECK(eval_hdr(slavic_hdr, 111) == 2);
	CHECK(eval_hdr(slavic_hdr, 121) == 0);
	CHECK(eval_hdr(romanian_hdr, 0) == 1);
	CHECK(eval_hdr(romanian_hdr, 19) == 1);
	CHECK(eval_hdr(romanian_hdr, 20) == 2);
	CHECK(eval_hdr(romanian_hdr, 101) == 1);
	CHECK(eval_hdr(irish_hdr, 7) == 3);
	CHECK(eval_hdr(irish_hdr, 11) == 4);

	/* Spacing, parentheses, trailing ';' optional, newlines. */
	CHECK(eval_hdr("  nplurals = 2 ;plural = ( n != 1 )  ", 1) == 0);
	CHECK(eval_hdr("nplurals=2;\n plural=(n != 1);\n", 2) == 1);
	CHECK(eval_hdr("nplurals=2; plural=((((((n))))) != 1);", 5) == 1);
	/* Division and modulo by zero give 0; results >= nplurals give 0. */
	CHECK(eval_hdr("nplurals=3; plural=n / 0 + n % 0 + 2;", 7) == 2);
	CHECK(eval_hdr("nplurals=3; plural=n / (n - n);", 7) == 0);
	CHECK(eval_hdr("nplurals=2; plural=5;", 1) == 0);
	CHECK(eval_hdr("nplurals=3; plural=n - 1;", 0) == 0);  /* wraps around: too large */
	CHECK(eval_hdr("nplurals=3; plural=n - 1;", 3) == 2);
	/* Precedence: * before +, + before <, < before ==, && before ||. */
	CHECK(eval_hdr("nplurals=64; plural=2 + 3 * 4;", 0) == 14);
	CHECK(eval_hdr("nplurals=64; plural=20 - 6 - 4;", 0) == 10);
	CHECK(eval_hdr("nplurals=64; plural=20 / 2 / 5;", 0) == 2);
	CHECK(eval_hdr("nplurals=64; plural=1 + 2 < 4 == 1;", 0) == 1);
	CHECK(eval_hdr("nplurals=64; plural=1 || 0 && 0;", 0) == 1);
	CHECK(eval_hdr("nplurals=64; plural=!!n;", 9) == 1);
	CHECK(eval_hdr("nplurals=64; plural=!n + 5;", 0) == 6);
	CHECK(eval_hdr("nplurals=64; plural=n ? n > 5 ? 2 : 3 : 4;", 7) == 2);
	CHECK(eval_hdr("nplurals=64; plural=n ? n > 5 ? 2 : 3 : 4;", 1) == 3);
	CHECK(eval_hdr("nplurals=64; plural=n ? n > 5 ? 2 : 3 : 4;", 0) == 4);
	CHECK(eval_hdr("nplurals=64; plural=n <= 3;", 3) == 1);
	CHECK(eval_hdr("nplurals=64; plural=n >= 3;", 2) == 0);
	CHECK(plural_eval(NULL, 1) == 0 && plural_eval(NULL, 0) == 1 && plural_nplurals(NULL) == 2);
}

static void expect_error(const char *hdr, const char *want)
{
	struct diag d;
	char buf[1024];
	diag_init(&d);
	struct plural_expr *e = plural_parse(hdr, &d, "x.mo");
	CHECK(e == NULL);
	CHECK(d.n == 1);
	CHECK_STR(d.n ? diag_format(&d, 0, buf, sizeof(buf)) : "", want);
	plural_free(e);
	diag_free(&d);
}

static void test_errors(void)
{
	expect_error("", "x.mo: invalid Plural-Forms \"\": expected 'nplurals=' at character 1");
	expect_error("plural=n != 1; nplurals=2;",
	             "x.mo: invalid Plural-Forms \"plural=n != 1; nplurals=2;\": expected "
	             "'nplurals=' at character 1");
	expect_error("nplurals=2;",
	             "x.mo: invalid Plural-Forms \"nplurals=2;\": expected 'plural=' at character 12");
	expect_error("nplurals=x; plural=0;",
	             "x.mo: invalid Plural-Forms \"nplurals=x; plural=0;\": expected a number after "
	             "'nplurals=' at character 10");
	expect_error("nplurals=65; plural=0;",
	             "x.mo: invalid Plural-Forms \"nplurals=65; plural=0;\": nplurals must be between "
	             "1 and 64 at character 10");
	expect_error("nplurals=2 plural=0;",
	             "x.mo: invalid Plural-Forms \"nplurals=2 plural=0;\": expected ';' after nplurals "
	             "at character 12");
	expect_error("nplurals=2; plural=n !=;",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=n !=;\": expected n, a number or "
	             "'(' at character 24");
	expect_error("nplurals=2; plural=(n != 1",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=(n != 1\": expected ')' at "
	             "character 27");
	expect_error("nplurals=2; plural=n ? 1;",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=n ? 1;\": expected ':' at "
	             "character 25");
	expect_error("nplurals=2; plural=n = 1;",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=n = 1;\": unexpected text after "
	             "the plural expression at character 22");
	expect_error("nplurals=2; plural=n & 1;",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=n & 1;\": unexpected text after "
	             "the plural expression at character 22");
	expect_error("nplurals=2; plural=n != 1; x",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=n != 1; x\": unexpected text "
	             "after the plural expression at character 28");
	expect_error("nplurals=2; plural=-1;",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=-1;\": expected n, a number or "
	             "'(' at character 20");
	expect_error("nplurals=2; plural=m;",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=m;\": expected n, a number or "
	             "'(' at character 20");
	expect_error("nplurals=2; plural=n % 99999999999999999999;",
	             "x.mo: invalid Plural-Forms \"nplurals=2; plural=n % 99999999999999999999;\": "
	             "number too large at character 43");

	/* Nesting is bounded: 100 parentheses, 100 '!', a chain of 100 '+'. */
	char hdr[1024], want[1400];
	size_t at = (size_t)snprintf(hdr, sizeof(hdr), "nplurals=2; plural=");
	for (int i = 0; i < 100; i++)
		hdr[at++] = '(';
	hdr[at++] = 'n';
	for (int i = 0; i < 100; i++)
		hdr[at++] = ')';
	hdr[at] = '\0';
	snprintf(want, sizeof(want),
	         "x.mo: invalid Plural-Forms \"%.200s\": plural expression nested too deeply at "
	         "character 84", hdr);
	expect_error(hdr, want);

	at = (size_t)snprintf(hdr, sizeof(hdr), "nplurals=2; plural=");
	for (int i = 0; i < 100; i++)
		hdr[at++] = '!';
	memcpy(hdr + at, "n;", 3);
	snprintf(want, sizeof(want),
	         "x.mo: invalid Plural-Forms \"%.200s\": plural expression nested too deeply at "
	         "character 84", hdr);
	expect_error(hdr, want);

	at = (size_t)snprintf(hdr, sizeof(hdr), "nplurals=2; plural=n");
	for (int i = 0; i < 100; i++) {
		memcpy(hdr + at, "+n", 2);
		at += 2;
	}
	hdr[at] = '\0';
	snprintf(want, sizeof(want),
	         "x.mo: invalid Plural-Forms \"%.200s\": plural expression nested too deeply at "
	         "character 149", hdr);
	expect_error(hdr, want);
}

int main(void)
{
	test_standard();
	test_values();
	test_errors();
	CHECK_DONE();
}
