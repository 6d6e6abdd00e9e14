/* statsrec.c - the statistics recorder (statsrec.h): the in-memory
 * aggregate the socket thread counts into, the writer thread that swaps it
 * out and writes it with store_stats_add, retries after a failed write and
 * prunes by age; and the translation of conversation events into rows. */
#include "net/statsrec.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/stats.h"
#include "store/store.h"
#include "util/log.h"

#define KEY_MAX 2048     /* bytes of one serialised row key (longer: not counted) */

/* ---- the aggregate: keys (NUL-separated fields) -> counts ---- */

struct agg_entry {
	uint64_t hash;
	uint32_t off, len;   /* the key in buf; len 0: an empty slot */
	uint32_t extra;      /* offset of the extra string (a search's text) in buf, or 0 */
	long long n;
};

struct agg {
	struct agg_entry *slots;   /* owned; nslots a power of two, at most half full */
	size_t nslots, n;
	char *buf;                 /* owned: keys and extras */
	size_t used, cap;
};

/* A hash of the key, 8 bytes at a time (the socket thread runs it for
 * every increment; no adversary chooses the keys' hashes: they are ids of
 * the content, plus a search's keyed hash). */
static uint64_t key_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return h ? h : 1;
}

/* Makes room for one more key. Returns 0 or -1 (out of memory). */
static int agg_reserve(struct agg *a)
{
	if (a->nslots && (a->n + 1) * 2 <= a->nslots)
		return 0;
	size_t nn = a->nslots ? a->nslots * 2 : 256;
	struct agg_entry *ns = calloc(nn, sizeof *ns);   /* replaces a->slots, freed in agg_free */
	if (!ns)
		return -1;
	for (size_t i = 0; i < a->nslots; i++) {
		struct agg_entry *e = &a->slots[i];
		if (!e->len)
			continue;
		size_t j = e->hash & (nn - 1);
		while (ns[j].len)
			j = (j + 1) & (nn - 1);
		ns[j] = *e;
	}
	free(a->slots);
	a->slots = ns;
	a->nslots = nn;
	return 0;
}

/* Appends bytes to the buffer. Returns the offset, or 0 (out of memory;
 * offset 0 is never used, so it doubles as "none"). */
static uint32_t agg_put(struct agg *a, const void *p, size_t n)
{
	if (!a->used)
		a->used = 1;
	if (a->used + n > a->cap) {
		size_t nc = a->cap ? a->cap : 16384;
		while (nc < a->used + n)
			nc *= 2;
		if (nc > UINT32_MAX)
			return 0;
		char *nb = realloc(a->buf, nc);   /* grows a->buf, freed in agg_free */
		if (!nb)
			return 0;
		a->buf = nb;
		a->cap = nc;
	}
	memcpy(a->buf + a->used, p, n);
	uint32_t off = (uint32_t)a->used;
	a->used += n;
	return off;
}

/* Adds n to the count of key (extra: a string kept with a new key).
 * Returns 0 or -1 (out of memory: not counted). */
static int agg_add(struct agg *a, const char *key, size_t len, const char *extra, long long n)
{
	uint64_t h = key_hash(key, len);
	if (agg_reserve(a) < 0)
		return -1;
	size_t j = h & (a->nslots - 1);
	for (; a->slots[j].len; j = (j + 1) & (a->nslots - 1)) {
		struct agg_entry *e = &a->slots[j];
		if (e->hash == h && e->len == len && memcmp(a->buf + e->off, key, len) == 0) {
			e->n += n;
			return 0;
		}
	}
	uint32_t off = agg_put(a, key, len), xoff = 0;
	if (!off)
		return -1;
	if (extra && !(xoff = agg_put(a, extra, strlen(extra) + 1)))
		return -1;
	a->slots[j] = (struct agg_entry){h, off, (uint32_t)len, xoff, n};
	a->n++;
	return 0;
}

/* Empties a, keeping its memory. */
static void agg_clear(struct agg *a)
{
	if (a->n)
		memset(a->slots, 0, a->nslots * sizeof *a->slots);
	a->n = 0;
	a->used = 0;
}

