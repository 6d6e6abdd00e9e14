/* speech.h - reading texts aloud: text rewrites for speech, synthesis with
 * libespeak-ng, encoded into Ogg Opus (net/audio.h) together with any
 * recorded voices that replace synthesis, and a bounded in-memory cache of
 * the results.
 *
 * espeak-ng keeps global state and is not thread-safe, so there is at most
 * one struct speech per process; every call into espeak-ng (initialisation,
 * voice choice, synthesis) runs under its mutex. espeak-ng is initialised on
 * first use, not at start. The HTTP threads call speech_lookup (cache only,
 * no espeak) and speech_render (synthesise on a miss); both are thread-safe.
 * Counters lotse_speech_synth_total and lotse_speech_cache_hits_total are
 * kept in struct net_metrics.
 */
#ifndef LOTSE_SPEECH_H
#define LOTSE_SPEECH_H

#include <stdbool.h>
#include <stddef.h>

#include "net/metrics.h"
#include "util/strbuf.h"

#define SPEECH_WAV_HEADER 44              /* bytes of the RIFF/WAVE header */
#define SPEECH_RATE_WPM 150               /* a little slower than espeak's 175 */
#define SPEECH_MAX_SECONDS 300            /* longer audio is cut off */
#define SPEECH_CACHE_BYTES (64u << 20)    /* default cache budget */

/* ---- text rewrites (pure) ---- */

/* Appends a phone number so that each digit is read on its own: digits
 * separated by spaces, groups by ", ", a leading '+' as "+ ", other text
 * kept ("0340 204-1305" -> "0 3 4 0, 2 0 4, 1 3 0 5"). */
void speech_phone_words(struct strbuf *out, const char *phone);
/* Writes the 44-byte header of a 16-bit mono PCM WAV file. */
void speech_wav_header(unsigned char out[SPEECH_WAV_HEADER], unsigned rate, size_t nsamples);

/* ---- the cache (thread-safe, LRU, bounded by total bytes) ---- */

struct speech_cache;
/* Returns a new cache holding at most max_bytes of data, or NULL. Caller
 * frees with speech_cache_free. */
struct speech_cache *speech_cache_new(size_t max_bytes);
/* Frees the cache and every entry. NULL is fine. */
void speech_cache_free(struct speech_cache *c);
/* Copies the entry for key into a malloc'd buffer (*data, caller frees) and
 * marks it most recently used. Returns 0, or -1 when absent (or no memory). */
int speech_cache_get(struct speech_cache *c, const char *key, void **data, size_t *len);
/* Stores a copy of data under key (replacing an entry with that key),
 * evicting the least recently used entries to stay within the budget.
 * Data larger than the whole budget is not kept. Returns 0 or -1. */
int speech_cache_put(struct speech_cache *c, const char *key, const void *data, size_t len);
/* Bytes of data held and number of entries. */
size_t speech_cache_bytes(struct speech_cache *c);
size_t speech_cache_count(struct speech_cache *c);

/* ---- synthesis ---- */

/* One piece of text and the language whose voice reads it, or a recording
 * (Ogg Opus, audio/audio_len) played in its place. */
struct speech_segment {
	const char *lang;
	const char *text;
	const void *audio;           /* a recording: text and lang are not used */
	size_t audio_len;
};

struct speech;
/* Creates the engine (espeak-ng is initialised later, on first use) with a
 * cache of cache_bytes (0: SPEECH_CACHE_BYTES); metrics may be NULL.
 * Returns NULL when out of memory. Caller frees with speech_destroy. */
struct speech *speech_create(size_t cache_bytes, struct net_metrics *metrics);
/* Terminates espeak-ng (if it was started) and frees sp. NULL is fine. */
void speech_destroy(struct speech *sp);
/* True if espeak-ng has a voice for this Lotse language code. */
bool speech_has_voice(struct speech *sp, const char *lang);
/* {"voices":["de","en",...]}: the Lotse languages (lang_all order) with a
 * voice. Returns a malloc'd string the caller frees, or NULL. */
char *speech_voices_json(struct speech *sp);
/* The cached audio for key (malloc'd copy in *wav, caller frees); counts a
 * cache hit. Returns 0, or -1 when not cached. */
int speech_lookup(struct speech *sp, const char *key, void **wav, size_t *len);
/* Synthesises the text segments and decodes the recorded ones, in order,
 * into one Ogg Opus file (malloc'd in *wav, caller frees; at espeak-ng's
 * rate when nothing is recorded, else at 48 kHz), caches it under key and
 * counts one synthesis. If another thread cached key meanwhile, that copy
 * is returned (counted as a hit). Returns 0, or -1 (no voice for a
 * segment's language, espeak-ng failed, a recording does not decode, no
 * memory). */
int speech_render(struct speech *sp, const char *key, const struct speech_segment *segs,
                  size_t nsegs, void **wav, size_t *len);

#endif
