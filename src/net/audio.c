/* audio.c - WAV reading, decoding uploads (WAV; Ogg Opus with libopusfile),
 * linear resampling and Ogg Opus encoding with libopusenc (see audio.h). */
#include "net/audio.h"

#include <opus/opusenc.h>
#include <opus/opusfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static unsigned long rd_le(const unsigned char *p, int n)
{
	unsigned long v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* The KSDATAFORMAT_SUBTYPE_PCM GUID after its first two bytes (0x0001). */
static const unsigned char pcm_guid_tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                                0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};

/* Checks the fmt chunk body b (n bytes) into out. Returns 0 or -1 (err). */
static int wav_fmt(const unsigned char *b, size_t n, struct audio_wav *out, char *err,
                   size_t errlen)
{
	if (n < 16) {
		snprintf(err, errlen, "WAV: fmt chunk is too short (%zu bytes)", n);
		return -1;
	}
	unsigned format = (unsigned)rd_le(b, 2);
	out->channels = (unsigned)rd_le(b + 2, 2);
	out->rate = (unsigned)rd_le(b + 4, 4);
	unsigned align = (unsigned)rd_le(b + 12, 2);
	out->bits = (unsigned)rd_le(b + 14, 2);
	if (format == 0xfffe && n >= 40 && rd_le(b + 24, 2) == 1 && !memcmp(b + 26, pcm_guid_tail, 14))
		format = 1;
	if (format != 1) {
		snprintf(err, errlen, "WAV: format %u is not PCM (only 16-bit PCM is read)", format);
		return -1;
	}
	if (out->bits != 16) {
		snprintf(err, errlen, "WAV: %u bits per sample (only 16 are read)", out->bits);
		return -1;
	}
	if (out->channels < 1 || out->channels > 2) {
		snprintf(err, errlen, "WAV: %u channels (only 1 or 2 are read)", out->channels);
		return -1;
	}
	if (out->rate < 8000 || out->rate > 96000) {
		snprintf(err, errlen, "WAV: %u samples per second (8000 to 96000 are read)", out->rate);
		return -1;
	}
	if (align != out->channels * 2) {
		snprintf(err, errlen, "WAV: block align %u does not fit %u channels of 16 bits", align,
		         out->channels);
		return -1;
	}
	return 0;
}

int audio_wav_parse(const void *data, size_t len, struct audio_wav *out, char *err, size_t errlen)
{
	const unsigned char *d = data;
	bool have_fmt = false;
	memset(out, 0, sizeof(*out));
	if (len < 12 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WAVE", 4) != 0) {
		snprintf(err, errlen, "WAV: no RIFF/WAVE header");
		return -1;
	}
	size_t pos = 12;
	while (pos + 8 <= len) {
		const unsigned char *c = d + pos;
		size_t size = (size_t)rd_le(c + 4, 4);
		size_t body = pos + 8, avail = len - body;
		if (!memcmp(c, "fmt ", 4)) {
			if (size > avail) {
				snprintf(err, errlen, "WAV: fmt chunk runs past the end of the file");
				return -1;
			}
			if (wav_fmt(d + body, size, out, err, errlen) < 0)
				return -1;
			have_fmt = true;
		} else if (!memcmp(c, "data", 4)) {
			if (!have_fmt) {
				snprintf(err, errlen, "WAV: data chunk before the fmt chunk");
				return -1;
			}
			size_t bytes = size < avail ? size : avail;
			out->data_offset = body;
			out->frames = bytes / (out->channels * 2);
			return 0;
		}
		if (size > avail)
			break;
		pos = body + size + (size & 1);   /* chunks are padded to even sizes */
	}
	snprintf(err, errlen, have_fmt ? "WAV: no data chunk" : "WAV: no fmt chunk");
	return -1;
}

void audio_pcm_free(struct audio_pcm *p)
{
	free(p->s);
	memset(p, 0, sizeof(*p));
}

