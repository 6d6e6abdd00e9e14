/* match.c - offer ranking by facts; see match.h. */
#include "talk/match.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Parses "N" or "N-M" (whole numbers, N <= M). */
static bool parse_range(const char *s, long *lo, long *hi)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	*lo = strtol(s, &end, 10);
	if (*end == '\0') {
		*hi = *lo;
		return true;
	}
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return false;
	*hi = strtol(end + 1, &end, 10);
	return *end == '\0' && *lo <= *hi;
}

int fact_values_match(const char *a, const char *b)
{
	long alo, ahi, blo, bhi;
	if (parse_range(a, &alo, &ahi) && parse_range(b, &blo, &bhi))
		return alo <= bhi && blo <= ahi;
	return strcmp(a, b) == 0;
}

static const char *latest(const struct fact *facts, size_t n, const char *key)
{
	for (size_t i = n; i > 0; i--)
		if (strcmp(facts[i - 1].key, key) == 0)
			return facts[i - 1].value;
	return NULL;
}

static const struct offer_fact *offer_fact(const struct offer *o, const char *key)
{
	for (size_t i = 0; i < o->nfacts; i++)
		if (strcmp(o->facts[i].key, key) == 0)
			return &o->facts[i];
	return NULL;
}

/* Score of one offer for one key: -1 excluded, 0 open, 1 matched. */
static int key_score(const struct offer *o, const char *key, const char *want)
{
	const struct offer_fact *of = offer_fact(o, key);
	if (!of)
		return 0;
	for (size_t v = 0; v < of->nvalues; v++)
		if (fact_values_match(of->values[v], want))
			return 1;
	return -1;
}

/* Score over all keys, or -1 if the offer is left out. */
static int offer_score(const struct offer *o, const struct fact *facts, size_t nfacts,
                       const char *const *keys, size_t nkeys)
{
	int score = 0;
	if (nkeys) {
		for (size_t k = 0; k < nkeys; k++) {
			const char *want = latest(facts, nfacts, keys[k]);
			int s = want ? key_score(o, keys[k], want) : 0;
			if (s < 0)
				return -1;
			score += s;
		}
		return score;
	}
	for (size_t i = 0; i < nfacts; i++) {
		if (latest(facts, nfacts, facts[i].key) != facts[i].value)
			continue; /* an older value of a key set twice */
		int s = key_score(o, facts[i].key, facts[i].value);
		if (s < 0)
			return -1;
		score += s;
	}
	return score;
}

size_t offers_match(const struct offer_list *offers, const struct fact *facts, size_t nfacts,
                    const char *const *keys, size_t nkeys, struct match_result *out, size_t max)
{
	size_t n = 0;
	if (!offers || max == 0)
		return 0;
	for (size_t i = 0; i < offers->n; i++) {
		const struct offer *o = &offers->offers[i];
		int score = offer_score(o, facts, nfacts, keys, nkeys);
		if (score < 0)
			continue;
		/* Insertion into the top-max list: higher score first, file order
		 * among equals (offers are visited in file order). */
		size_t pos = n;
		while (pos > 0 && out[pos - 1].score < score)
			pos--;
		if (pos >= max)
			continue;
		size_t last = n < max ? n : max - 1;
		memmove(&out[pos + 1], &out[pos], (last - pos) * sizeof(*out));
		out[pos].offer = o;
		out[pos].score = score;
		if (n < max)
			n++;
	}
	return n;
}
