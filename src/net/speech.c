/* speech.c - synthesis with libespeak-ng (synchronous mode, samples collected
 * by the synth callback) into 16-bit mono WAV, behind one mutex, with the
 * results cached (see speech.h). */
#include "net/speech.h"

#include <espeak-ng/speak_lib.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/lang.h"
#include "util/log.h"

#define SPEECH_MAX_LANGS 64

struct speech {
	pthread_mutex_t lock;           /* held around every espeak-ng call */
	bool started;                   /* espeak_Initialize was called (and worked) */
	bool failed;                    /* ... or failed: no speech at all */
	unsigned rate;                  /* samples per second */
	bool voice[SPEECH_MAX_LANGS];   /* by index in lang_all() */
	char current[8];                /* language of the voice set now */
	struct speech_cache *cache;
	struct net_metrics *metrics;
};

/* Samples collected during one synthesis. */
struct pcm {
	int16_t *s;                     /* owned */
	size_t n, cap, max;
	bool failed;
};

static int collect(short *wav, int numsamples, espeak_EVENT *events)
{
	struct pcm *p = events ? events->user_data : NULL;
	if (!p || !wav || numsamples <= 0)
		return 0;
	size_t add = (size_t)numsamples;
	if (p->n + add > p->max)
		return 1;                   /* long enough: stop */
	if (p->n + add > p->cap) {
		size_t cap = p->cap ? p->cap : 16384;
		while (cap < p->n + add)
			cap *= 2;
		int16_t *n = realloc(p->s, cap * sizeof(*n));
		if (!n) {
			p->failed = true;
			return 1;
		}
		p->s = n;
		p->cap = cap;
	}
	memcpy(p->s + p->n, wav, add * sizeof(*wav));
	p->n += add;
	return 0;
}

/* Returns a new engine (caller frees with speech_destroy). */
struct speech *speech_create(size_t cache_bytes, struct net_metrics *metrics)
{
	struct speech *sp = calloc(1, sizeof(*sp));
	if (!sp)
		return NULL;
	sp->cache = speech_cache_new(cache_bytes ? cache_bytes : SPEECH_CACHE_BYTES);
	if (!sp->cache || pthread_mutex_init(&sp->lock, NULL) != 0) {
		speech_cache_free(sp->cache);
		free(sp);
		return NULL;
	}
	sp->metrics = metrics;
	return sp;
}

/* Terminates espeak-ng and frees the engine and its cache. */
void speech_destroy(struct speech *sp)
{
	if (!sp)
		return;
	pthread_mutex_lock(&sp->lock);
	if (sp->started)
		espeak_Terminate();
	sp->started = false;
	pthread_mutex_unlock(&sp->lock);
	pthread_mutex_destroy(&sp->lock);
	speech_cache_free(sp->cache);
	free(sp);
}

static int lang_index(const char *code)
{
	const struct lang *all = lang_all();
	for (int i = 0; code && all[i].code && i < SPEECH_MAX_LANGS; i++)
		if (strcmp(all[i].code, code) == 0)
			return i;
	return -1;
}

/* Marks the Lotse languages that some espeak-ng voice speaks (an exact
 * entry in the voice's language list: priority byte, name, NUL, ...). */
static void find_voices(struct speech *sp)
{
	const espeak_VOICE **v = espeak_ListVoices(NULL);
	for (size_t i = 0; v && v[i]; i++) {
		const char *l = v[i]->languages;
		while (l && *l) {
			const char *name = l + 1;
			int k = lang_index(name);
			if (k >= 0)
				sp->voice[k] = true;
			l = name + strlen(name) + 1;
		}
	}
}

/* Initialises espeak-ng once. Call with the lock held. Returns 0 or -1. */
static int start(struct speech *sp)
{
	if (sp->started)
		return 0;
	if (sp->failed)
		return -1;
	int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
	if (rate <= 0) {
		log_err("speech: espeak-ng could not be initialised (is espeak-ng-data installed?)");
		sp->failed = true;
		return -1;
	}
	sp->rate = (unsigned)rate;
	sp->started = true;
	espeak_SetSynthCallback(collect);
	find_voices(sp);
	return 0;
}

bool speech_has_voice(struct speech *sp, const char *lang)
{
	int k = lang_index(lang);
	if (k < 0)
		return false;
	pthread_mutex_lock(&sp->lock);
	bool ok = start(sp) == 0 && sp->voice[k];
	pthread_mutex_unlock(&sp->lock);
	return ok;
}