/* Adds every count of src to dst. Returns 0 or -1 (some lost). */
static int agg_merge(struct agg *dst, const struct agg *src)
{
	int rc = 0;
	for (size_t i = 0; i < src->nslots; i++) {
		const struct agg_entry *e = &src->slots[i];
		if (e->len && agg_add(dst, src->buf + e->off, e->len, e->extra ? src->buf + e->extra : NULL,
		                      e->n) < 0)
			rc = -1;
	}
	return rc;
}

/* Frees what a holds. */
static void agg_free(struct agg *a)
{
	free(a->slots);
	free(a->buf);
	memset(a, 0, sizeof *a);
}

/* ---- the recorder ---- */

enum { COUNTS, SEARCHES, KINDS };

struct statsrec {
	pthread_mutex_t mu;        /* guards cur[], stop, flush_asked, flushed */
	pthread_cond_t wake, done;
	struct agg cur[KINDS];     /* the socket thread counts here */
	bool stop, flush_asked;
	unsigned long flushes;     /* flushes done (for statsrec_flush) */
	pthread_t thread;
	/* the writer's own */
	struct agg batch[KINDS];   /* swapped out of cur */
	struct agg retry[KINDS];   /* not written yet (failed writes) */
	struct stats_row *rows;    /* owned: conversion buffers */
	struct stats_search *srows;
	size_t rowcap, srowcap;
	bool failing;              /* the last write failed (logged once) */
	char pruned[11];           /* the day of the last prune */
	struct store *db;
	int flush_seconds, retention_days;
	unsigned char key[STATS_KEY_BYTES];
	/* the socket thread's own */
	char day[11];
	time_t day_end;            /* when day is over (local midnight) */
	unsigned long lost;        /* increments lost to a full memory */
};

/* The local date of t as YYYY-MM-DD, and when that day ends. */
static void local_day(time_t t, char out[11], time_t *end)
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
	if (end) {
		tm.tm_mday++;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		*end = mktime(&tm);
	}
}

/* The current day (socket thread; cached until midnight). */
static const char *today(struct statsrec *r)
{
	time_t now = time(NULL);
	if (now >= r->day_end || !r->day[0])
		local_day(now, r->day, &r->day_end);
	return r->day;
}

/* Appends s and a NUL to the key at *len. Returns -1 when it does not fit. */
static int key_field(char *key, size_t *len, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (*len + n + 1 > KEY_MAX)
		return -1;
	if (n)
		memcpy(key + *len, s, n);
	key[*len + n] = '\0';
	*len += n + 1;
	return 0;
}

static const char *const channel_names[] = {"web", "kiosk", "preview"};

/* statsrec_count with r->mu held (several increments of one turn under
 * one lock). */
static void count_locked(struct statsrec *r, const struct statsrec_conv *cv, const char *tenant,
                         const char *lang, const char *flow, const char *node, const char *event,
                         const char *item)
{
	char key[KEY_MAX];
	size_t len = 0;
	const char *ch = channel_names[cv && cv->channel <= STATSREC_PREVIEW ? cv->channel : 0];
	const char *f[] = {today(r), tenant, ch, cv ? cv->kiosk : "", lang, flow, node, event, item};
	int rc = 0;
	for (size_t i = 0; i < sizeof f / sizeof f[0] && rc == 0; i++)
		rc = key_field(key, &len, f[i]);
	if (rc == 0)
		rc = agg_add(&r->cur[COUNTS], key, len, NULL, 1);
	if (rc < 0)
		r->lost++;
}

void statsrec_count(struct statsrec *r, const struct statsrec_conv *cv, const char *tenant,
                    const char *lang, const char *flow, const char *node, const char *event,
                    const char *item)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	count_locked(r, cv, tenant, lang, flow, node, event, item);
	pthread_mutex_unlock(&r->mu);
}

void statsrec_search_miss(struct statsrec *r, const struct statsrec_conv *cv,
                          const struct talk_session *s, const char *normalised)
{
	if (!r || !s->tc)
		return;
	const char *tenant = s->tc->tenant->id;
	statsrec_count(r, cv, tenant, s->lang, NULL, NULL, "search_miss", NULL);
	if (!normalised || !*normalised)
		return;
	unsigned char hash[STATS_HASH_BYTES];
	crypto_generichash(hash, sizeof hash, (const unsigned char *)normalised, strlen(normalised),
	                   r->key, sizeof r->key);
	char key[KEY_MAX];
	size_t len = 0;
	pthread_mutex_lock(&r->mu);
	int rc = key_field(key, &len, today(r));
	if (rc == 0)
		rc = key_field(key, &len, tenant);
	if (rc == 0)
		rc = key_field(key, &len, s->lang);
	if (rc == 0 && len + sizeof hash <= KEY_MAX) {
		memcpy(key + len, hash, sizeof hash);
		len += sizeof hash;
		rc = agg_add(&r->cur[SEARCHES], key, len, normalised, 1);
	}
	if (rc < 0)
		r->lost++;
	pthread_mutex_unlock(&r->mu);
}

