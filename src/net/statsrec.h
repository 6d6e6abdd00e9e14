/* statsrec.h - recording the anonymous usage statistics (store/stats.h,
 * docs/privacy.md) off the socket thread.
 *
 * The socket thread adds increments to an in-memory aggregate (an open
 * addressing table keyed by the row's key; its memory is kept between
 * flushes, so a warm recorder allocates nothing per turn) under a mutex
 * that only the swap also takes. A writer thread with its own database
 * connection swaps the aggregate out every flush_seconds (and at stop) and
 * writes it in one transaction per table (store_stats_add, never a write per
 * turn). A failing write (a full disk) is logged once and the batch kept to
 * be retried with the next one, up to STATSREC_MAX_PENDING keys (then
 * dropped, logged). The writer prunes the rows older than retention_days at
 * start and once a day.
 *
 * Nothing identifying is handled here: no address, token, user agent or
 * time finer than the day (and the hour of a "talk to a person" step). A
 * search text that found nothing is kept only as a keyed hash (BLAKE2b,
 * crypto_generichash, the key in the database) until the store has seen it
 * STATS_TEXT_MIN times.
 */
#ifndef LOTSE_NET_STATSREC_H
#define LOTSE_NET_STATSREC_H

#include <stdbool.h>
#include <stddef.h>

#include "talk/talk.h"

#define STATSREC_KIOSK_MAX 64        /* a kiosk's name: [A-Za-z0-9_-]{1,64} */
#define STATSREC_MAX_PENDING 200000  /* keys kept for a retry after failed writes */

/* The channel of a conversation. */
enum statsrec_channel { STATSREC_WEB = 0, STATSREC_KIOSK, STATSREC_PREVIEW };

/* What a conversation carries for the statistics (in struct sess). A
 * zeroed one is a website conversation (also one restored after a
 * restart or from a sealed token: the token does not carry the channel). */
struct statsrec_conv {
	unsigned char channel;               /* enum statsrec_channel */
	bool finished;                       /* a terminal step reached since the (re)start */
	char kiosk[STATSREC_KIOSK_MAX + 1];  /* '' unless pinned to a named kiosk */
};

struct statsrec_options {
	const char *db_path;     /* the writer opens its own connection */
	int flush_seconds;       /* > 0; default 60 */
	int retention_days;      /* > 0; default 400 */
};

struct statsrec;

/* Opens the writer's connection, reads (or makes) the search key, prunes
 * and starts the writer thread. Returns NULL with a message in err
 * (bounded). Caller stops it with statsrec_stop. */
struct statsrec *statsrec_start(const struct statsrec_options *o, char *err, size_t errlen);
/* Writes what is left (one last flush), ends the thread, closes the
 * connection and frees r. NULL is fine. */
void statsrec_stop(struct statsrec *r);
/* Asks the writer to flush now and waits until it has tried. */
void statsrec_flush(struct statsrec *r);

/* Whether name is a valid kiosk name ([A-Za-z0-9_-]{1,64}). */
bool statsrec_kiosk_valid(const char *name);

/* ---- the socket thread's calls; r may be NULL (statistics off) ---- */

/* One increment of event at flow/node (NULL: '') with item (NULL: ''),
 * in the conversation's channel, kiosk and the language lang. */
void statsrec_count(struct statsrec *r, const struct statsrec_conv *cv, const char *tenant,
                    const char *lang, const char *flow, const char *node, const char *event,
                    const char *item);
/* A conversation began on s at step st (start, then the step reached). */
void statsrec_started(struct statsrec *r, struct statsrec_conv *cv, const struct talk_session *s,
                      const struct talk_step *st);
/* A step st was reached: reach, and on a results step offer_shown per
 * offer or none_fitted, on a person step person with the hour; a terminal
 * step, a results, person or end step (with further choices or not) marks
 * the conversation finished. */
void statsrec_reached(struct statsrec *r, struct statsrec_conv *cv, const struct talk_session *s,
                      const struct talk_step *st);
/* The conversation ends at its current step: end_finished, or end_left
 * with item why ("idle" or "closed"). */
void statsrec_ended(struct statsrec *r, const struct statsrec_conv *cv,
                    const struct talk_session *s, const char *why);
/* An event of the page ("print", "qr", "read_aloud", "helped",
 * "not_helped", "nothing_fits") at the current step; the last three with
 * the facts (key=value sorted by key, joined with ';') as item. */
void statsrec_page_event(struct statsrec *r, const struct statsrec_conv *cv,
                         const struct talk_session *s, const char *what);
/* A search that found nothing: search_miss, and its keyed hash with the
 * normalised text (text_normalise) for stats_searches. */
void statsrec_search_miss(struct statsrec *r, const struct statsrec_conv *cv,
                          const struct talk_session *s, const char *normalised);

/* The facts of s as "key=value;..." sorted by key (then value) into out
 * (bounded, truncated at a pair). Returns out. */
const char *statsrec_facts(const struct talk_session *s, char *out, size_t cap);

#endif
