/* test_net_speech.c - reading aloud: the digit-by-digit rewrites of phone
 * numbers (exact strings; postcodes and numbers in texts: say_text), the WAV header (exact bytes), the
 * LRU cache (eviction order, budget, copies), and a real synthesis with
 * espeak-ng (Debian's espeak-ng-data) including the cache counters. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "net/audio.h"
#include "net/speech.h"

typedef void (*rewrite_fn)(struct strbuf *, const char *);

static char *rw(rewrite_fn fn, const char *in)
{
	struct strbuf sb;
	strbuf_init(&sb);
	fn(&sb, in);
	return strbuf_steal(&sb);
}

#define CHECK_RW(fn, in, want) do { \
	char *got_ = rw(fn, in); \
	CHECK_STR(got_, want); \
	free(got_); \
} while (0)

static void test_phone(void)
{
	CHECK_RW(speech_phone_words, "0340 204-1305", "0 3 4 0, 2 0 4, 1 3 0 5");
	CHECK_RW(speech_phone_words, "+49 30 000001", "+ 4 9, 3 0, 0 0 0 0 0 1");
	CHECK_RW(speech_phone_words, "(05341) 839-3746", "0 5 3 4 1, 8 3 9, 3 7 4 6");
	CHECK_RW(speech_phone_words, "05321/76-0", "0 5 3 2 1, 7 6, 0");
	CHECK_RW(speech_phone_words, "030 1234 ext 5", "0 3 0, 1 2 3 4 ext 5");
	CHECK_RW(speech_phone_words, "+49 (0)30 1234", "+ 4 9, 0, 3 0, 1 2 3 4");
	CHECK_RW(speech_phone_words, "", "");
}

static void test_wav_header(void)
{
	unsigned char h[SPEECH_WAV_HEADER];
	static const unsigned char want[SPEECH_WAV_HEADER] = {
		'R', 'I', 'F', 'F', 56, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ',
		16, 0, 0, 0, 1, 0, 1, 0, 0x22, 0x56, 0, 0, 0x44, 0xac, 0, 0,
		2, 0, 16, 0, 'd', 'a', 't', 'a', 20, 0, 0, 0,
	};
	speech_wav_header(h, 22050, 10);
	CHECK(memcmp(h, want, sizeof(want)) == 0);
}

static int get_str(struct speech_cache *c, const char *key, char *out, size_t cap)
{
	void *data = NULL;
	size_t len = 0;
	if (speech_cache_get(c, key, &data, &len) < 0)
		return -1;
	if (len >= cap)
		len = cap - 1;
	memcpy(out, data, len);
	out[len] = '\0';
	free(data);
	return 0;
}

static void test_cache(void)
{
	char a[40], b[40], cc[40], buf[64];
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(cc, 'c', sizeof(cc));
	struct speech_cache *c = speech_cache_new(100);
	CHECK(speech_cache_put(c, "a", a, sizeof(a)) == 0);
	CHECK(speech_cache_put(c, "b", b, sizeof(b)) == 0);
	CHECK(get_str(c, "a", buf, sizeof(buf)) == 0 && buf[0] == 'a' && strlen(buf) == 40);
	CHECK(speech_cache_put(c, "c", cc, sizeof(cc)) == 0);   /* evicts b: least recently used */
	CHECK(get_str(c, "b", buf, sizeof(buf)) < 0);
	CHECK(get_str(c, "a", buf, sizeof(buf)) == 0);
	CHECK(get_str(c, "c", buf, sizeof(buf)) == 0 && buf[0] == 'c' && strlen(buf) == 40);
	CHECK(speech_cache_count(c) == 2 && speech_cache_bytes(c) == 80);
	char big[101] = {0};
	CHECK(speech_cache_put(c, "big", big, sizeof(big)) < 0);   /* over the budget */
	CHECK(speech_cache_count(c) == 2);
	CHECK(speech_cache_put(c, "a", "new", 4) == 0);            /* replaces */
	CHECK(get_str(c, "a", buf, sizeof(buf)) == 0 && strcmp(buf, "new") == 0);
	CHECK(speech_cache_count(c) == 2 && speech_cache_bytes(c) == 44);
	speech_cache_free(c);
	speech_cache_free(NULL);
}