/* The current step of s (flow and node ids), or '' ''. */
static void current(const struct talk_session *s, const char **flow, const char **node)
{
	*flow = *node = "";
	if (s->depth) {
		*flow = s->history[s->depth - 1].flow->id;
		*node = s->history[s->depth - 1].node->id;
	}
}

void statsrec_reached(struct statsrec *r, struct statsrec_conv *cv, const struct talk_session *s,
                      const struct talk_step *st)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	count_locked(r, cv, st->tenant, st->lang, st->flow, st->node, "reach", NULL);
	if (st->kind == NODE_OFFERS) {
		for (size_t i = 0; i < st->noffers; i++)
			count_locked(r, cv, st->tenant, st->lang, st->flow, st->node, "offer_shown",
			             st->offers[i].offer->id);
		if (!st->noffers)
			count_locked(r, cv, st->tenant, st->lang, st->flow, st->node, "none_fitted", NULL);
	}
	pthread_mutex_unlock(&r->mu);
	if (st->kind == NODE_PERSON) {
		char hour[3];
		struct tm tm;
		time_t now = time(NULL);
		localtime_r(&now, &tm);
		unsigned h = (unsigned)tm.tm_hour % 24;
		hour[0] = (char)('0' + h / 10);
		hour[1] = (char)('0' + h % 10);
		hour[2] = '\0';
		statsrec_count(r, cv, st->tenant, st->lang, st->flow, st->node, "person", hour);
	}
	/* finished: an answer was reached (results, a person, an end), even
	 * when the step offers further choices */
	if (st->terminal || st->kind == NODE_OFFERS || st->kind == NODE_PERSON || st->kind == NODE_END)
		cv->finished = true;
	(void)s;
}

void statsrec_started(struct statsrec *r, struct statsrec_conv *cv, const struct talk_session *s,
                      const struct talk_step *st)
{
	if (!r)
		return;
	cv->finished = false;
	statsrec_count(r, cv, st->tenant, s->lang, NULL, NULL, "start", NULL);
	statsrec_reached(r, cv, s, st);
}

void statsrec_ended(struct statsrec *r, const struct statsrec_conv *cv,
                    const struct talk_session *s, const char *why)
{
	if (!r || !s->tc)
		return;
	const char *flow, *node;
	current(s, &flow, &node);
	if (cv->finished)
		statsrec_count(r, cv, s->tc->tenant->id, s->lang, flow, node, "end_finished", NULL);
	else
		statsrec_count(r, cv, s->tc->tenant->id, s->lang, flow, node, "end_left", why);
}

static int fact_cmp(const void *a, const void *b)
{
	const struct fact *x = *(const struct fact *const *)a, *y = *(const struct fact *const *)b;
	int c = strcmp(x->key ? x->key : "", y->key ? y->key : "");
	return c ? c : strcmp(x->value ? x->value : "", y->value ? y->value : "");
}

const char *statsrec_facts(const struct talk_session *s, char *out, size_t cap)
{
	const struct fact *sorted[TALK_MAX_FACTS];
	size_t n = s->nfacts < TALK_MAX_FACTS ? s->nfacts : TALK_MAX_FACTS, len = 0;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &s->facts[i];
	qsort(sorted, n, sizeof sorted[0], fact_cmp);
	if (cap)
		out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *k = sorted[i]->key ? sorted[i]->key : "";
		const char *v = sorted[i]->value ? sorted[i]->value : "";
		int w = snprintf(out + len, cap - len, "%s%s=%s", len ? ";" : "", k, v);
		if (w < 0 || (size_t)w >= cap - len) {   /* truncated at a pair */
			out[len] = '\0';
			break;
		}
		len += (size_t)w;
	}
	return out;
}

