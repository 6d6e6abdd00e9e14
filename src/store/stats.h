/* stats.h - anonymous usage statistics in the database (schema version 6,
 * docs/privacy.md): aggregated counters, never a row per person.
 *
 * Tables (src/store/store.c, migration to 6):
 *   stats_counts (day, tenant, channel, kiosk, lang, flow, node, event, item, n)
 *     day      'YYYY-MM-DD', the server's local date (no finer time)
 *     channel  'kiosk' | 'web' | 'preview'
 *     kiosk    the kiosk's name when the page is pinned to one (?kiosk=NAME), else ''
 *     lang     the conversation's language at that moment
 *     flow, node  the step concerned ('' where none)
 *   stats_searches (day, tenant, lang, hash, n): free-text searches that
 *     found nothing, by keyed BLAKE2b (crypto_generichash, key in stats_key)
 *     of the normalised text
 *   stats_search_texts (tenant, hash, text): the text of a hash, written only
 *     once that hash was asked >= STATS_TEXT_MIN times within the retention
 *     window (nothing typed by one person alone is kept)
 *   stats_key (id = 1, key): the 32 random bytes of that hash's key
 *
 * Events (flow/node = the step concerned; item '' unless said):
 *   start         a conversation began (no flow/node)
 *   reach         a visible step was reached (goto/branch nodes are no steps)
 *   choose        a choice was taken at the step; item = choice id
 *   lang_switch   lang = the old language, item = the new one
 *   back, restart at the step where it was touched
 *   offer_shown   item = offer id, at the results step
 *   none_fitted   a results step with no offer
 *   person        a "talk to a person" step reached; item = the hour of day
 *                 'HH' (server local time), never combined with a finer time
 *   print, qr, read_aloud   sent by the page, at the current step
 *   helped, not_helped, nothing_fits   the family's one touch on the results
 *                 step; item = the facts that led there, key=value pairs
 *                 sorted by key, joined with ';'
 *   search_miss   an `ask` that found nothing (no flow/node)
 *   end_finished  the conversation ended after reaching a terminal step (a
 *                 results, person or end step, even one with further
 *                 choices), since its start or last restart; flow/node =
 *                 where it was
 *   end_left      ended on a non-terminal step (flow/node = that step);
 *                 item = 'idle' (a `forget` from the page) or 'closed'
 *                 (expired or dropped)
 *   end_restarted counted on `restart`, flow/node = where it was
 */
#ifndef LOTSE_STORE_STATS_H
#define LOTSE_STORE_STATS_H

#include <stddef.h>

#include "store/store.h"

/* Bytes of a search hash and of its key. */
#define STATS_HASH_BYTES 32
#define STATS_KEY_BYTES 32
/* A search text is stored once its hash was asked this often. */
#define STATS_TEXT_MIN 5

/* One counter increment of stats_counts. Every string is required (NULL is
 * taken as ''); the strings are the caller's. */
struct stats_row {
	const char *day, *tenant, *channel, *kiosk, *lang, *flow, *node, *event, *item;
	long long n;
};

/* One increment of stats_searches. text is the normalised search text: it
 * is written to stats_search_texts only when the hash's total reaches
 * STATS_TEXT_MIN; never before. */
struct stats_search {
	const char *day, *tenant, *lang;
	unsigned char hash[STATS_HASH_BYTES];
	const char *text;
	long long n;
};

/* Adds n counter increments in one transaction (n = n + the increment for
 * an existing row). Returns 0, or -1 with nothing written (store_error,
 * store_fault tell why). */
int store_stats_add(struct store *s, const struct stats_row *rows, size_t n);

/* Adds n search increments in one transaction; for each hash whose total
 * over the days from (its day - keep_days) to its day reaches
 * STATS_TEXT_MIN, stores its text (once). Returns 0 or -1 (nothing
 * written). */
int store_stats_add_searches(struct store *s, const struct stats_search *rows, size_t n, int keep_days);

/* Deletes the rows of days before date(today, -keep_days days) (today
 * 'YYYY-MM-DD') and the texts whose hash has no row left, in one
 * transaction. Returns the number of rows deleted, or -1. */
long store_stats_prune(struct store *s, const char *today, int keep_days);

/* The search key: the stored one, or fresh (32 random bytes the caller
 * drew) stored as the key when there is none yet. Writes the key to out.
 * Returns 0 or -1. */
int store_stats_key(struct store *s, const unsigned char fresh[STATS_KEY_BYTES],
                    unsigned char out[STATS_KEY_BYTES]);

#endif
