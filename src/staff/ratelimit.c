/* ratelimit.c - the arithmetic of the failed-login limit (see util.h); the
 * failures themselves are kept in sqlite (staff_login_failures). */
#include "staff/util.h"

long staff_rate_wait(const long long *times, size_t n, size_t limit, long long window,
                     long long now)
{
	if (limit == 0 || n < limit)
		return 0;
	/* newest first: times[limit - 1] is the oldest failure that keeps the
	 * count at `limit`; once it leaves the window one attempt is free. */
	long long wait = times[limit - 1] + window - now;
	return wait < 1 ? 1 : (long)wait;
}