void statsrec_page_event(struct statsrec *r, const struct statsrec_conv *cv,
                         const struct talk_session *s, const char *what)
{
	if (!r || !s->tc)
		return;
	const char *flow, *node;
	char facts[1024];
	const char *item = NULL;
	current(s, &flow, &node);
	if (!strcmp(what, "helped") || !strcmp(what, "not_helped") || !strcmp(what, "nothing_fits"))
		item = statsrec_facts(s, facts, sizeof facts);
	statsrec_count(r, cv, s->tc->tenant->id, s->lang, flow, node, what, item);
}

bool statsrec_kiosk_valid(const char *name)
{
	size_t n = 0;
	for (; name && name[n]; n++) {
		char c = name[n];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return n >= 1 && n <= STATSREC_KIOSK_MAX;
}

/* ---- the writer ---- */

/* The field after the NUL-terminated one at p. */
static const char *next_field(const char *p)
{
	return p + strlen(p) + 1;
}

/* Writes the counts of a. Returns 0 or -1 (store error). Allocates the
 * conversion buffer (kept in r, freed in statsrec_stop). */
static int write_counts(struct statsrec *r, const struct agg *a)
{
	if (!a->n)
		return 0;
	if (a->n > r->rowcap) {
		struct stats_row *nr = realloc(r->rows, a->n * sizeof *nr);
		if (!nr)
			return -1;
		r->rows = nr;
		r->rowcap = a->n;
	}
	size_t k = 0;
	for (size_t i = 0; i < a->nslots; i++) {
		const struct agg_entry *e = &a->slots[i];
		if (!e->len)
			continue;
		struct stats_row *row = &r->rows[k++];
		const char *p = a->buf + e->off;
		row->day = p;
		row->tenant = p = next_field(p);
		row->channel = p = next_field(p);
		row->kiosk = p = next_field(p);
		row->lang = p = next_field(p);
		row->flow = p = next_field(p);
		row->node = p = next_field(p);
		row->event = p = next_field(p);
		row->item = next_field(p);
		row->n = e->n;
	}
	return store_stats_add(r->db, r->rows, k);
}

static int write_searches(struct statsrec *r, const struct agg *a)
{
	if (!a->n)
		return 0;
	if (a->n > r->srowcap) {
		struct stats_search *nr = realloc(r->srows, a->n * sizeof *nr);
		if (!nr)
			return -1;
		r->srows = nr;
		r->srowcap = a->n;
	}
	size_t k = 0;
	for (size_t i = 0; i < a->nslots; i++) {
		const struct agg_entry *e = &a->slots[i];
		if (!e->len)
			continue;
		struct stats_search *row = &r->srows[k++];
		const char *p = a->buf + e->off;
		row->day = p;
		row->tenant = p = next_field(p);
		row->lang = p = next_field(p);
		memcpy(row->hash, next_field(p), STATS_HASH_BYTES);
		row->text = e->extra ? a->buf + e->extra : NULL;
		row->n = e->n;
	}
	return store_stats_add_searches(r->db, r->srows, k, r->retention_days);
}

/* Writes batch[kind] (with what earlier writes left in retry[kind]); what
 * cannot be written stays in retry[kind], bounded. */
static void write_kind(struct statsrec *r, int kind)
{
	struct agg *b = &r->batch[kind], *q = &r->retry[kind];
	struct agg *w = b;
	if (q->n) {
		if (agg_merge(q, b) < 0)
			log_err("statistics: out of memory; some counts are lost");
		agg_clear(b);
		w = q;
	}
	if (!w->n)
		return;
	int rc = kind == COUNTS ? write_counts(r, w) : write_searches(r, w);
	if (rc == 0) {
		if (r->failing)
			log_info("statistics: written again");
		r->failing = false;
		agg_clear(w);
		return;
	}
	if (!r->failing)
		log_err("statistics: cannot write to the database (%s); keeping the counts to retry "
		        "every %d s", store_error(r->db), r->flush_seconds);
	r->failing = true;
	if (w == b) {   /* keep it: swap the batch into the (empty) retry */
		struct agg t = *q;
		*q = *b;
		*b = t;
	}
	if (q->n > STATSREC_MAX_PENDING) {
		log_err("statistics: %zu counters could not be written; dropping them", q->n);
		agg_clear(q);
	}
}

/* Prunes once per day (the first flush of a new day, and at start). */
static void prune_daily(struct statsrec *r)
{
	char day[11];
	local_day(time(NULL), day, NULL);
	if (!strcmp(day, r->pruned))
		return;
	long n = store_stats_prune(r->db, day, r->retention_days);
	if (n < 0) {
		log_warn("statistics: cannot delete the rows older than %d days: %s", r->retention_days,
		         store_error(r->db));
		return;
	}
	memcpy(r->pruned, day, sizeof r->pruned);
	if (n > 0)
		log_info("statistics: deleted %ld rows older than %d days", n, r->retention_days);
}

/* One flush: swap the aggregate out under the lock, write it outside. */
static void flush_once(struct statsrec *r)
{
	pthread_mutex_lock(&r->mu);
	for (int k = 0; k < KINDS; k++) {
		struct agg t = r->cur[k];
		r->cur[k] = r->batch[k];   /* empty: cleared after the last write */
		r->batch[k] = t;
	}
	unsigned long lost = r->lost;
	r->lost = 0;
	pthread_mutex_unlock(&r->mu);
	if (lost)
		log_warn("statistics: %lu increments lost (out of memory or too long)", lost);
	for (int k = 0; k < KINDS; k++) {
		write_kind(r, k);
		agg_clear(&r->batch[k]);
	}
	prune_daily(r);
}

static void *writer_main(void *arg)
{
	struct statsrec *r = arg;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += r->flush_seconds;
		while (!r->stop && !r->flush_asked)
			if (pthread_cond_timedwait(&r->wake, &r->mu, &until) == ETIMEDOUT)
				break;
		bool stop = r->stop;
		r->flush_asked = false;
		pthread_mutex_unlock(&r->mu);
		flush_once(r);
		pthread_mutex_lock(&r->mu);
		r->flushes++;
		pthread_cond_broadcast(&r->done);
		if (stop)
			break;
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

struct statsrec *statsrec_start(const struct statsrec_options *o, char *err, size_t errlen)
{
	struct statsrec *r = calloc(1, sizeof *r);   /* freed in statsrec_stop */
	if (!r) {
		snprintf(err, errlen, "statistics: out of memory");
		return NULL;
	}
	r->flush_seconds = o->flush_seconds > 0 ? o->flush_seconds : 60;
	r->retention_days = o->retention_days > 0 ? o->retention_days : 400;
	char serr[512];
	r->db = store_open(o->db_path, serr, sizeof serr);
	if (!r->db) {
		snprintf(err, errlen, "statistics: %s", serr);
		free(r);
		return NULL;
	}
	unsigned char fresh[STATS_KEY_BYTES];
	randombytes_buf(fresh, sizeof fresh);
	int rc = store_stats_key(r->db, fresh, r->key);
	sodium_memzero(fresh, sizeof fresh);
	if (rc < 0) {
		snprintf(err, errlen, "statistics: %s", store_error(r->db));
		store_close(r->db);
		free(r);
		return NULL;
	}
	prune_daily(r);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->wake, NULL);
	pthread_cond_init(&r->done, NULL);
	if (pthread_create(&r->thread, NULL, writer_main, r) != 0) {
		snprintf(err, errlen, "statistics: cannot start the writer thread");
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->wake);
		pthread_cond_destroy(&r->done);
		store_close(r->db);
		free(r);
		return NULL;
	}
	return r;
}

void statsrec_flush(struct statsrec *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	unsigned long want = r->flushes + 1;
	r->flush_asked = true;
	pthread_cond_signal(&r->wake);
	while (r->flushes < want)
		pthread_cond_wait(&r->done, &r->mu);
	pthread_mutex_unlock(&r->mu);
}

void statsrec_stop(struct statsrec *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	for (int k = 0; k < KINDS; k++) {
		if (r->retry[k].n)
			log_err("statistics: %zu counters could not be written before the stop; they are lost",
			        r->retry[k].n);
		agg_free(&r->cur[k]);
		agg_free(&r->batch[k]);
		agg_free(&r->retry[k]);
	}
	free(r->rows);
	free(r->srows);
	store_close(r->db);
	sodium_memzero(r->key, sizeof r->key);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->wake);
	pthread_cond_destroy(&r->done);
	free(r);
}
