/* dot_traffic.h - a flow as a Graphviz DOT graph with its traffic, for the
 * staff area's statistics (`dot -Tsvg`): every step says how many reached
 * it and how many left there (with the drop-off share, which also colours
 * it), every choice arrow how often it was taken, its pen width growing
 * with its share of the step's visitors. Branch and goto nodes are no
 * steps: drawn without figures. The counts come from the caller (the
 * statistics report); this module reads no database. */
#ifndef LOTSE_DOT_TRAFFIC_H
#define LOTSE_DOT_TRAFFIC_H

#include <stddef.h>

#include "flow/flow.h"
#include "util/strbuf.h"

struct dot_step {
	const char *node;
	long long reached, left;
};

struct dot_taken {
	const char *node, *choice;
	long long taken;
};

struct dot_traffic {
	const struct dot_step *steps;    /* steps of this flow; a node not listed: 0 */
	size_t nsteps;
	const struct dot_taken *choices;
	size_t nchoices;
	const char *caption;             /* added to the graph's title, e.g. the range (may be NULL) */
};

/* Writes the DOT graph of f with traffic t into out. Returns 0, or -1 when
 * out of memory. */
int flow_dot_traffic(const struct flow *f, const struct dot_traffic *t, struct strbuf *out);

#endif
