/* arena.c - bump allocator in linked blocks; see arena.h. */
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t total;
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

/* Frees every block and the arena itself. */
void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *n = b->next;
		free(b);
		b = n;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	struct block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > 4000 ? n : 4000;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *arena_grow(struct arena *a, void *old, size_t oldn, size_t ncap, size_t size)
{
	if (size && ncap > SIZE_MAX / size)
		return NULL;
	void *p = arena_alloc(a, ncap * size);
	if (p && old && oldn)
		memcpy(p, old, oldn * size);
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