/* Returns a malloc'd JSON text; caller frees. */
char *speech_voices_json(struct speech *sp)
{
	json_t *arr = json_array();
	json_t *o = arr ? json_pack("{s:o}", "voices", arr) : NULL;
	if (!o)
		return NULL;
	const struct lang *all = lang_all();
	pthread_mutex_lock(&sp->lock);
	bool ok = start(sp) == 0 || sp->failed;
	for (int i = 0; ok && all[i].code && i < SPEECH_MAX_LANGS; i++)
		if (sp->voice[i] && json_array_append_new(arr, json_string(all[i].code)) != 0)
			ok = false;
	pthread_mutex_unlock(&sp->lock);
	char *s = ok ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

/* Picks the voice for lang (lock held). Returns 0 or -1. */
static int set_voice(struct speech *sp, const char *lang)
{
	int k = lang_index(lang);
	if (k < 0 || !sp->voice[k])
		return -1;
	if (strcmp(sp->current, lang) == 0)
		return 0;
	espeak_VOICE spec;
	memset(&spec, 0, sizeof(spec));
	spec.languages = lang;
	if (espeak_SetVoiceByProperties(&spec) != EE_OK) {
		log_warn("speech: espeak-ng has no voice for %s", lang);
		sp->current[0] = '\0';
		return -1;
	}
	espeak_SetParameter(espeakRATE, SPEECH_RATE_WPM, 0);
	snprintf(sp->current, sizeof(sp->current), "%s", lang);
	return 0;
}

/* Synthesises every segment into p (lock held). Returns 0 or -1. */
static int synth_all(struct speech *sp, const struct speech_segment *segs, size_t nsegs,
                     struct pcm *p)
{
	for (size_t i = 0; i < nsegs && p->n < p->max; i++) {
		if (!segs[i].text || !*segs[i].text)
			continue;
		if (set_voice(sp, segs[i].lang) < 0)
			return -1;
		espeak_ERROR e = espeak_Synth(segs[i].text, strlen(segs[i].text) + 1, 0, POS_CHARACTER,
		                              0, espeakCHARS_UTF8 | espeakENDPAUSE, NULL, p);
		if (e != EE_OK || p->failed) {
			log_warn("speech: espeak-ng failed (%d) in %s", (int)e, segs[i].lang);
			return -1;
		}
	}
	return 0;
}

/* Packs samples into a malloc'd WAV file (caller frees). */
static void *to_wav(unsigned rate, const struct pcm *p, size_t *len)
{
	size_t size = SPEECH_WAV_HEADER + p->n * 2;
	unsigned char *out = malloc(size);
	if (!out)
		return NULL;
	speech_wav_header(out, rate, p->n);
	unsigned char *d = out + SPEECH_WAV_HEADER;
	for (size_t i = 0; i < p->n; i++) {
		uint16_t v = (uint16_t)p->s[i];
		d[2 * i] = (unsigned char)(v & 0xff);
		d[2 * i + 1] = (unsigned char)(v >> 8);
	}
	*len = size;
	return out;
}

int speech_lookup(struct speech *sp, const char *key, void **wav, size_t *len)
{
	if (speech_cache_get(sp->cache, key, wav, len) < 0)
		return -1;
	if (sp->metrics)
		atomic_fetch_add_explicit(&sp->metrics->speech_cache_hits, 1, memory_order_relaxed);
	return 0;
}

int speech_render(struct speech *sp, const char *key, const struct speech_segment *segs,
                  size_t nsegs, void **wav, size_t *len)
{
	struct pcm p = {0};
	int rc = -1;
	pthread_mutex_lock(&sp->lock);
	if (speech_lookup(sp, key, wav, len) == 0) {   /* made while we waited */
		rc = 0;
		goto out;
	}
	if (start(sp) < 0)
		goto out;
	p.max = (size_t)sp->rate * SPEECH_MAX_SECONDS;
	if (synth_all(sp, segs, nsegs, &p) < 0)
		goto out;
	*wav = to_wav(sp->rate, &p, len);
	if (!*wav)
		goto out;
	if (sp->metrics)
		atomic_fetch_add_explicit(&sp->metrics->speech_synth, 1, memory_order_relaxed);
	speech_cache_put(sp->cache, key, *wav, *len);
	rc = 0;
out:
	pthread_mutex_unlock(&sp->lock);
	free(p.s);
	return rc;
}
