/* flow.h - the question flows of one tenant, loaded from YAML and validated.
 *
 * A flow is an immutable graph of nodes (see docs/flows.md for the file
 * format). flow_load turns one file into a struct flow, checking the schema
 * (unknown keys, types, required keys, ids). tenant-wide checks that need all
 * flows at once (goto targets, reachability, dead ends) are in
 * flows_check_graph. Every human text is a struct text: a gettext msgid with
 * optional msgctxt and translator note, and the line where it was written.
 * All memory of a flow is owned by the flow and freed by flow_free.
 */
#ifndef LOTSE_FLOW_H
#define LOTSE_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#include "util/diag.h"

/* A translatable text as written in a file. */
struct text {
	const char *msgid;    /* NULL when absent */
	const char *context;  /* msgctxt or NULL */
	const char *note;     /* translator comment or NULL */
	int line;             /* where the text is, 1-based (for #: references) */
	int col;              /* ... and its column (0 where not known) */
};

/* One fact assignment or condition: key = value. Values are plain strings;
 * "N-M" or "N" are numeric ranges for matching (see offers). */
struct fact {
	const char *key;
	const char *value;
};

struct choice {
	const char *id;       /* stable id, unique within its node */
	struct text label;
	struct fact *set;     /* facts this choice sets */
	size_t nset;
	const char *next;     /* node id in the same flow */
	const char *icon;     /* pictogram name (flow/pictogram.h, static) or NULL */
	int line, col;
};

/* One arm of a branch: taken when every fact in `when` equals the session's
 * fact (nwhen == 0: always, only allowed as the last arm). */
struct branch_arm {
	struct fact *when;
	size_t nwhen;
	const char *next;
	int line, col;
};

enum node_kind {
	NODE_ASK,     /* question with choices */
	NODE_SAY,     /* information message, then next or choices */
	NODE_BRANCH,  /* invisible: picks next by facts */
	NODE_OFFERS,  /* results: offers matched by facts (terminal unless choices) */
	NODE_PERSON,  /* "talk to a person": the tenant's contact (terminal unless choices) */
	NODE_END,     /* a closing message (terminal) */
	NODE_GOTO,    /* invisible: continue at the start of another flow of the tenant */
};

struct node {
	const char *id;
	enum node_kind kind;
	int line, col;
	struct text text;        /* ask/say/person/end text; for offers: the "say" text */
	struct text none;        /* offers: text when nothing matched */
	struct choice *choices;  /* ask (required), say/offers/person (optional) */
	size_t nchoices;
	const char *next;        /* say: next node id (if no choices) */
	struct branch_arm *arms; /* branch */
	size_t narms;
	const char **match;      /* offers: fact keys used for matching */
	size_t nmatch;
	int limit;               /* offers: at most this many (default 5) */
	const char *goto_flow;   /* goto: flow id */
	int goto_line, goto_col; /* goto: where the flow id is written */
	/* filled by flows_check_graph: */
	bool reachable;
};

struct flow {
	const char *id;          /* flow id (stable) */
	const char *file;        /* display path, e.g. flows/salzgitter/main.yaml */
	struct text title;
	const char *start;       /* start node id */
	int line, col;           /* where the flow id is written */
	struct node *nodes;      /* in file order */
	size_t nnodes;
	struct arena *arena;     /* owns all memory of this object */
};

/* Loads and schema-checks one flow file. Returns NULL if any error was found
 * (all of them are in d). `display` is the path shown in diagnostics.
 * Caller frees with flow_free. */
struct flow *flow_load(const char *path, const char *display, struct diag *d);
/* Same, from memory (used by the staff editor and the fuzz target). */
struct flow *flow_parse(const char *display, const char *buf, size_t len, struct diag *d);
/* Frees a flow and all of its memory. NULL is fine. */
void flow_free(struct flow *f);

/* Finds a node by id (NULL if none). O(n); flows are small. */
const struct node *flow_node(const struct flow *f, const char *id);

/* Checks the flows of one tenant together: duplicate flow ids, goto targets,
 * unreachable nodes (from each flow's start), flows not reachable by goto
 * from the flow `start_flow` (skipped when start_flow is NULL or names no
 * flow - see tenant_check_flows, which reports that), dead ends (a reachable
 * node from which no offers/person/end node can be reached, following gotos
 * into other flows, e.g. a cycle without exit). Marks node->reachable
 * (reachable from its own flow's start). Returns the number of errors added
 * to d. */
size_t flows_check_graph(struct flow **flows, size_t nflows, const char *start_flow,
                         struct diag *d);

const char *node_kind_name(enum node_kind k);

#endif
