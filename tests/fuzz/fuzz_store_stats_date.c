/* fuzz_store_stats_date.c - fuzz target for the statistics API's date
 * parser (stats_date_ok, the ?from= and ?to= of GET /api/stats): the
 * input, cut at 32 bytes and its first NUL, is accepted exactly when it is
 * YYYY-MM-DD (digits, year from 1970) naming a day that exists, which is
 * checked independently with timegm/gmtime (a day that does not exist,
 * 2026-02-30, comes back as another one). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/stats_query.h"

static bool oracle(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	struct tm tm = {0};
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = 12;
	int y = tm.tm_year, m = tm.tm_mon, d = tm.tm_mday;
	if (y < 70 || m < 0 || m > 11 || d < 1)
		return false;
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	return back.tm_year == y && back.tm_mon == m && back.tm_mday == d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[33];
	size_t n = size < 32 ? size : 32;
	memcpy(s, data, n);
	s[n] = 0;
	if (stats_date_ok(s) != oracle(s))
		abort();
	return 0;
}
