/* sessions.c - conversations by resume token: the token hash, the expiry
 * queue with its one timer, and the background restore of the
 * conversations saved at the last shutdown (see sessions.h). Service
 * thread only. */
#include "net/sessions.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "content/content.h"
#include "store/store.h"
#include "util/log.h"

#define SLOTS_MIN 64
#define EXPIRE_BATCH 1024   /* sessions ended per timer callback at most */
#define RESTORE_SLICE_US 2000   /* restoring per pass of the loop at most (then I/O) */

/* True if s runs on a staff preview's draft (fixed from talk_start on:
 * a preview restarts on its own draft). */
static bool is_preview(const struct sess *s)
{
	return s->talk.content && s->talk.content->preview;
}

void sess_table_init(struct sess_table *t, size_t max, int resume_window,
                     struct net_metrics *metrics)
{
	memset(t, 0, sizeof(*t));
	t->max = max ? max : 1;
	t->resume_window = resume_window;
	t->preview_window = resume_window;
	t->metrics = metrics;
	if (getrandom(t->key, sizeof(t->key), GRND_NONBLOCK) != (ssize_t)sizeof(t->key)) {
		t->key[0] = (uint64_t)(uintptr_t)t ^ 0x9e3779b97f4a7c15ULL;
		t->key[1] = (uint64_t)time(NULL) * 0xbf58476d1ce4e5b9ULL;
	}
}

/* Fills 32 hex digits of randomness into out (33 bytes). Returns 0 or -1. */
static int make_token(char *out)
{
	unsigned char raw[SESS_TOKEN_HEX / 2];
	size_t got = 0;
	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[SESS_TOKEN_HEX] = '\0';
	return 0;
}

/* Allocates a session (caller frees with sess_free). */
struct sess *sess_new(void)
{
	struct sess *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (make_token(s->token) < 0) {
		log_err("socket: no randomness for a resume token: %s", strerror(errno));
		free(s);
		return NULL;
	}
	return s;
}

/* ---- the token hash: open addressing, linear probing ---- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* 16 hex digits as a number (other characters give some value, no error). */
static uint64_t hex64(const char *s)
{
	uint64_t v = 0;
	for (size_t i = 0; i < 16; i++) {
		unsigned d = (unsigned char)s[i];
		d = d <= '9' ? d - '0' : d - 'a' + 10;
		v = v << 4 | (d & 15);
	}
	return v;
}

/* Keyed by the table's random key, so where a token lands is not known
 * outside. */
static uint64_t token_hash(const struct sess_table *t, const char *token)
{
	return mix64(mix64(hex64(token) ^ t->key[0]) ^ hex64(token + 16) ^ t->key[1]);
}

static void slot_put(struct sess **slots, size_t nslots, struct sess *s)
{
	size_t i = (size_t)s->hash & (nslots - 1);
	while (slots[i])
		i = (i + 1) & (nslots - 1);
	slots[i] = s;
}

/* Makes room for one more entry (at most half full). Returns 0 or -1. */
static int hash_reserve(struct sess_table *t)
{
	if ((t->n + 1) * 2 <= t->nslots)
		return 0;
	size_t n = t->nslots ? t->nslots * 2 : SLOTS_MIN;
	while ((t->n + 1) * 2 > n)
		n *= 2;
	struct sess **slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < t->nslots; i++)
		if (t->slots[i])
			slot_put(slots, n, t->slots[i]);
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

