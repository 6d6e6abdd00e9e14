/* speech_cache.c - the synthesised audio kept in memory: a hash table of
 * entries by key plus a least-recently-used list, bounded by total bytes,
 * guarded by one mutex (see speech.h). */
#include "net/speech.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_BUCKETS 1024

struct entry {
	char *key;                   /* owned */
	void *data;                  /* owned */
	size_t len;
	struct entry *hnext;         /* bucket chain */
	struct entry *prev, *next;   /* LRU: head is the most recently used */
};

struct speech_cache {
	pthread_mutex_t lock;
	struct entry *buckets[CACHE_BUCKETS];
	struct entry *head, *tail;
	size_t bytes, max, count;
};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Returns a new cache (caller frees with speech_cache_free). */
struct speech_cache *speech_cache_new(size_t max_bytes)
{
	struct speech_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		return NULL;
	}
	c->max = max_bytes;
	return c;
}

static void entry_free(struct entry *e)
{
	free(e->key);
	free(e->data);
	free(e);
}

/* Frees every entry and the cache. */
void speech_cache_free(struct speech_cache *c)
{
	if (!c)
		return;
	struct entry *e = c->head;
	while (e) {
		struct entry *next = e->next;
		entry_free(e);
		e = next;
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static void lru_unlink(struct speech_cache *c, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push_front(struct speech_cache *c, struct entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	else
		c->tail = e;
	c->head = e;
}

/* Finds key; with unlink, also takes it out of its bucket chain. */
static struct entry *find(struct speech_cache *c, const char *key, bool unlink)
{
	struct entry **pp = &c->buckets[hash(key) % CACHE_BUCKETS];
	for (; *pp; pp = &(*pp)->hnext) {
		struct entry *e = *pp;
		if (strcmp(e->key, key) != 0)
			continue;
		if (unlink)
			*pp = e->hnext;
		return e;
	}
	return NULL;
}

/* Removes e from the table and the list and frees it. */
static void evict(struct speech_cache *c, struct entry *e)
{
	find(c, e->key, true);
	lru_unlink(c, e);
	c->bytes -= e->len;
	c->count--;
	entry_free(e);
}

/* Copies the entry into a malloc'd buffer the caller frees. */
int speech_cache_get(struct speech_cache *c, const char *key, void **data, size_t *len)
{
	int rc = -1;
	pthread_mutex_lock(&c->lock);
	struct entry *e = find(c, key, false);
	if (!e)
		goto out;
	*data = malloc(e->len ? e->len : 1);
	if (!*data)
		goto out;
	memcpy(*data, e->data, e->len);
	*len = e->len;
	lru_unlink(c, e);
	lru_push_front(c, e);
	rc = 0;
out:
	pthread_mutex_unlock(&c->lock);
	return rc;
}

/* Allocates an entry holding copies of key and data (freed by entry_free). */
static struct entry *entry_new(const char *key, const void *data, size_t len)
{
	struct entry *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->key = strdup(key);
	e->data = malloc(len ? len : 1);
	if (!e->key || !e->data) {
		entry_free(e);
		return NULL;
	}
	memcpy(e->data, data, len);
	e->len = len;
	return e;
}

int speech_cache_put(struct speech_cache *c, const char *key, const void *data, size_t len)
{
	if (len > c->max)
		return -1;
	struct entry *e = entry_new(key, data, len);
	if (!e)
		return -1;
	pthread_mutex_lock(&c->lock);
	struct entry *old = find(c, key, false);
	if (old)
		evict(c, old);
	while (c->tail && c->bytes + len > c->max)
		evict(c, c->tail);
	uint32_t b = hash(key) % CACHE_BUCKETS;
	e->hnext = c->buckets[b];
	c->buckets[b] = e;
	lru_push_front(c, e);
	c->bytes += len;
	c->count++;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

size_t speech_cache_bytes(struct speech_cache *c)
{
	pthread_mutex_lock(&c->lock);
	size_t n = c->bytes;
	pthread_mutex_unlock(&c->lock);
	return n;
}

size_t speech_cache_count(struct speech_cache *c)
{
	pthread_mutex_lock(&c->lock);
	size_t n = c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}
