/* sessions.h - the conversations the socket thread holds, by resume token.
 *
 * A session is one conversation (a talk_session) plus a resume token of 128
 * random bits (getrandom, 32 hex digits). It is attached to at most one
 * connection; when that connection closes, the session waits detached for
 * the resume window and then ends. Everything here runs on the
 * libwebsockets service thread only: no locks.
 *
 * The table finds a session by token in O(1) (open addressing over a keyed
 * hash of the token), keeps the detached sessions in a queue ordered by when
 * their window ends and arms ONE lws_sul timer for the first of them (not
 * one timer per session: lws keeps its timers in a sorted list).
 *
 * Conversations saved at the last shutdown (resume.h) are restored
 * (talk_restore) onto the content of the start in the background, a batch
 * per pass of the event loop, so the socket serves from its first pass;
 * sess_find restores one at once when its token comes before its turn.
 */
#ifndef LOTSE_SESSIONS_H
#define LOTSE_SESSIONS_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/metrics.h"
#include "net/statsrec.h"
#include "net/token.h"
#include "talk/talk.h"

#define SESS_TOKEN_HEX TOKEN_ID_HEX
#define SESS_REVOKED 4096   /* forgotten ids remembered (token.h: sealed tokens) */

struct conn;
struct sess_table;
struct store_saved;

struct sess {
	struct talk_session talk;       /* started (talk.content != NULL) once registered */
	char token[SESS_TOKEN_HEX + 1];     /* the id: the part of the resume token before the dot */
	struct conn *conn;              /* attached connection, or NULL while detached */
	lws_usec_t expires;             /* while queued: end of the window (lws_now_usecs) */
	bool queued;                    /* in the table's expiry queue (detached, window running) */
	uint64_t hash;                  /* of the token, keyed by the table */
	struct sess *prev, *next;       /* table order: oldest first */
	struct sess *qprev, *qnext;     /* expiry queue: earliest first */
	struct sess_table *table;
	struct statsrec_conv stats;     /* channel and kiosk for the statistics (statsrec.h) */
	const char *end_why;            /* why it ends: "idle" (forget); NULL: "closed" */
};

struct sess_table {
	struct sess *head, *tail;
	size_t n;
	size_t max;                 /* sessions alive at most (attached + detached) */
	int resume_window;          /* seconds; 0: a detached session ends at once */
	int preview_window;         /* same for staff previews (generation 0 content) */
	size_t npreviews;           /* sessions on preview content (also metrics->preview_sessions) */
	unsigned long retirements;  /* content_retirements() at the last sess_end_retired */
	struct lws_context *ctx;    /* for timers */
	struct net_metrics *metrics;
	/* by token: nslots is 0 or a power of two, at most half full */
	struct sess **slots;
	size_t nslots;
	uint64_t key[2];
	/* detached sessions by end of window; one timer for the first */
	struct sess *qhead, *qtail;
	lws_sorted_usec_list_t timer;
	lws_usec_t timer_at;
	bool timer_on;
	/* sealing resume tokens (token.h); token_cap: longest token sent */
	struct token_key seal;
	size_t token_cap;
	/* ids forgotten by their page ({"type":"forget"}): a sealed token with
	 * such an id is refused here until its window is over (a ring) */
	struct revoked { char id[SESS_TOKEN_HEX + 1]; long long until; } revoked[SESS_REVOKED];
	size_t nrevoked;
	/* conversations saved at the last shutdown, being restored */
	struct store_saved *saved;  /* the rows; a row's state is NULL once taken */
	size_t nrows, next_row, nleft;
	uint32_t *row_slots;        /* row index + 1 by token hash, 0: empty */
	size_t nrow_slots;
	struct content *restore_onto;   /* a reference while restoring */
	size_t restored, dropped;
	bool restoring;
	void (*restore_done)(void *ud);
	void *restore_ud;
	lws_sorted_usec_list_t restore_timer;
	bool restore_on;
	/* told when a conversation ends (expired, dropped, forgotten, replaced;
	 * not when the table is cleared at shutdown: those are saved), before
	 * it is freed; NULL: nobody */
	void (*on_end)(void *ud, struct sess *s);
	void *on_end_ud;
};

