/* speech_text.c - the phone-number rewrite of offer and contact cards (read
 * digit by digit in groups, see speech.h) and the WAV header. The phone rule
 * itself is say_phone (i18n/saytext.h); postcodes and numbers inside texts are
 * the full speech text's (say_text), tested in tests/data/speech/<lang>.tsv. */
#include "net/speech.h"

#include "i18n/saytext.h"

#include <string.h>

void speech_phone_words(struct strbuf *out, const char *phone)
{
	say_phone(out, phone, strlen(phone));
}

/* Stores v little-endian in n bytes. */
static void le(unsigned char *out, unsigned long v, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (unsigned char)(v >> (8 * i));
}

void speech_wav_header(unsigned char out[SPEECH_WAV_HEADER], unsigned rate, size_t nsamples)
{
	unsigned long data = (unsigned long)nsamples * 2;
	memcpy(out, "RIFF", 4);
	le(out + 4, 36 + data, 4);
	memcpy(out + 8, "WAVEfmt ", 8);
	le(out + 16, 16, 4);           /* fmt chunk size */
	le(out + 20, 1, 2);            /* PCM */
	le(out + 22, 1, 2);            /* mono */
	le(out + 24, rate, 4);
	le(out + 28, (unsigned long)rate * 2, 4);  /* bytes per second */
	le(out + 32, 2, 2);            /* block align */
	le(out + 34, 16, 2);           /* bits per sample */
	memcpy(out + 36, "data", 4);
	le(out + 40, data, 4);
}
