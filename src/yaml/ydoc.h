/* ydoc.h - a small, safe YAML document tree built with libyaml's event API.
 *
 * Every YAML file Lotse reads (flows, tenant.yaml, offers.yaml, the server
 * config) goes through ydoc_parse, which enforces what libyaml does not:
 *   - a size cap (YDOC_MAX_BYTES) and a nesting cap (YDOC_MAX_DEPTH),
 *   - valid UTF-8, reported at the real line:column of the bad byte,
 *   - no anchors and no aliases (rejected with their position),
 *   - no duplicate keys in a mapping (rejected at the second key, which is
 *     left out of the tree),
 *   - exactly one document; only scalar keys.
 * Errors go into a struct diag as file:line:col (1-based, columns in code
 * points) and parsing continues where it can, so all errors are reported.
 * The tree owns all of its memory (one arena per document).
 */
#ifndef LOTSE_YDOC_H
#define LOTSE_YDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#include "util/diag.h"

#define YDOC_MAX_BYTES (1024 * 1024)
#define YDOC_MAX_DEPTH 32

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode;

struct ypair {
	struct ynode *key;   /* always a scalar */
	struct ynode *value;
};

struct ynode {
	enum ynode_kind kind;
	int line, col;        /* 1-based start position */
	/* YNODE_SCALAR */
	const char *str;      /* NUL-terminated, UTF-8 */
	size_t len;
	bool quoted;          /* written with ' or " (or block scalar): never a number/bool */
	/* YNODE_MAP */
	struct ypair *pairs;
	size_t npairs;
	/* YNODE_SEQ */
	struct ynode **items;
	size_t nitems;
};

struct ydoc {
	const char *file;     /* the name used in diagnostics (owned) */
	struct ynode *root;   /* NULL for an empty document */
	struct arena *arena;  /* owns all memory of this document */
};

/* Parses buf[0..len) as one YAML document. Returns a document (caller frees
 * with ydoc_free) or NULL when the input could not be parsed at all; every
 * problem is added to d. A document is returned only if no error was found
 * for this input. */
struct ydoc *ydoc_parse(const char *file, const char *buf, size_t len, struct diag *d);
/* Reads path (capped at YDOC_MAX_BYTES, else an error "file is larger than
 * ... bytes") and parses it. `display` is the name used in diagnostics (for
 * example "flows/salzgitter/main.yaml"); NULL means path. */
struct ydoc *ydoc_load(const char *path, const char *display, struct diag *d);
/* Like ydoc_parse and ydoc_load, but the tree is also returned (caller frees
 * with ydoc_free) when the errors found leave it whole: duplicate keys,
 * anchors, tags, NUL characters. Then *clean is false: the caller checks the
 * tree too, so that every error of the file is reported at once (for example
 * an unknown key after a duplicate one), and must treat the input as invalid.
 * NULL (and *clean false) after a syntax error, an alias, a non-scalar key,
 * too deep nesting, a second document, a size or UTF-8 error. */
struct ydoc *ydoc_parse_all(const char *file, const char *buf, size_t len, struct diag *d,
                            bool *clean);
struct ydoc *ydoc_load_all(const char *path, const char *display, struct diag *d, bool *clean);
/* Frees the document and everything in it. NULL is fine. */
void ydoc_free(struct ydoc *doc);

/* Lookup helpers (NULL when absent or node is not a map). */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* Plain scalar value tests. */
bool ynode_is_str(const struct ynode *n);
/* Parses a scalar as a bounded integer; false (no diag) if it is not one. */
bool ynode_int(const struct ynode *n, long min, long max, long *out);
/* Parses true/false (also yes/no); false if not a boolean. */
bool ynode_bool(const struct ynode *n, bool *out);

#endif