void sess_table_init(struct sess_table *t, size_t max, int resume_window,
                     struct net_metrics *metrics);
/* Allocates a session with a fresh token, not yet in the table (caller
 * frees with sess_free until sess_add succeeded). NULL on failure. */
struct sess *sess_new(void);
/* Makes room (ending the oldest detached session if the table is full) and
 * adds s. Returns 0, or -1 when every session is attached (busy) or out of
 * memory. */
int sess_add(struct sess_table *t, struct sess *s);
/* Ends the conversation (talk_end), removes s from its table (if any),
 * takes it out of the expiry queue and frees it. NULL is fine. */
void sess_free(struct sess *s);
/* Sets the key that seals resume tokens (copied) and the longest token to
 * send (smaller than TOKEN_MAX where a resume message could not carry it). */
void sess_table_seal(struct sess_table *t, const struct token_key *key, size_t token_cap);
/* The resume token of s into out (cap bytes): "<id>.<sealed path>" (token.h)
 * valid for the resume window from now, or the id alone for a staff preview,
 * without a key (sess_table_seal never called), or when the sealed form would
 * be longer than the table's token_cap. Returns out. */
const char *sess_resume_token(const struct sess *s, char *out, size_t cap);
/* The session with this resume token ("<id>" or "<id>.<sealed>"), or NULL:
 * first by id (a keyed hash, then a constant-time compare per entry); then a
 * saved conversation not yet restored is restored (NULL if it no longer fits
 * the content); then a sealed token made by any instance with the same key
 * is opened and restored onto the current content as a detached session
 * (NULL if it expired, was changed, was forgotten here, or no longer fits). */
struct sess *sess_find(struct sess_table *t, const char *token);
/* Ends s like sess_free and remembers its id as forgotten for the resume
 * window, so its sealed token is refused here too. */
void sess_forget(struct sess *s);
/* Detaches s from its connection and starts the resume window (the
 * table's preview_window for a staff preview). */
void sess_detach(struct sess *s);
/* Same with a window of secs seconds (a conversation restored after a
 * restart gets what was left of its window); secs <= 0 ends it at once. */
void sess_detach_for(struct sess *s, long secs);
/* Attaches s to c (stops the resume window). */
void sess_attach(struct sess *s, struct conn *c);
/* Ends every detached session whose window has ended by now (lws_now_usecs
 * clock), then re-arms the timer: the timer's work, callable by tests. */
void sess_table_expire(struct sess_table *t, lws_usec_t now);
/* Ends every session whose content was retired (a preview whose token is
 * gone; content.h) when any was retired since the last call (else O(1)).
 * An attached one is handed to ended(ud, conn) first (its connection is
 * told), then freed. Returns how many ended. */
size_t sess_end_retired(struct sess_table *t, void (*ended)(void *ud, struct conn *c), void *ud);
/* Frees every detached session (before the lws context goes away). */
void sess_table_free_detached(struct sess_table *t);
/* Frees every session (and the table's memory); with timers false the lws
 * context is already gone and the timers must not be touched. */
void sess_table_clear(struct sess_table *t, bool timers);
/* True if s looks like a session id (32 lowercase hex digits). */
bool sess_token_valid(const char *s);

/* ---- conversations saved at the last shutdown (resume.h) ---- */

/* Takes rows (n of them, from store_saved_read, ordered by expiry; the
 * table frees them with store_saved_free) to restore onto c (NULL: none
 * fits) as detached sessions with their tokens and the rest of their
 * windows: in the background, a batch per pass of the event loop (all at
 * once without an lws context), and a row at once when sess_find looks up
 * its token first. When the last row is done (also when n is 0: in the
 * next pass), calls done(ud) if done is not NULL, then logs "resume:
 * restored N conversations, dropped M that no longer fit the content" if n
 * was not 0. Emptying the table first abandons the rows without either. */
void sess_restore(struct sess_table *t, struct content *c, struct store_saved *rows, size_t n,
                  void (*done)(void *ud), void *ud);
/* Restores every row still waiting now (before saving at shutdown). */
void sess_restore_all(struct sess_table *t);

#endif
