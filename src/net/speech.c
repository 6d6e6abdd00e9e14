/* speech.c - synthesis with libespeak-ng (synchronous mode, samples collected
 * by the synth callback), joined with decoded recordings and encoded into
 * Ogg Opus, behind one mutex, with the results cached (see speech.h). */
#include "net/speech.h"

#include <espeak-ng/speak_lib.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/lang.h"
#include "net/audio.h"
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
	/* a language with a private-use subtag ("de-x-es") speaks with the
	 * voice of its primary language */
	const struct lang *all = lang_all();
	for (int i = 0; all[i].code && i < SPEECH_MAX_LANGS; i++) {
		int b = lang_index(lang_base(all[i].code));
		if (b >= 0 && b != i)
			sp->voice[i] = sp->voice[b];
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
	lang = lang_base(lang);   /* "de" for "de-x-es" */
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

/* Appends n samples to p (growing it). Returns 0 or -1. */
static int pcm_append(struct pcm *p, const int16_t *s, size_t n)
{
	if (p->n + n > p->max)
		n = p->max - p->n;        /* long enough: cut off */
	if (p->n + n > p->cap) {
		size_t cap = p->cap ? p->cap : 16384;
		while (cap < p->n + n)
			cap *= 2;
		int16_t *m = realloc(p->s, cap * sizeof(*m));
		if (!m)
			return -1;
		p->s = m;
		p->cap = cap;
	}
	if (n)
		memcpy(p->s + p->n, s, n * sizeof(*s));
	p->n += n;
	return 0;
}

/* Synthesises one text segment into p (lock held). Returns 0 or -1. */
static int synth_one(struct speech *sp, const struct speech_segment *seg, struct pcm *p)
{
	if (set_voice(sp, seg->lang) < 0)
		return -1;
	espeak_ERROR e = espeak_Synth(seg->text, strlen(seg->text) + 1, 0, POS_CHARACTER, 0,
	                              espeakCHARS_UTF8 | espeakENDPAUSE, NULL, p);
	if (e != EE_OK || p->failed) {
		log_warn("speech: espeak-ng failed (%d) in %s", (int)e, seg->lang);
		return -1;
	}
	return 0;
}

/* Adds one segment at rate to out: synthesised (resampled from espeak-ng's
 * rate when rate differs) or a recording, decoded and resampled (lock
 * held). Returns 0 or -1. */
static int add_segment(struct speech *sp, const struct speech_segment *seg, unsigned rate,
                       struct pcm *out)
{
	struct audio_pcm in = {0}, at = {0};
	int rc = -1;
	if (seg->audio) {
		char err[200];
		if (audio_decode(seg->audio, seg->audio_len, SPEECH_MAX_SECONDS, &in, err,
		                 sizeof(err)) != AUDIO_OK) {
			log_warn("speech: a recording does not decode: %s", err);
			return -1;
		}
	} else {
		if (!seg->text || !*seg->text)
			return 0;
		if (rate == sp->rate)
			return synth_one(sp, seg, out);
		struct pcm p = {.max = (size_t)sp->rate * SPEECH_MAX_SECONDS};
		rc = synth_one(sp, seg, &p);
		in.s = p.s;
		in.n = p.n;
		in.rate = sp->rate;
		if (rc < 0)
			goto out;
	}
	rc = audio_resample(&in, rate, &at) == 0 ? pcm_append(out, at.s, at.n) : -1;
out:
	audio_pcm_free(&in);
	audio_pcm_free(&at);
	return rc;
}

/* Makes every segment into p at rate (lock held). Returns 0 or -1. */
static int synth_all(struct speech *sp, const struct speech_segment *segs, size_t nsegs,
                     unsigned rate, struct pcm *p)
{
	for (size_t i = 0; i < nsegs && p->n < p->max; i++)
		if (add_segment(sp, &segs[i], rate, p) < 0)
			return -1;
	return 0;
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
	unsigned rate = sp->rate;
	for (size_t i = 0; i < nsegs; i++)
		if (segs[i].audio)
			rate = AUDIO_RATE;
	p.max = (size_t)rate * SPEECH_MAX_SECONDS;
	if (synth_all(sp, segs, nsegs, rate, &p) < 0)
		goto out;
	if (audio_encode_opus(p.s, p.n, rate, wav, len) < 0)
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
