/* arena.h - a bump allocator: many small allocations freed all at once.
 *
 * Ties memory to a lifetime (a flow, a tenant, an offer list, a rendered
 * step) instead of scattered free() paths. Allocations are 16-byte aligned.
 */
#ifndef LOTSE_ARENA_H
#define LOTSE_ARENA_H

#include <stddef.h>

struct arena;

/* Creates an arena (NULL on out-of-memory). Free with arena_free. */
struct arena *arena_new(void);
/* Frees the arena and everything allocated from it. NULL is fine. */
void arena_free(struct arena *a);
/* Zeroed memory owned by the arena; NULL on out-of-memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies of strings owned by the arena; NULL on out-of-memory (or s NULL). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Grows an array owned by the arena: returns a copy with room for ncap items
 * (old contents kept; old block is simply abandoned). */
void *arena_grow(struct arena *a, void *old, size_t oldn, size_t ncap, size_t size);
/* Bytes handed out so far (for memory accounting). */
size_t arena_used(const struct arena *a);

#endif