static enum audio_result decode_wav(const unsigned char *d, size_t len, unsigned max_seconds,
                                    struct audio_pcm *out, char *err, size_t errlen)
{
	struct audio_wav w;
	char why[160];
	if (audio_wav_parse(d, len, &w, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "Die WAV-Datei ist nicht lesbar (%s).", why);
		return AUDIO_INVALID;
	}
	if (w.frames > (size_t)w.rate * max_seconds) {
		snprintf(err, errlen, "Die Aufnahme ist länger als %u Sekunden.", max_seconds);
		return AUDIO_TOO_LONG;
	}
	out->s = malloc((w.frames ? w.frames : 1) * sizeof(*out->s));
	if (!out->s)
		return AUDIO_NO_MEMORY;
	const unsigned char *p = d + w.data_offset;
	for (size_t i = 0; i < w.frames; i++) {
		long sum = 0;
		for (unsigned c = 0; c < w.channels; c++, p += 2)
			sum += (int16_t)(uint16_t)rd_le(p, 2);
		out->s[i] = (int16_t)(sum / (long)w.channels);
	}
	out->n = w.frames;
	out->rate = w.rate;
	return AUDIO_OK;
}

static enum audio_result decode_opus(const unsigned char *d, size_t len, unsigned max_seconds,
                                     struct audio_pcm *out, char *err, size_t errlen)
{
	int e = 0;
	OggOpusFile *of = op_open_memory(d, len, &e);
	if (!of) {
		snprintf(err, errlen, "Die Ogg-Datei enthält kein lesbares Opus (Fehler %d).", e);
		return e == OP_ENOTFORMAT ? AUDIO_UNSUPPORTED : AUDIO_INVALID;
	}
	size_t max = (size_t)AUDIO_RATE * max_seconds, cap = AUDIO_RATE;
	enum audio_result rc = AUDIO_NO_MEMORY;
	float buf[5760 * 2];              /* 120 ms of stereo at 48 kHz */
	out->s = malloc(cap * sizeof(*out->s));
	out->rate = AUDIO_RATE;
	while (out->s) {
		int li = 0;
		int n = op_read_float(of, buf, (int)(sizeof(buf) / sizeof(buf[0])), &li);
		if (n == 0) {
			rc = AUDIO_OK;
			break;
		}
		if (n < 0) {
			snprintf(err, errlen, "Die Opus-Daten sind beschädigt (Fehler %d).", n);
			rc = AUDIO_INVALID;
			break;
		}
		int ch = op_channel_count(of, li);
		if (ch < 1 || ch > 2) {
			snprintf(err, errlen, "Opus mit %d Kanälen wird nicht gelesen (nur 1 oder 2).", ch);
			rc = AUDIO_INVALID;
			break;
		}
		if (out->n + (size_t)n > max) {
			snprintf(err, errlen, "Die Aufnahme ist länger als %u Sekunden.", max_seconds);
			rc = AUDIO_TOO_LONG;
			break;
		}
		if (out->n + (size_t)n > cap) {
			while (cap < out->n + (size_t)n)
				cap *= 2;
			int16_t *more = realloc(out->s, cap * sizeof(*more));
			if (!more)
				break;
			out->s = more;
		}
		for (int i = 0; i < n; i++) {
			float v = ch == 2 ? (buf[2 * i] + buf[2 * i + 1]) / 2 : buf[i];
			v = v > 1 ? 1 : v < -1 ? -1 : v;
			out->s[out->n++] = (int16_t)(v * 32767.0f);
		}
	}
	op_free(of);
	return rc;
}

