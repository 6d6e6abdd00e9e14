/* match.h - ranking offers by the facts a conversation collected.
 *
 * Rules (docs/flows.md, "Facts and matching"): for each key in `keys` that
 * the conversation has a value for, an offer that lists the key but no
 * matching value is left out; one that matches scores a point; one that does
 * not list the key is open to everyone and scores nothing. Values of the
 * form "N" or "N-M" are ranges and match when they overlap; other values
 * match when equal. Ranked by score (high first), then by file order.
 */
#ifndef LOTSE_MATCH_H
#define LOTSE_MATCH_H

#include <stddef.h>

#include "flow/flow.h"
#include "flow/tenant.h"

struct match_result {
	const struct offer *offer;
	int score;
};

/* facts: the conversation's facts (later entries override earlier ones with
 * the same key). keys: the fact names to match (nkeys == 0: every key that
 * occurs in facts). Writes at most max results; returns how many. */
size_t offers_match(const struct offer_list *offers, const struct fact *facts, size_t nfacts,
                    const char *const *keys, size_t nkeys, struct match_result *out, size_t max);

/* True if two fact values match (equal, or overlapping numeric ranges). */
int fact_values_match(const char *a, const char *b);

#endif
