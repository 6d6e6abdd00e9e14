/* test_net_audio.c - the audio reader and encoder (net/audio.h): WAV headers
 * accepted and refused with exact messages, decoding (stereo mixed down,
 * exact sample values), what uploads are refused as (WebM, unknown, too
 * long, too short), resampling lengths, and Ogg Opus encoding that
 * decodes to the same length and is the same bytes for the same input. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "net/audio.h"
#include "net/speech.h"

/* A WAV of n frames of channels at rate, sample i of channel c = i * 5 + c. */
static unsigned char *make_wav(unsigned rate, unsigned channels, size_t n, size_t *len)
{
	*len = 44 + n * channels * 2;
	unsigned char *b = calloc(1, *len);
	speech_wav_header(b, rate, n * channels);   /* mono header, then patched */
	b[22] = (unsigned char)channels;
	unsigned long bps = (unsigned long)rate * channels * 2;
	for (int i = 0; i < 4; i++)
		b[28 + i] = (unsigned char)(bps >> (8 * i));
	b[32] = (unsigned char)(channels * 2);
	for (size_t i = 0; i < n; i++)
		for (unsigned c = 0; c < channels; c++) {
			int v = (int)(i * 5 + c);
			b[44 + (i * channels + c) * 2] = (unsigned char)(v & 0xff);
			b[44 + (i * channels + c) * 2 + 1] = (unsigned char)((v >> 8) & 0xff);
		}
	return b;
}

static void test_wav(void)
{
	size_t len;
	char err[200];
	struct audio_wav w;
	unsigned char *b = make_wav(16000, 2, 4000, &len);
	CHECK(audio_wav_parse(b, len, &w, err, sizeof err) == 0);
	CHECK(w.channels == 2 && w.rate == 16000 && w.bits == 16 && w.data_offset == 44 &&
	      w.frames == 4000);
	/* a data size larger than the file: the whole frames that are there */
	CHECK(audio_wav_parse(b, len - 3, &w, err, sizeof err) == 0 && w.frames == 3999);
	struct audio_pcm p;
	CHECK(audio_decode(b, len, 60, &p, err, sizeof err) == AUDIO_OK);
	CHECK(p.n == 4000 && p.rate == 16000 && p.s[0] == 0 && p.s[1] == 5 && p.s[3999] == 19995);
	audio_pcm_free(&p);
	CHECK(audio_decode(b, len, 0, &p, err, sizeof err) == AUDIO_TOO_LONG && p.s == NULL);
	CHECK_STR(err, "Die Aufnahme ist länger als 0 Sekunden.");
	b[34] = 8;
	CHECK(audio_wav_parse(b, len, &w, err, sizeof err) < 0);
	CHECK_STR(err, "WAV: 8 bits per sample (only 16 are read)");
	CHECK(audio_decode(b, len, 60, &p, err, sizeof err) == AUDIO_INVALID);
	CHECK_STR(err, "Die WAV-Datei ist nicht lesbar (WAV: 8 bits per sample (only 16 are read)).");
	b[34] = 16;
	b[20] = 3;
	CHECK(audio_wav_parse(b, len, &w, err, sizeof err) < 0);
	CHECK_STR(err, "WAV: format 3 is not PCM (only 16-bit PCM is read)");
	b[20] = 1;
	b[22] = 3;
	CHECK(audio_wav_parse(b, len, &w, err, sizeof err) < 0);
	CHECK_STR(err, "WAV: 3 channels (only 1 or 2 are read)");
	b[22] = 2;
	CHECK(audio_wav_parse(b, 40, &w, err, sizeof err) < 0);
	CHECK_STR(err, "WAV: no data chunk");
	CHECK(audio_wav_parse(b, 30, &w, err, sizeof err) < 0);
	CHECK_STR(err, "WAV: fmt chunk runs past the end of the file");
	CHECK(audio_wav_parse(b, 12, &w, err, sizeof err) < 0);
	CHECK_STR(err, "WAV: no fmt chunk");
	memcpy(b + 8, "AVI ", 4);
	CHECK(audio_wav_parse(b, len, &w, err, sizeof err) < 0);
	CHECK_STR(err, "WAV: no RIFF/WAVE header");
	free(b);
	b = make_wav(16000, 1, 3000, &len);   /* 0.1875 s */
	CHECK(audio_decode(b, len, 60, &p, err, sizeof err) == AUDIO_EMPTY);
	CHECK_STR(err, "Die Aufnahme ist leer oder kürzer als 0,2 Sekunden.");
	free(b);
	static const unsigned char webm[] = {0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0};
	CHECK(audio_decode(webm, sizeof webm, 60, &p, err, sizeof err) == AUDIO_UNSUPPORTED);
	CHECK(strstr(err, "WebM wird nicht angenommen") == err);
	CHECK(audio_decode("fLaC1234", 8, 60, &p, err, sizeof err) == AUDIO_UNSUPPORTED);
	CHECK(strstr(err, "Unbekanntes Format") == err);
}

static void test_opus(void)
{
	size_t len, olen = 0, olen2 = 0;
	char err[200];
	unsigned char *b = make_wav(22050, 1, 22050, &len);   /* 1 s at espeak-ng's rate */
	struct audio_pcm in, again, up;
	CHECK(audio_decode(b, len, 60, &in, err, sizeof err) == AUDIO_OK);
	void *o = NULL, *o2 = NULL;
	CHECK(audio_encode_opus(in.s, in.n, in.rate, &o, &olen) == 0);
	CHECK(audio_encode_opus(in.s, in.n, in.rate, &o2, &olen2) == 0);
	CHECK(olen == olen2 && o && o2 && memcmp(o, o2, olen) == 0);   /* same input, same bytes */
	CHECK(olen < len / 4);                                            /* compressed */
	CHECK(audio_decode(o, olen, 60, &again, err, sizeof err) == AUDIO_OK);
	CHECK(again.rate == AUDIO_RATE && again.n == AUDIO_RATE);        /* exactly 1 s at 48 kHz */
	CHECK(audio_resample(&in, AUDIO_RATE, &up) == 0 && up.n == AUDIO_RATE && up.s[0] == 0);
	audio_pcm_free(&up);
	CHECK(audio_resample(&in, 22050, &up) == 0 && up.n == in.n && !memcmp(up.s, in.s, in.n * 2));
	audio_pcm_free(&up);
	audio_pcm_free(&in);
	audio_pcm_free(&again);
	free(o);
	free(o2);
	free(b);
}

int main(void)
{
	test_wav();
	test_opus();
	CHECK_DONE();
}
