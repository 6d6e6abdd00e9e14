/* test_staff_ratelimit.c - the failed-login limit: fewer failures than the
 * limit pass; at the limit the wait lasts until the oldest counted failure
 * leaves the window; at least one second. */
#include "check.h"
#include "staff/util.h"

int main(void)
{
	const long long none[1] = {0};
	const long long four[] = {1000, 990, 980, 970};
	const long long five[] = {1000, 990, 980, 970, 960};
	const long long six[] = {1000, 990, 980, 970, 960, 100};
	CHECK(staff_rate_wait(none, 0, 5, 900, 1000) == 0);
	CHECK(staff_rate_wait(four, 4, 5, 900, 1001) == 0);
	/* 5 failures, the oldest at 960: free again at 960 + 900 */
	CHECK(staff_rate_wait(five, 5, 5, 900, 1001) == 859);
	CHECK(staff_rate_wait(five, 5, 5, 900, 1859) == 1);
	CHECK(staff_rate_wait(five, 5, 5, 900, 1860) == 1);   /* never 0 while counted */
	/* more than the limit: the limit-th newest decides */
	CHECK(staff_rate_wait(six, 6, 5, 900, 1001) == 859);
	CHECK(staff_rate_wait(four, 4, 2, 900, 1000) == 890);
	CHECK(staff_rate_wait(four, 4, 0, 900, 1000) == 0);
	CHECK_DONE();
}
