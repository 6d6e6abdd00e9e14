/* hist.h - a log-linear latency histogram (HDR-like) for the load generator.
 *
 * Values are nanoseconds. Below 256 ns every value has its own bucket; above,
 * each power of two is split into 128 buckets, so a reported percentile is at
 * most 1/128 (0.8 %) above the true sample. Fixed size, no allocation.
 */
#ifndef LOTSE_BENCH_HIST_H
#define LOTSE_BENCH_HIST_H

#include <stdint.h>

#define HIST_SUB 128
#define HIST_BUCKETS (2 * HIST_SUB + 56 * HIST_SUB)

struct hist {
	uint64_t count[HIST_BUCKETS];
	uint64_t n;
	uint64_t min, max;
	double sum;
};

void hist_reset(struct hist *h);
void hist_add(struct hist *h, uint64_t ns);
/* Adds every sample of src into dst. */
void hist_merge(struct hist *dst, const struct hist *src);
/* The value at quantile q (0..1): the upper edge of the bucket holding the
 * ceil(q*n)-th smallest sample (clamped to the largest sample), 0 if empty. */
uint64_t hist_quantile(const struct hist *h, double q);
double hist_mean(const struct hist *h);

#endif
