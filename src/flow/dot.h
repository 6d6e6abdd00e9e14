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

/* DOT string helpers, shared by the flow picture and its traffic variant
 * (dot_traffic.h). dot_escape appends s[0..n) escaped for a DOT quoted
 * string (no quotes around; control bytes dropped, line breaks as \\n);
 * dot_quoted appends "prefix s" quoted; dot_short_text appends at most
 * max_chars characters of s escaped, then "…" when it was cut. */
void dot_escape(struct strbuf *out, const char *s, size_t n);
void dot_quoted(struct strbuf *out, const char *prefix, const char *s);
void dot_short_text(struct strbuf *out, const char *s, size_t max_chars);
/* Appends the head of a graph called name for f: the graph's label (the
 * flow's id and title, cut at title_chars characters, then " · caption"
 * when caption is not NULL), the node and edge defaults and the start arrow.
 * The caller appends the nodes, the edges and the closing "}". */
void dot_graph_begin(struct strbuf *out, const char *name, const struct flow *f,
                     size_t title_chars, const char *caption);

/* Writes the DOT graph of f into out. missing may be NULL (nothing is
 * marked untranslated). Returns 0, or -1 when out of memory. */
int flow_dot(const struct flow *f, dot_missing_fn missing, void *ud, struct strbuf *out);

#endif
