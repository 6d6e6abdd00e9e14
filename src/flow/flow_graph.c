/* flow_graph.c - checks the flows of one tenant as one graph: duplicate flow
 * ids, goto targets, unreachable nodes and flows, and dead ends (nodes from
 * which no results, person or end node can be reached). */
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"

#define NONE ((size_t)-1)

struct graph {
	struct flow **flows;
	size_t nflows;
	struct diag *d;
	struct arena *a;        /* scratch: everything below */
	size_t *base;           /* per flow: global index of its first node */
	size_t *canon;          /* per flow: index of the first flow with its id */
	struct node **sorted;   /* per flow, at base: node pointers sorted by id */
	struct node **all;      /* global index -> node */
	size_t *owner;          /* global index -> flow index */
	size_t nnodes;
	size_t *estart;         /* CSR: edges of node i are dst[estart[i]..estart[i+1]) */
	size_t *dst;
	size_t nedges;
	bool *open_end;         /* goto to an unknown flow: reported, not a dead end */
	bool *finish;           /* a terminal node can be reached */
};

static int node_cmp(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a;
	const struct node *y = *(const struct node *const *)b;
	return strcmp(x->id, y->id);
}

static size_t find_flow(const struct graph *g, const char *id)
{
	for (size_t i = 0; id && i < g->nflows; i++)
		if (g->flows[i]->id && strcmp(g->flows[i]->id, id) == 0)
			return i;
	return NONE;
}

/* Global index of node `id` in flow k, or NONE. */
static size_t find_node(const struct graph *g, size_t k, const char *id)
{
	struct flow *f = g->flows[k];
	if (!id || f->nnodes == 0)
		return NONE;
	struct node key = { .id = id }, *kp = &key;
	struct node **hit = bsearch(&kp, g->sorted + g->base[k], f->nnodes, sizeof(*hit), node_cmp);
	return hit ? g->base[k] + (size_t)(*hit - f->nodes) : NONE;
}

static void check_duplicate_flows(struct graph *g)
{
	for (size_t i = 0; i < g->nflows; i++) {
		struct flow *f = g->flows[i];
		g->canon[i] = find_flow(g, f->id);
		if (g->canon[i] == NONE || g->canon[i] == i)
			continue;
		diag_add(g->d, f->file, f->line, f->col, "duplicate flow id \"%s\" (first in %s)", f->id,
		         g->flows[g->canon[i]]->file);
	}
}

static bool alloc_graph(struct graph *g)
{
	size_t n = 0, e = 0;
	for (size_t k = 0; k < g->nflows; k++) {
		n += g->flows[k]->nnodes;
		for (size_t i = 0; i < g->flows[k]->nnodes; i++) {
			const struct node *nd = &g->flows[k]->nodes[i];
			e += nd->nchoices + nd->narms + 2;
		}
	}
	struct arena *a = g->a;
	g->nnodes = n;
	g->base = arena_alloc(a, (g->nflows + 1) * sizeof(size_t));
	g->canon = arena_alloc(a, (g->nflows + 1) * sizeof(size_t));
	g->sorted = arena_alloc(a, (n + 1) * sizeof(struct node *));
	g->all = arena_alloc(a, (n + 1) * sizeof(struct node *));
	g->owner = arena_alloc(a, (n + 1) * sizeof(size_t));
	g->estart = arena_alloc(a, (n + 1) * sizeof(size_t));
	g->dst = arena_alloc(a, (e + 1) * sizeof(size_t));
	g->open_end = arena_alloc(a, n + 1);
	g->finish = arena_alloc(a, n + 1);
	return g->base && g->canon && g->sorted && g->all && g->owner && g->estart && g->dst &&
	       g->open_end && g->finish;
}

static void index_nodes(struct graph *g)
{
	size_t at = 0;
	for (size_t k = 0; k < g->nflows; k++) {
		struct flow *f = g->flows[k];
		g->base[k] = at;
		for (size_t i = 0; i < f->nnodes; i++) {
			g->all[at + i] = &f->nodes[i];
			g->sorted[at + i] = &f->nodes[i];
			g->owner[at + i] = k;
			f->nodes[i].reachable = false;
		}
		if (f->nnodes)
			qsort(g->sorted + at, f->nnodes, sizeof(struct node *), node_cmp);
		at += f->nnodes;
	}
}

static void add_edge(struct graph *g, size_t to)
{
	if (to != NONE)
		g->dst[g->nedges++] = to;
}

/* The goto edge of node i (global) into the start of its target flow. */
static void goto_edge(struct graph *g, size_t i, const struct node *n)
{
	const struct flow *from = g->flows[g->owner[i]];
	size_t t = find_flow(g, n->goto_flow);
	if (t == NONE) {
		diag_add(g->d, from->file, n->goto_line, n->goto_col, "unknown flow \"%s\"",
		         n->goto_flow ? n->goto_flow : "");
		g->open_end[i] = true;
		return;
	}
	add_edge(g, find_node(g, t, g->flows[t]->start));
}

static void build_edges(struct graph *g)
{
	for (size_t i = 0; i < g->nnodes; i++) {
		const struct node *n = g->all[i];
		size_t k = g->owner[i];
		g->estart[i] = g->nedges;
		if (n->kind == NODE_GOTO) {
			goto_edge(g, i, n);
			continue;
		}
		if (n->next)
			add_edge(g, find_node(g, k, n->next));
		for (size_t c = 0; c < n->nchoices; c++)
			add_edge(g, find_node(g, k, n->choices[c].next));
		for (size_t r = 0; r < n->narms; r++)
			add_edge(g, find_node(g, k, n->arms[r].next));
	}
	g->estart[g->nnodes] = g->nedges;
}