enum audio_result audio_decode(const void *data, size_t len, unsigned max_seconds,
                               struct audio_pcm *out, char *err, size_t errlen)
{
	const unsigned char *d = data;
	enum audio_result rc;
	memset(out, 0, sizeof(*out));
	snprintf(err, errlen, "Kein Fehler.");
	if (len >= 4 && !memcmp(d, "RIFF", 4)) {
		rc = decode_wav(d, len, max_seconds, out, err, errlen);
	} else if (len >= 4 && !memcmp(d, "OggS", 4)) {
		rc = decode_opus(d, len, max_seconds, out, err, errlen);
	} else {
		snprintf(err, errlen, "%s",
		         len >= 4 && d[0] == 0x1a && d[1] == 0x45 && d[2] == 0xdf && d[3] == 0xa3 ?
		         "WebM wird nicht angenommen: bitte WAV (16 Bit PCM) oder Ogg Opus hochladen "
		         "(die Aufnahmeseite wandelt selbst um)." :
		         "Unbekanntes Format: bitte WAV (16 Bit PCM) oder Ogg Opus hochladen.");
		return AUDIO_UNSUPPORTED;
	}
	if (rc == AUDIO_OK && out->n < out->rate / 5) {
		snprintf(err, errlen, "Die Aufnahme ist leer oder kürzer als 0,2 Sekunden.");
		rc = AUDIO_EMPTY;
	}
	if (rc == AUDIO_NO_MEMORY)
		snprintf(err, errlen, "Kein Speicher frei.");
	if (rc != AUDIO_OK)
		audio_pcm_free(out);
	return rc;
}

int audio_resample(const struct audio_pcm *in, unsigned rate, struct audio_pcm *out)
{
	memset(out, 0, sizeof(*out));
	if (!in->rate || !rate)
		return -1;
	size_t n = in->rate == rate ? in->n : (size_t)((double)in->n * rate / in->rate);
	out->s = malloc((n ? n : 1) * sizeof(*out->s));
	if (!out->s)
		return -1;
	out->n = n;
	out->rate = rate;
	if (in->rate == rate) {
		if (n)
			memcpy(out->s, in->s, n * sizeof(*out->s));
		return 0;
	}
	double step = (double)in->rate / rate;
	for (size_t i = 0; i < n; i++) {
		double x = (double)i * step;
		size_t k = (size_t)x;
		double f = x - (double)k;
		int a = in->s[k < in->n ? k : in->n - 1];
		int b = in->s[k + 1 < in->n ? k + 1 : in->n - 1];
		out->s[i] = (int16_t)(a + (b - a) * f);
	}
	return 0;
}

static int write_cb(void *ud, const unsigned char *p, opus_int32 n)
{
	struct strbuf *b = ud;
	strbuf_append(b, (const char *)p, (size_t)n);
	return strbuf_ok(b) ? 0 : 1;
}

static int close_cb(void *ud)
{
	(void)ud;
	return 0;
}

/* Returns a malloc'd Ogg Opus file in *out (caller frees). */
int audio_encode_opus(const int16_t *s, size_t n, unsigned rate, void **out, size_t *len)
{
	struct strbuf b;
	int rc = -1, e = 0;
	strbuf_init(&b);
	OpusEncCallbacks cb = {write_cb, close_cb};
	OggOpusComments *com = ope_comments_create();
	OggOpusEnc *enc = com ? ope_encoder_create_callbacks(&cb, &b, com, (opus_int32)rate, 1, 0, &e)
	                      : NULL;
	if (!enc)
		goto out;
	if (ope_encoder_ctl(enc, OPE_SET_SERIALNO(AUDIO_SERIALNO)) != OPE_OK ||
	    ope_encoder_ctl(enc, OPUS_SET_BITRATE(AUDIO_BITRATE)) != OPE_OK ||
	    ope_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)) != OPE_OK ||
	    ope_encoder_ctl(enc, OPUS_SET_COMPLEXITY(AUDIO_COMPLEXITY)) != OPE_OK)
		goto out;
	for (size_t i = 0; i < n;) {   /* in pieces: the length is an int */
		size_t k = n - i < 480000 ? n - i : 480000;
		if (ope_encoder_write(enc, s + i, (int)k) != OPE_OK)
			goto out;
		i += k;
	}
	if (ope_encoder_drain(enc) != OPE_OK || !strbuf_ok(&b))
		goto out;
	*len = b.len;
	*out = strbuf_steal(&b);
	rc = *out ? 0 : -1;
out:
	if (enc)
		ope_encoder_destroy(enc);
	if (com)
		ope_comments_destroy(com);
	strbuf_free(&b);
	return rc;
}
