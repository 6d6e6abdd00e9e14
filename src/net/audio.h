/* audio.h - audio formats for read-aloud: a strict reader of PCM WAV files
 * (our own parser; fuzz target fuzz_net_wav), decoding an upload (WAV, or
 * Ogg Opus through libopusfile) into mono 16-bit samples, resampling, and
 * encoding samples into Ogg Opus through libopusenc (what /speak/ serves).
 * Pure functions on memory; thread-safe.
 */
#ifndef LOTSE_AUDIO_H
#define LOTSE_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#define AUDIO_RATE 48000                /* Opus' own rate: what decoding gives */
#define AUDIO_BITRATE 24000             /* bits per second of the Opus we make (speech, mono) */
/* Encoder complexity (0-10, libopus default 10). Encoding is most of the time to the first audio
 * byte of an uncached card; 5 took 0.62 of the time of 10 for 20 s of speech-like audio at the same
 * size (docs/benchmarks.md, "Read aloud"). */
#define AUDIO_COMPLEXITY 5
#define AUDIO_SERIALNO 0x4c6f7473       /* Ogg stream serial number: same input, same bytes */

/* What a WAV file's header says. */
struct audio_wav {
	unsigned channels;                  /* 1 or 2 */
	unsigned rate;                      /* 8000 ..  96000 samples per second */
	unsigned bits;                      /* 16 */
	size_t data_offset;                 /* where the samples begin */
	size_t frames;                      /* samples per channel (whole frames in the file) */
};

/* Reads the header of a RIFF/WAVE file of len bytes: PCM (format 1, or
 * WAVE_FORMAT_EXTENSIBLE with the PCM sub-format), 16 bits, 1 or 2
 * channels, 8000 to 96000 Hz, chunks in bounds; a data chunk longer than
 * the file (a recorder that never wrote the size) counts the whole frames
 * that are there. Returns 0, or -1 with a message in err (bounded). */
int audio_wav_parse(const void *data, size_t len, struct audio_wav *out, char *err, size_t errlen);

/* Mono samples. */
struct audio_pcm {
	int16_t *s;                         /* owned (malloc); free with audio_pcm_free */
	size_t n;
	unsigned rate;
};

/* Frees the samples; the struct is zeroed. */
void audio_pcm_free(struct audio_pcm *p);

enum audio_result {
	AUDIO_OK = 0,
	AUDIO_UNSUPPORTED,                  /* not WAV or Ogg Opus (e.g. WebM): HTTP 415 */
	AUDIO_INVALID,                      /* claims to be one, but is broken: 422 */
	AUDIO_TOO_LONG,                     /* longer than max_seconds: 413 */
	AUDIO_EMPTY,                        /* no sound at all (shorter than 0.2 s): 422 */
	AUDIO_NO_MEMORY,
};

/* Decodes an upload into mono samples (stereo is mixed down): a PCM WAV
 * file (audio_wav_parse) at its own rate, or Ogg Opus at AUDIO_RATE. The
 * kind is found from the bytes, not from a declared type. Audio longer
 * than max_seconds is refused. out->s is malloc'd (caller frees with
 * audio_pcm_free). Returns AUDIO_OK, or another result with a message
 * (German, for staff) in err. */
enum audio_result audio_decode(const void *data, size_t len, unsigned max_seconds,
                               struct audio_pcm *out, char *err, size_t errlen);

/* Resamples in to rate (linear interpolation) into out (malloc'd; caller
 * frees with audio_pcm_free). The same rate copies. Returns 0 or -1. */
int audio_resample(const struct audio_pcm *in, unsigned rate, struct audio_pcm *out);

/* Encodes mono samples at any rate into an Ogg Opus file (AUDIO_BITRATE,
 * serial number AUDIO_SERIALNO, so the same samples give the same bytes):
 * *out is malloc'd, the caller frees it. Returns 0 or -1. */
int audio_encode_opus(const int16_t *s, size_t n, unsigned rate, void **out, size_t *len);

#endif
