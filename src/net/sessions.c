/* sessions.c - conversations by resume token, with the resume window timer
 * (see sessions.h). Service thread only. */
#include "net/sessions.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/log.h"

void sess_table_init(struct sess_table *t, size_t max, int resume_window,
                     struct net_metrics *metrics)
{
	memset(t, 0, sizeof(*t));
	t->max = max ? max : 1;
	t->resume_window = resume_window;
	t->metrics = metrics;
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

static void unlink_sess(struct sess *s)
{
	struct sess_table *t = s->table;
	if (!t)
		return;
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
	if (t->metrics)
		atomic_fetch_sub(&t->metrics->sessions_open, 1);
}

static void cancel_timer(struct sess *s)
{
	if (s->scheduled)
		lws_sul_cancel(&s->expiry);
	s->scheduled = false;
}

void sess_free(struct sess *s)
{
	if (!s)
		return;
	cancel_timer(s);
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
	s->table = t;
	s->prev = t->tail;
	s->next = NULL;
	if (t->tail)
		t->tail->next = s;
	else
		t->head = s;
	t->tail = s;
	t->n++;
	if (t->metrics)
		atomic_fetch_add(&t->metrics->sessions_open, 1);
	return 0;
}

static bool token_equal(const char *a, const char *b)
{
	unsigned char diff = 0;
	for (size_t i = 0; i < SESS_TOKEN_HEX; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
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

struct sess *sess_find(struct sess_table *t, const char *token)
{
	if (!sess_token_valid(token))
		return NULL;
	for (struct sess *s = t->head; s; s = s->next)
		if (token_equal(s->token, token))
			return s;
	return NULL;
}

static void expired(lws_sorted_usec_list_t *sul)
{
	struct sess *s = lws_container_of(sul, struct sess, expiry);
	s->scheduled = false;
	log_debug("socket: a detached conversation expired");
	sess_free(s);
}

void sess_detach(struct sess *s)
{
	sess_detach_for(s, s->table ? s->table->resume_window : 0);
}

void sess_detach_for(struct sess *s, long secs)
{
	s->conn = NULL;
	if (!s->table || !s->table->ctx || secs <= 0) {
		sess_free(s);
		return;
	}
	cancel_timer(s);
	lws_sul_schedule(s->table->ctx, 0, &s->expiry, expired, (lws_usec_t)secs * LWS_US_PER_SEC);
	s->scheduled = true;
}

void sess_attach(struct sess *s, struct conn *c)
{
	cancel_timer(s);
	s->conn = c;
}

void sess_table_clear(struct sess_table *t, bool timers)
{
	while (t->head) {
		struct sess *s = t->head;
		if (!timers)
			s->scheduled = false;
		sess_free(s);
	}
}

void sess_table_free_detached(struct sess_table *t)
{
	struct sess *s = t->head;
	while (s) {
		struct sess *next = s->next;
		if (!s->conn)
			sess_free(s);
		s = next;
	}
}
