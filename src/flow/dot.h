/* dot.h - a flow as a Graphviz DOT graph, for the staff area's picture of
 * a flow (`dot -Tsvg`). Every node kind has its own shape and colour,
 * choices are labelled arrows, branch arms are dashed arrows labelled with
 * their conditions; unreachable nodes (node->reachable after
 * flows_check_graph) and nodes with untranslated texts are marked. */
#ifndef LOTSE_DOT_H
#define LOTSE_DOT_H

#include "flow/flow.h"
#include "util/strbuf.h"

/* Appends to `langs` the languages (", "-separated) in which text t is not
 * translated; appends nothing when it is translated everywhere. */
typedef void (*dot_missing_fn)(void *ud, const struct text *t, struct strbuf *langs);

/* Writes the DOT graph of f into out. missing may be NULL (nothing is
 * marked untranslated). Returns 0, or -1 when out of memory. */
int flow_dot(const struct flow *f, dot_missing_fn missing, void *ud, struct strbuf *out);

#endif