/* Removes s, moving later entries of its probe run back (no tombstones). */
static void hash_remove(struct sess_table *t, struct sess *s)
{
	if (!t->nslots)
		return;
	size_t mask = t->nslots - 1, i = (size_t)s->hash & mask;
	while (t->slots[i] && t->slots[i] != s)
		i = (i + 1) & mask;
	if (!t->slots[i])
		return;
	for (size_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
		size_t home = (size_t)t->slots[j]->hash & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {   /* the hole is on its path */
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i] = NULL;
}

static bool token_equal(const char *a, const char *b)
{
	unsigned char diff = 0;
	for (size_t i = 0; i < SESS_TOKEN_HEX; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* The session with this (valid) token, saved or not. */
static struct sess *hash_find(const struct sess_table *t, const char *token)
{
	if (!t->nslots)
		return NULL;
	uint64_t h = token_hash(t, token);
	size_t mask = t->nslots - 1;
	for (size_t i = (size_t)h & mask; t->slots[i]; i = (i + 1) & mask)
		if (t->slots[i]->hash == h && token_equal(t->slots[i]->token, token))
			return t->slots[i];
	return NULL;
}

/* ---- the expiry queue and its timer ---- */

static void expired(lws_sorted_usec_list_t *sul)
{
	struct sess_table *t = lws_container_of(sul, struct sess_table, timer);
	t->timer_on = false;
	sess_table_expire(t, lws_now_usecs());
}

/* Arms the timer for the first of the queue unless it fires early enough
 * already (a timer that finds nothing due just re-arms). */
static void arm(struct sess_table *t)
{
	if (!t->qhead || !t->ctx)
		return;
	if (t->timer_on && t->timer_at <= t->qhead->expires)
		return;
	if (t->timer_on)
		lws_sul_cancel(&t->timer);
	lws_usec_t in = t->qhead->expires - lws_now_usecs();
	lws_sul_schedule(t->ctx, 0, &t->timer, expired, in > 0 ? in : 1);
	t->timer_on = true;
	t->timer_at = t->qhead->expires;
}

static void queue_remove(struct sess *s)
{
	struct sess_table *t = s->table;
	if (!s->queued || !t)
		return;
	if (s->qprev)
		s->qprev->qnext = s->qnext;
	else
		t->qhead = s->qnext;
	if (s->qnext)
		s->qnext->qprev = s->qprev;
	else
		t->qtail = s->qprev;
	s->qprev = s->qnext = NULL;
	s->queued = false;
}

/* Inserts s by s->expires, searching from the end (usually its place: a
 * window is the same length for all). */
static void queue_insert(struct sess_table *t, struct sess *s)
{
	struct sess *after = t->qtail;
	while (after && after->expires > s->expires)
		after = after->qprev;
	s->qprev = after;
	s->qnext = after ? after->qnext : t->qhead;
	if (s->qnext)
		s->qnext->qprev = s;
	else
		t->qtail = s;
	if (after)
		after->qnext = s;
	else
		t->qhead = s;
	s->queued = true;
	if (t->qhead == s)
		arm(t);
}

void sess_table_expire(struct sess_table *t, lws_usec_t now)
{
	for (size_t k = 0; t->qhead && t->qhead->expires <= now; k++) {
		if (k == EXPIRE_BATCH)   /* the rest in the next pass (arm: at once): I/O between */
			break;
		log_debug("socket: a detached conversation expired");
		sess_free(t->qhead);
	}
	arm(t);
}

/* ---- the table ---- */

static void unlink_sess(struct sess *s)
{
	struct sess_table *t = s->table;
	if (!t)
		return;
	queue_remove(s);
	hash_remove(t, s);
	if (s->prev)
		s->prev->next = s->next;
	else
		t->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		t->tail = s->prev;
	s->prev = s->next = NULL;
	s->table = NULL;
	t->n--;
	if (is_preview(s))
		t->npreviews--;
	if (t->metrics)
		atomic_fetch_sub(&t->metrics->sessions_open, 1);
	if (t->metrics && is_preview(s))
		atomic_fetch_sub(&t->metrics->preview_sessions, 1);
}

/* Frees s (see sessions.h). */
void sess_free(struct sess *s)
{
	if (!s)
		return;
	if (s->table && s->table->on_end && s->talk.content)
		s->table->on_end(s->table->on_end_ud, s);
	unlink_sess(s);
	if (s->talk.content)
		talk_end(&s->talk);
	free(s);
}

int sess_add(struct sess_table *t, struct sess *s)
{
	if (t->n >= t->max) {
		struct sess *old = t->head;
		while (old && old->conn)
			old = old->next;
		if (!old)
			return -1;
		log_info("socket: %zu conversations open, ending the oldest detached one", t->n);
		sess_free(old);
	}
	if (hash_reserve(t) < 0)
		return -1;
	s->hash = token_hash(t, s->token);
	slot_put(t->slots, t->nslots, s);
	s->table = t;
	s->prev = t->tail;
	s->next = NULL;
	if (t->tail)
		t->tail->next = s;
	else
		t->head = s;
	t->tail = s;
	t->n++;
	if (is_preview(s))
		t->npreviews++;
	if (t->metrics)
		atomic_fetch_add(&t->metrics->sessions_open, 1);
	if (t->metrics && is_preview(s))
		atomic_fetch_add(&t->metrics->preview_sessions, 1);
	return 0;
}

size_t sess_end_retired(struct sess_table *t, void (*ended)(void *ud, struct conn *c), void *ud)
{
	unsigned long now = content_retirements();
	size_t n = 0;
	if (now == t->retirements || !t->npreviews) {
		t->retirements = now;
		return 0;
	}
	t->retirements = now;
	for (struct sess *s = t->head, *next; s; s = next) {
		next = s->next;
		if (!is_preview(s) || !content_retired(s->talk.content))
			continue;
		if (s->conn && ended)
			ended(ud, s->conn);
		sess_free(s);
		n++;
	}
	return n;
}

bool sess_token_valid(const char *s)
{
	if (!s)
		return false;
	size_t i = 0;
	for (; s[i]; i++) {
		if (i >= SESS_TOKEN_HEX)
			return false;
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return i == SESS_TOKEN_HEX;
}

static struct sess *restore_token(struct sess_table *t, const char *token);

void sess_table_seal(struct sess_table *t, const struct token_key *key, size_t token_cap)
{
	t->seal = *key;
	t->token_cap = token_cap < TOKEN_MAX ? token_cap : TOKEN_MAX;
}

const char *sess_resume_token(const struct sess *s, char *out, size_t cap)
{
	assert(cap > SESS_TOKEN_HEX);
	const struct sess_table *t = s->table;
	memcpy(out, s->token, SESS_TOKEN_HEX + 1);
	if (!t || !t->token_cap || !s->talk.content || s->talk.content->generation == 0)
		return out;     /* a preview is never portable: its draft lives on one instance */
	char *state = talk_save(&s->talk);
	if (!state)
		return out;
	size_t lim = cap < t->token_cap + 1 ? cap : t->token_cap + 1;
	long long expires = (long long)time(NULL) + (t->resume_window > 0 ? t->resume_window : 1);
	if (token_seal(&t->seal, s->token, expires, state, out, lim) < 0)
		memcpy(out, s->token, SESS_TOKEN_HEX + 1);   /* too long: resumes here only */
	free(state);
	return out;
}

static bool revoked(const struct sess_table *t, const char *id, long long now)
{
	size_t n = t->nrevoked < SESS_REVOKED ? t->nrevoked : SESS_REVOKED;
	for (size_t i = 0; i < n; i++)
		if (t->revoked[i].until > now && token_equal(t->revoked[i].id, id))
			return true;
	return false;
}

/* A conversation sealed into its token (by this or another instance with
 * the same key), restored onto the current content as a detached session
 * for the rest of its window. NULL if it cannot be. */
static struct sess *restore_sealed(struct sess_table *t, const char *id, const char *token)
{
	long long now = (long long)time(NULL), expires = 0;
	const char *why = NULL;
	if (revoked(t, id, now)) {
		log_debug("resume: refused a token that its page forgot");
		return NULL;
	}
	char *state = token_open(&t->seal, token, now, &expires, &why);
	if (!state) {
		log_debug("resume: refused a token: %s", why);
		return NULL;
	}
	struct content *c = content_current();
	struct sess *s = calloc(1, sizeof(*s));
	if (!c || !s || talk_restore(&s->talk, c, state) != TALK_OK) {
		log_debug("resume: a sealed conversation no longer fits the content");
		goto fail;
	}
	memcpy(s->token, id, SESS_TOKEN_HEX + 1);
	if (sess_add(t, s) < 0)
		goto fail;
	free(state);
	content_unref(c);
	if (t->metrics)
		atomic_fetch_add(&t->metrics->sessions_unsealed, 1);
	long secs = (long)(expires - now);
	sess_detach_for(s, secs);
	return secs > 0 && t->ctx ? s : NULL;
fail:
	sess_free(s);
	free(state);
	content_unref(c);
	return NULL;
}

struct sess *sess_find(struct sess_table *t, const char *token)
{
	char id[SESS_TOKEN_HEX + 1];
	bool sealed = false;
	if (!token_split(token, id, &sealed))
		return NULL;
	struct sess *s = hash_find(t, id);
	if (!s && t->nleft)
		s = restore_token(t, id);
	if (!s && sealed && t->token_cap)
		s = restore_sealed(t, id, token);
	return s;
}

void sess_forget(struct sess *s)
{
	struct sess_table *t = s ? s->table : NULL;
	if (t) {
		struct revoked *r = &t->revoked[t->nrevoked++ % SESS_REVOKED];
		memcpy(r->id, s->token, SESS_TOKEN_HEX + 1);
		r->until = (long long)time(NULL) + (t->resume_window > 0 ? t->resume_window : 0);
	}
	if (s)
		s->end_why = "idle";
	sess_free(s);
}

void sess_detach(struct sess *s)
{
	const struct sess_table *t = s->table;
	sess_detach_for(s, !t ? 0 : is_preview(s) ? t->preview_window : t->resume_window);
}

void sess_detach_for(struct sess *s, long secs)
{
	s->conn = NULL;
	if (!s->table || !s->table->ctx || secs <= 0) {
		sess_free(s);
		return;
	}
	queue_remove(s);
	s->expires = lws_now_usecs() + (lws_usec_t)secs * LWS_US_PER_SEC;
	queue_insert(s->table, s);
}

void sess_attach(struct sess *s, struct conn *c)
{
	queue_remove(s);
	s->conn = c;
}

/* ---- conversations saved at the last shutdown ---- */

static void restore_step(lws_sorted_usec_list_t *sul);

/* Lets go of the rows, their index and the content (no log line). */
static void restore_stop(struct sess_table *t, bool timers)
{
	if (timers && t->restore_on)
		lws_sul_cancel(&t->restore_timer);
	t->restore_on = false;
	t->restoring = false;
	t->restore_done = NULL;
	t->restore_ud = NULL;
	store_saved_free(t->saved, t->nrows);
	t->saved = NULL;
	t->nrows = t->next_row = t->nleft = 0;
	free(t->row_slots);
	t->row_slots = NULL;
	t->nrow_slots = 0;
	content_unref(t->restore_onto);
	t->restore_onto = NULL;
}

/* Restores row i (the work of resume.c's restore_one before): a detached
 * session with the row's token and the rest of its window. The session, or
 * NULL when the row does not fit (dropped). */
static struct sess *restore_row(struct sess_table *t, size_t i)
{
	struct store_saved *row = &t->saved[i];
	struct sess *s = NULL;
	char *state = row->state;
	row->state = NULL;
	t->nleft--;
	if (!t->restore_onto || !sess_token_valid(row->token) || hash_find(t, row->token) ||
	    !(s = calloc(1, sizeof(*s))))
		goto drop;
	memcpy(s->token, row->token, SESS_TOKEN_HEX + 1);
	if (talk_restore(&s->talk, t->restore_onto, state) != TALK_OK || sess_add(t, s) < 0)
		goto drop;
	free(state);
	t->restored++;
	long secs = (long)(row->expires - (long long)time(NULL));
	sess_detach_for(s, secs);   /* secs <= 0 ends it (counted as restored, as before) */
	return secs > 0 && t->ctx ? s : NULL;
drop:
	sess_free(s);
	free(state);
	t->dropped++;
	return NULL;
}

/* Once the last row is done: done(ud), the log line, and lets go of
 * everything. */
static void restore_finished(struct sess_table *t)
{
	if (!t->restoring || t->nleft)
		return;
	if (t->restore_done)
		t->restore_done(t->restore_ud);
	if (t->nrows)
		log_info("resume: restored %zu conversation%s, dropped %zu that no longer fit the "
		         "content", t->restored, t->restored == 1 ? "" : "s", t->dropped);
	restore_stop(t, true);
}

/* The row index slot for a (valid) token: its row's, or the empty one
 * where it would go. Only valid tokens are in the index; rows are never
 * removed from it (a restored row has state NULL). */
static uint32_t *row_slot(struct sess_table *t, const char *token, uint64_t h)
{
	size_t mask = t->nrow_slots - 1, i = (size_t)h & mask;
	while (t->row_slots[i] && !token_equal(t->saved[t->row_slots[i] - 1].token, token))
		i = (i + 1) & mask;
	return &t->row_slots[i];
}

/* Restores the row with this token now, if it waits: its session or NULL. */
static struct sess *restore_token(struct sess_table *t, const char *token)
{
	if (!t->row_slots)
		return NULL;
	uint32_t *slot = row_slot(t, token, token_hash(t, token));
	if (!*slot || !t->saved[*slot - 1].state)
		return NULL;
	struct sess *s = restore_row(t, *slot - 1);
	restore_finished(t);
	return s;
}

/* Indexes the rows by token (rows with a bad token stay out of the index;
 * the background drops them). Returns 0, or -1 (no memory: no index, the
 * background still restores every row). */
static int index_rows(struct sess_table *t)
{
	size_t n = SLOTS_MIN;
	if (t->nrows > UINT32_MAX / 2)
		return -1;
	while (n < t->nrows * 2)
		n *= 2;
	if (!(t->row_slots = calloc(n, sizeof(*t->row_slots))))
		return -1;
	t->nrow_slots = n;
	for (size_t i = 0; i < t->nrows; i++) {
		const char *tok = t->saved[i].token;
		if (!sess_token_valid(tok))
			continue;
		uint32_t *slot = row_slot(t, tok, token_hash(t, tok));
		if (!*slot)
			*slot = (uint32_t)(i + 1);
	}
	return 0;
}

/* Restores the next batch; again in the next pass while rows are left. */
static void restore_step(lws_sorted_usec_list_t *sul)
{
	struct sess_table *t = lws_container_of(sul, struct sess_table, restore_timer);
	t->restore_on = false;
	lws_usec_t until = lws_now_usecs() + RESTORE_SLICE_US;
	for (size_t k = 1; t->nleft && t->next_row < t->nrows; t->next_row++)
		if (t->saved[t->next_row].state) {
			restore_row(t, t->next_row);
			if (k++ % 16 == 0 && lws_now_usecs() >= until)
				break;
		}
	restore_finished(t);
	if (t->restoring && t->ctx) {
		/* due 1 us after this pass began: lws serves the timers that were
		 * due when it began this round, then I/O, then this again at once
		 * (a delay from now would make the loop sleep as long as we worked) */
		lws_usec_t in = until - RESTORE_SLICE_US + 1 - lws_now_usecs();
		lws_sul_schedule(t->ctx, 0, &t->restore_timer, restore_step,
		                 in == LWS_SET_TIMER_USEC_CANCEL ? 0 : in);
		t->restore_on = true;
	}
}

/* Takes rows to restore in the background (see sessions.h). */
void sess_restore(struct sess_table *t, struct content *c, struct store_saved *rows, size_t n,
                  void (*done)(void *ud), void *ud)
{
	restore_stop(t, true);
	t->saved = rows;
	t->nrows = t->nleft = n;
	t->restore_onto = c ? content_ref(c) : NULL;
	t->restored = t->dropped = 0;
	t->restoring = true;
	t->restore_done = done;
	t->restore_ud = ud;
	if (!t->ctx || (n && index_rows(t) < 0)) {
		sess_restore_all(t);
		return;
	}
	lws_sul_schedule(t->ctx, 0, &t->restore_timer, restore_step, 1);
	t->restore_on = true;
}

void sess_restore_all(struct sess_table *t)
{
	for (; t->restoring && t->next_row < t->nrows; t->next_row++)
		if (t->saved[t->next_row].state)
			restore_row(t, t->next_row);
	restore_finished(t);
}

/* ---- emptying ---- */

static void stop_timer(struct sess_table *t, bool timers)
{
	if (timers && t->timer_on)
		lws_sul_cancel(&t->timer);
	t->timer_on = false;
}

void sess_table_clear(struct sess_table *t, bool timers)
{
	restore_stop(t, timers);
	stop_timer(t, timers);
	t->on_end = NULL;   /* a shutdown: the conversations are saved, they do not end */
	while (t->head)
		sess_free(t->head);
	free(t->slots);
	t->slots = NULL;
	t->nslots = 0;
}

void sess_table_free_detached(struct sess_table *t)
{
	restore_stop(t, true);
	stop_timer(t, true);
	t->on_end = NULL;   /* a shutdown: the conversations are saved, they do not end */
	struct sess *s = t->head;
	while (s) {
		struct sess *next = s->next;
		if (!s->conn)
			sess_free(s);
		s = next;
	}
}
