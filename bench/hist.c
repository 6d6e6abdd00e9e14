/* hist.c - log-linear latency histogram; see hist.h. */
#include "hist.h"

#include <math.h>
#include <string.h>

static unsigned hist_index(uint64_t v)
{
	unsigned e;

	if (v < 2 * HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);          /* >= 8 */
	return 2 * HIST_SUB + (e - 8) * HIST_SUB + (unsigned)((v >> (e - 7)) - HIST_SUB);
}

/* The largest value that falls into bucket i. */
static uint64_t hist_upper(unsigned i)
{
	unsigned e, m;

	if (i < 2 * HIST_SUB)
		return i;
	e = (i - 2 * HIST_SUB) / HIST_SUB + 8;
	m = (i - 2 * HIST_SUB) % HIST_SUB + HIST_SUB;
	return (((uint64_t)m + 1) << (e - 7)) - 1;
}

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_add(struct hist *h, uint64_t ns)
{
	h->count[hist_index(ns)]++;
	h->n++;
	h->sum += (double)ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		dst->count[i] += src->count[i];
	dst->n += src->n;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t hist_quantile(const struct hist *h, double q)
{
	uint64_t rank, seen = 0;

	if (!h->n)
		return 0;
	rank = (uint64_t)ceil(q * (double)h->n);
	if (rank < 1)
		rank = 1;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen >= rank) {
			uint64_t u = hist_upper(i);

			return u > h->max ? h->max : u;
		}
	}
	return h->max;
}

double hist_mean(const struct hist *h)
{
	return h->n ? h->sum / (double)h->n : 0.0;
}
