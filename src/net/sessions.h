/* sessions.h - the conversations the socket thread holds, by resume token.
 *
 * A session is one conversation (a talk_session) plus a resume token of 128
 * random bits (getrandom, 32 hex digits). It is attached to at most one
 * connection; when that connection closes, the session waits detached for
 * the resume window (an lws_sul timer) and then ends. Everything here runs
 * on the libwebsockets service thread only: no locks.
 */
#ifndef LOTSE_SESSIONS_H
#define LOTSE_SESSIONS_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>

#include "net/metrics.h"
#include "talk/talk.h"

#define SESS_TOKEN_HEX 32

struct conn;
struct sess_table;

struct sess {
	struct talk_session talk;       /* started (talk.content != NULL) once registered */
	char token[SESS_TOKEN_HEX + 1];
	struct conn *conn;              /* attached connection, or NULL while detached */
	lws_sorted_usec_list_t expiry;  /* scheduled while detached */
	bool scheduled;
	struct sess *prev, *next;       /* table order: oldest first */
	struct sess_table *table;
};

struct sess_table {
	struct sess *head, *tail;
	size_t n;
	size_t max;                 /* sessions alive at most (attached + detached) */
	int resume_window;          /* seconds; 0: a detached session ends at once */
	struct lws_context *ctx;    /* for timers */
	struct net_metrics *metrics;
};

void sess_table_init(struct sess_table *t, size_t max, int resume_window,
                     struct net_metrics *metrics);
/* Allocates a session with a fresh token, not yet in the table (caller
 * frees with sess_free until sess_add succeeded). NULL on failure. */
struct sess *sess_new(void);
/* Makes room (ending the oldest detached session if the table is full) and
 * adds s. Returns 0, or -1 when every session is attached (busy). */
int sess_add(struct sess_table *t, struct sess *s);
/* Ends the conversation (talk_end), removes s from its table (if any),
 * cancels its timer and frees it. NULL is fine. */
void sess_free(struct sess *s);
/* The session with this token, or NULL (constant-time compare per entry). */
struct sess *sess_find(struct sess_table *t, const char *token);
/* Detaches s from its connection and starts the resume window. */
void sess_detach(struct sess *s);
/* Same with a window of secs seconds (a conversation restored after a
 * restart gets what was left of its window); secs <= 0 ends it at once. */
void sess_detach_for(struct sess *s, long secs);
/* Attaches s to c (stops the resume window). */
void sess_attach(struct sess *s, struct conn *c);
/* Frees every detached session (before the lws context goes away). */
void sess_table_free_detached(struct sess_table *t);
/* Frees every session; with timers false the lws context is already gone
 * and the timers must not be touched. */
void sess_table_clear(struct sess_table *t, bool timers);
/* True if s looks like a token (32 lowercase hex digits). */
bool sess_token_valid(const char *s);

#endif
