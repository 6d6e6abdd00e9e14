/* schema.h - internal helpers shared by the flow, tenant and offers loaders:
 * positioned schema errors, key checks, and typed field readers that copy
 * values into the loaded object's arena. Not a public contract. */
#ifndef LOTSE_FLOW_SCHEMA_H
#define LOTSE_FLOW_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "flow/flow.h"
#include "util/arena.h"
#include "util/diag.h"
#include "yaml/ydoc.h"

#define SCHEMA_MAX_ID 64

struct schema {
	struct diag *d;
	const char *file;
	struct arena *a;      /* where copied values live (the loaded object's) */
	size_t before;        /* diag_count at the start */
};

void sc_init(struct schema *s, struct diag *d, const char *file, struct arena *a);
/* True when no error was added since sc_init. */
bool sc_ok(const struct schema *s);
void sc_err(struct schema *s, const struct ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sc_oom(struct schema *s);

/* True for a file with no content (no root, or a lone "---"). */
bool sc_root_empty(const struct ynode *root);
/* Ids: [a-z0-9_-]{1,64}. */
bool sc_valid_id(const char *id);
/* Reports every key of map that is not in allowed (NULL-terminated):
 * `unknown key "k" in <where>`. */
void sc_check_keys(struct schema *s, const struct ynode *map, const char *const *allowed,
                   const char *where);
/* The key node of `key` in map, or NULL. */
const struct ynode *sc_key(const struct ynode *map, const char *key);
/* Reports `missing key "k" in <where>` at map's position when absent;
 * returns the value or NULL. */
const struct ynode *sc_need(struct schema *s, const struct ynode *map, const char *key,
                            const char *where);

/* Type checks: report `"name" must be a mapping/list` and return false. */
bool sc_is_map(struct schema *s, const char *name, const struct ynode *v);
bool sc_is_list(struct schema *s, const char *name, const struct ynode *v);
/* A non-empty scalar copied into the arena; NULL (reported) otherwise. */
const char *sc_string(struct schema *s, const char *name, const struct ynode *v);
/* Same, and it must be a valid id. */
const char *sc_id(struct schema *s, const char *name, const struct ynode *v);
/* A text: a string or {text, context, note}. False (reported) when invalid. */
bool sc_text(struct schema *s, const char *name, const struct ynode *v, struct text *out);
/* A fact map (name -> single value), for "set" and "when". */
bool sc_facts(struct schema *s, const char *name, const struct ynode *v, struct fact **out,
              size_t *n);
/* A boolean (true/false/yes/no). */
bool sc_bool(struct schema *s, const char *name, const struct ynode *v, bool *out);
/* A list of language codes known to lang_find (in schema_lang.c). */
bool sc_langs(struct schema *s, const char *name, const struct ynode *v, const char ***out,
              size_t *n);
/* Shapes of contact fields; each reports its own error. */
bool sc_phone(struct schema *s, const struct ynode *v, const char **out);
bool sc_email(struct schema *s, const struct ynode *v, const char **out);
bool sc_web(struct schema *s, const struct ynode *v, const char **out);

/* Copies at most ~60 bytes of str for a message, cut at a character
 * boundary, into buf; returns buf. */
const char *sc_short(const char *str, char *buf, size_t len);

#endif
