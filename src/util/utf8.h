/* utf8.h - UTF-8 validation and decoding shared by the loaders and search. */
#ifndef LOTSE_UTF8_H
#define LOTSE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns the byte offset of the first invalid sequence in s[0..n), or n when
 * the whole input is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
size_t utf8_invalid_at(const char *s, size_t n);
/* Decodes one code point at s (n bytes left); stores its length in *len.
 * Returns -1 (and *len = 1) on an invalid sequence. */
int32_t utf8_decode(const char *s, size_t n, size_t *len);
/* Encodes cp into out (at least 4 bytes); returns the number of bytes. */
size_t utf8_encode(uint32_t cp, char *out);
/* Counts code points in s[0..n) (invalid bytes count as one each). */
size_t utf8_count(const char *s, size_t n);

#endif