/* Marks the nodes reachable from each flow's start inside the flow and
 * reports the others. */
static void check_reachable(struct graph *g, size_t *queue)
{
	for (size_t k = 0; k < g->nflows; k++) {
		struct flow *f = g->flows[k];
		size_t head = 0, tail = 0, s = find_node(g, k, f->start);
		if (s != NONE) {
			g->all[s]->reachable = true;
			queue[tail++] = s;
		}
		while (head < tail) {
			size_t i = queue[head++];
			if (g->all[i]->kind == NODE_GOTO)
				continue;
			for (size_t e = g->estart[i]; e < g->estart[i + 1]; e++) {
				struct node *to = g->all[g->dst[e]];
				if (!to->reachable) {
					to->reachable = true;
					queue[tail++] = g->dst[e];
				}
			}
		}
		for (size_t i = 0; i < f->nnodes; i++)
			if (!f->nodes[i].reachable)
				diag_add(g->d, f->file, f->nodes[i].line, f->nodes[i].col,
				         "node \"%s\" is unreachable from the start node \"%s\"",
				         f->nodes[i].id, f->start ? f->start : "");
	}
}

/* Reports flows that no goto path from the start flow reaches. */
static void check_flows_reachable(struct graph *g, size_t start, size_t *queue)
{
	bool *seen = arena_alloc(g->a, g->nflows + 1);
	if (!seen)
		return;
	size_t head = 0, tail = 0;
	seen[start] = true;
	queue[tail++] = start;
	while (head < tail) {
		size_t k = queue[head++];
		for (size_t i = g->base[k]; i < g->base[k] + g->flows[k]->nnodes; i++) {
			const struct node *n = g->all[i];
			size_t t = n->kind == NODE_GOTO && n->reachable ? find_flow(g, n->goto_flow) : NONE;
			if (t != NONE && !seen[t]) {
				seen[t] = true;
				queue[tail++] = t;
			}
		}
	}
	for (size_t k = 0; k < g->nflows; k++) {
		const struct flow *f = g->flows[k];
		if (!seen[k] && g->canon[k] == k)
			diag_add(g->d, f->file, f->line, f->col,
			         "flow \"%s\" is not reachable from the start flow \"%s\"", f->id,
			         g->flows[start]->id);
	}
}

/* Reverse search from terminal nodes: marks every node that can finish,
 * then reports reachable nodes that cannot. */
static bool check_dead_ends(struct graph *g, size_t *queue)
{
	size_t n = g->nnodes;
	size_t *rstart = arena_alloc(g->a, (n + 2) * sizeof(size_t));
	size_t *rsrc = arena_alloc(g->a, (g->nedges + 1) * sizeof(size_t));
	if (!rstart || !rsrc)
		return false;
	for (size_t e = 0; e < g->nedges; e++)
		rstart[g->dst[e] + 2]++;
	for (size_t i = 2; i < n + 2; i++)
		rstart[i] += rstart[i - 1];
	for (size_t i = 0; i < n; i++)
		for (size_t e = g->estart[i]; e < g->estart[i + 1]; e++)
			rsrc[rstart[g->dst[e] + 1]++] = i;
	/* now the predecessors of j are rsrc[rstart[j]..rstart[j+1]) */
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < n; i++) {
		enum node_kind k = g->all[i]->kind;
		if (k == NODE_OFFERS || k == NODE_PERSON || k == NODE_END || g->open_end[i]) {
			g->finish[i] = true;
			queue[tail++] = i;
		}
	}
	while (head < tail) {
		size_t j = queue[head++];
		for (size_t e = rstart[j]; e < rstart[j + 1]; e++) {
			size_t p = rsrc[e];
			if (!g->finish[p]) {
				g->finish[p] = true;
				queue[tail++] = p;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct node *nd = g->all[i];
		if (nd->reachable && !g->finish[i])
			diag_add(g->d, g->flows[g->owner[i]]->file, nd->line, nd->col,
			         "node \"%s\" is a dead end (no offers, person or end node can be reached "
			         "from it)", nd->id);
	}
	return true;
}

/* All working memory is one scratch arena, freed before returning. */
size_t flows_check_graph(struct flow **flows, size_t nflows, const char *start_flow,
                         struct diag *d)
{
	size_t before = diag_count(d);
	struct graph g = { .flows = flows, .nflows = nflows, .d = d, .a = arena_new() };
	if (!g.a || !alloc_graph(&g))
		goto oom;
	size_t *queue = arena_alloc(g.a, (g.nnodes + nflows + 1) * sizeof(size_t));
	if (!queue)
		goto oom;
	check_duplicate_flows(&g);
	index_nodes(&g);
	build_edges(&g);
	check_reachable(&g, queue);
	size_t start = find_flow(&g, start_flow);
	if (start != NONE)
		check_flows_reachable(&g, start, queue);
	if (!check_dead_ends(&g, queue))
		goto oom;
	arena_free(g.a);
	return diag_count(d) - before;
oom:
	diag_add(d, nflows ? flows[0]->file : "", 0, 0, "out of memory");
	arena_free(g.a);
	return diag_count(d) - before;
}