static void test_synthesis(void)
{
	struct net_metrics m;
	metrics_init(&m, NULL);
	struct speech *sp = speech_create(0, &m);
	CHECK(sp != NULL);
	if (!sp)
		return;
	CHECK(speech_has_voice(sp, "de") && speech_has_voice(sp, "ar") && speech_has_voice(sp, "uk"));
	CHECK(!speech_has_voice(sp, "ps") && !speech_has_voice(sp, "xx") && !speech_has_voice(sp, NULL));
	char *json = speech_voices_json(sp);
	/* Easy German speaks with the German voice, so it is offered too */
	CHECK(speech_has_voice(sp, "de-x-es"));
	static const char head[] = "{\"voices\":[\"de\",\"de-x-es\",\"en\",\"ar\",\"fa\",";
	CHECK(json && strncmp(json, head, sizeof(head) - 1) == 0);
	CHECK(json && strstr(json, "\"ps\"") == NULL && strstr(json, "\"bg\"") != NULL);
	free(json);

	struct speech_segment segs[] = {{"de", "Rufen Sie 0 3 4 0 an.", NULL, 0},
	                                {"ar", "مرحبا", NULL, 0}};
	void *wav = NULL;
	size_t len = 0;
	CHECK(speech_render(sp, "1/test", segs, 2, &wav, &len) == 0);
	const unsigned char *w = wav;
	/* Ogg Opus: an OpusHead page first, and it decodes to seconds of sound */
	CHECK(w && len > 1000 && memcmp(w, "OggS", 4) == 0 && memcmp(w + 28, "OpusHead", 8) == 0);
	struct audio_pcm pcm;
	char err[200];
	CHECK(audio_decode(wav, len, 60, &pcm, err, sizeof err) == AUDIO_OK);
	CHECK(pcm.rate == AUDIO_RATE && pcm.n > AUDIO_RATE);   /* more than a second */
	size_t synth_only = pcm.n;
	audio_pcm_free(&pcm);
	CHECK(atomic_load(&m.speech_synth) == 1 && atomic_load(&m.speech_cache_hits) == 0);

	void *again = NULL;
	size_t len2 = 0;
	CHECK(speech_lookup(sp, "1/test", &again, &len2) == 0);
	CHECK(again && len2 == len && memcmp(again, wav, len) == 0);
	free(again);
	again = NULL;
	CHECK(speech_render(sp, "1/test", segs, 2, &again, &len2) == 0);   /* cached meanwhile */
	CHECK(atomic_load(&m.speech_synth) == 1 && atomic_load(&m.speech_cache_hits) == 2);
	free(again);
	free(wav);

	struct speech_segment pashto[] = {{"ps", "سلام", NULL, 0}};
	CHECK(speech_render(sp, "1/ps", pashto, 1, &wav, &len) < 0);
	CHECK(speech_lookup(sp, "1/ps", &wav, &len) < 0);
	/* a segment in Easy German is synthesised with the German voice */
	struct speech_segment easy[] = {{"de-x-es", "Montag bis Freitag", NULL, 0}};
	wav = NULL;
	CHECK(speech_render(sp, "1/easy", easy, 1, &wav, &len) == 0 && wav && len > 1000);
	free(wav);
	wav = NULL;

	/* a recording (here: one second of a 440 Hz tone, encoded) between
	 * synthesised texts: the result is as long as all of it together */
	int16_t tone[AUDIO_RATE];
	for (size_t i = 0; i < AUDIO_RATE; i++)
		tone[i] = (int16_t)(8000 * ((i / 55) % 2 ? 1 : -1));
	void *rec = NULL;
	size_t rlen = 0;
	CHECK(audio_encode_opus(tone, AUDIO_RATE, AUDIO_RATE, &rec, &rlen) == 0);
	struct speech_segment mixed[] = {{"de", "Rufen Sie 0 3 4 0 an.", NULL, 0},
	                                 {NULL, NULL, rec, rlen}, {"ar", "مرحبا", NULL, 0}};
	CHECK(speech_render(sp, "1/mixed", mixed, 3, &wav, &len) == 0);
	CHECK(audio_decode(wav, len, 60, &pcm, err, sizeof err) == AUDIO_OK);
	/* Opus adds up to 80 ms of padding at each end of each encoding */
	CHECK(pcm.n + AUDIO_RATE / 10 > synth_only + AUDIO_RATE &&
	      pcm.n < synth_only + AUDIO_RATE + AUDIO_RATE / 5);
	audio_pcm_free(&pcm);
	free(wav);
	/* a recording that does not decode fails the whole render */
	struct speech_segment broken[] = {{NULL, NULL, "OggS-not-really", 15}};
	CHECK(speech_render(sp, "1/broken", broken, 1, &wav, &len) < 0);
	free(rec);
	speech_destroy(sp);
	speech_destroy(NULL);
}

int main(void)
{
	test_phone();
	test_wav_header();
	test_cache();
	test_synthesis();
	CHECK_DONE();
}
