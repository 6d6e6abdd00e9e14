/* fuzz_net_wav.c - fuzz target for the audio uploads' reader (net/audio.h):
 * the input is an uploaded file. audio_wav_parse must accept only what it
 * promises (1 or 2 channels, 16 bits, 8000-96000 Hz, samples inside the
 * input) and audio_decode must agree with it exactly (a WAV that parses
 * decodes to exactly its frames, unless it is too long or too short; one
 * that does not parse is refused as invalid). A header written by
 * speech_wav_header over the same samples parses back to the same rate and
 * count. Ogg inputs go through libopusfile with the same length limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/audio.h"
#include "net/speech.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audio_wav w;
	struct audio_pcm p;
	char err[256];
	int parsed = audio_wav_parse(data, size, &w, err, sizeof(err));
	if (parsed == 0) {
		if (w.channels < 1 || w.channels > 2 || w.bits != 16 || w.rate < 8000 ||
		    w.rate > 96000 || w.data_offset > size ||
		    w.frames > (size - w.data_offset) / (w.channels * 2))
			abort();
	} else if (!err[0]) {
		abort();   /* every refusal says why */
	}
	enum audio_result a = audio_decode(data, size, 2, &p, err, sizeof(err));
	bool riff = size >= 4 && !memcmp(data, "RIFF", 4);
	if (riff && parsed != 0 && a != AUDIO_INVALID)
		abort();
	if (riff && parsed == 0) {
		if (a == AUDIO_OK && (p.n != w.frames || p.rate != w.rate))
			abort();
		if (a == AUDIO_TOO_LONG && w.frames <= (size_t)w.rate * 2)
			abort();
		if (a == AUDIO_EMPTY && w.frames >= w.rate / 5)
			abort();
		if (a != AUDIO_OK && a != AUDIO_TOO_LONG && a != AUDIO_EMPTY && a != AUDIO_NO_MEMORY)
			abort();
	}
	if (a == AUDIO_OK && (p.n > (size_t)p.rate * 2 || !p.s))
		abort();
	if (a != AUDIO_OK && (p.s || !err[0]))
		abort();
	/* our own header over the decoded samples reads back the same */
	if (a == AUDIO_OK && riff) {
		size_t len = SPEECH_WAV_HEADER + p.n * 2;
		unsigned char *buf = malloc(len);
		if (!buf)
			abort();
		speech_wav_header(buf, p.rate, p.n);
		memcpy(buf + SPEECH_WAV_HEADER, p.s, p.n * 2);   /* little-endian host */
		struct audio_wav again;
		if (audio_wav_parse(buf, len, &again, err, sizeof(err)) != 0 || again.rate != p.rate ||
		    again.frames != p.n || again.channels != 1 || again.data_offset != SPEECH_WAV_HEADER)
			abort();
		free(buf);
	}
	audio_pcm_free(&p);
	return 0;
}
