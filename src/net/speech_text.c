/* speech_text.c - rewriting texts before synthesis so that phone numbers and
 * postcodes are read digit by digit, not as one large number (see speech.h).
 * Byte-wise on UTF-8: only ASCII digits and separators are looked at, every
 * other byte is copied as it is. The phone rule itself is say_phone
 * (i18n/saytext.h), which the full speech text uses as well. */
#include "net/speech.h"

#include "i18n/saytext.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Letters, digits and any byte of a multi-byte UTF-8 sequence. */
static bool is_wordish(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (unsigned char)c >= 0x80;
}

void speech_phone_words(struct strbuf *out, const char *phone)
{
	say_phone(out, phone, strlen(phone));
}

void speech_address_words(struct strbuf *out, const char *address)
{
	const char *p = address;
	while (*p) {
		if (!is_digit(*p)) {
			strbuf_putc(out, *p++);
			continue;
		}
		size_t n = 0;
		while (is_digit(p[n]))
			n++;
		if (n == 5) {
			for (size_t i = 0; i < n; i++) {
				if (i)
					strbuf_putc(out, ' ');
				strbuf_putc(out, p[i]);
			}
		} else {
			strbuf_append(out, p, n);
		}
		p += n;
	}
}

/* Length of a phone number starting at s (start of a word), or 0: '+' or
 * '0' then digits, with single ' ', '-' or '/' between digit groups, at
 * least 6 digits, not running into a letter. */
static size_t phone_run(const char *s)
{
	size_t i = 0, digits = 0;
	if (s[0] == '+')
		i = 1;
	else if (s[0] != '0')
		return 0;
	if (!is_digit(s[i]))
		return 0;
	size_t end = i;
	while (s[i]) {
		if (is_digit(s[i])) {
			digits++;
			end = ++i;
		} else if ((s[i] == ' ' || s[i] == '-' || s[i] == '/') && is_digit(s[i + 1])) {
			i++;
		} else {
			break;
		}
	}
	if (digits < 6 || is_wordish(s[end]))
		return 0;
	return end;
}

void speech_text_words(struct strbuf *out, const char *text)
{
	const char *p = text;
	bool word_start = true;
	while (*p) {
		size_t n = word_start ? phone_run(p) : 0;
		if (n) {
			say_phone(out, p, n);
			p += n;
			word_start = false;
			continue;
		}
		word_start = !is_wordish(*p) && *p != '+';
		strbuf_putc(out, *p++);
	}
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
