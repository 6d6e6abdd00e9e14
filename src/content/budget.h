/* budget.h - content must fit the size budget of a message (util/budget.h):
 * the largest message a tenant's content can make the server send, in each
 * language, is computed here and refused above BUDGET_CONTENT_MAX with a
 * file:line:col error naming the text and the limit. */
#ifndef LOTSE_CONTENT_BUDGET_H
#define LOTSE_CONTENT_BUDGET_H

#include <stddef.h>

#include "content/content.h"

/* The content bytes (strings escaped as JSON) of the step message of node n
 * of flow f, in language lang through cs (cs NULL: the source texts). */
size_t budget_step_bytes(const struct tenant_content *tc, const struct flow *f,
                         const struct node *n, const struct catalog_set *cs, const char *lang);
/* The bytes one offer takes in a message (same conventions). */
size_t budget_offer_bytes(const struct offer *o, const struct catalog_set *cs, const char *lang);
/* Checks every visible step of tc, its offers (an answer carries up to
 * BUDGET_OFFERS_MAX of them) and its entry in the tenants list, in lang
 * through cs (cs NULL: the source texts, lang ignored). Adds an error per
 * step or offer over BUDGET_CONTENT_MAX to d; returns how many. */
size_t budget_check_tenant(const struct tenant_content *tc, const struct catalog_set *cs,
                           const char *lang, struct diag *d);

#endif
