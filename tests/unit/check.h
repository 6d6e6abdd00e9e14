/* check.h - a tiny assertion helper for the unit tests (ctest runs each
 * test_*.c as its own program; a failed CHECK prints where and exits 1). */
#ifndef LOTSE_TEST_CHECK_H
#define LOTSE_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *check_a_ = (a), *check_b_ = (b); \
	if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) { \
		fprintf(stderr, "%s:%d: CHECK_STR failed: %s == %s\n  got:      \"%s\"\n  expected: \"%s\"\n", \
		        __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
		check_failures++; \
	} \
} while (0)

#define CHECK_DONE() do { \
	if (check_failures) { fprintf(stderr, "%d check(s) failed\n", check_failures); return 1; } \
	printf("ok\n"); return 0; \
} while (0)

#endif
