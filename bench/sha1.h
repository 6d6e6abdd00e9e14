/* sha1.h - SHA-1 and base64, just enough for the WebSocket handshake.
 *
 * RFC 6455 4.2.2: Sec-WebSocket-Accept is base64(SHA-1(key + GUID)). The load
 * generator checks it like a real client; SHA-1 is used for nothing else.
 */
#ifndef LOTSE_BENCH_SHA1_H
#define LOTSE_BENCH_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20

/* Computes the SHA-1 digest of data[0..len) into out. */
void sha1(const void *data, size_t len, uint8_t out[SHA1_LEN]);
/* Writes base64 of in[0..len) plus a NUL into out (cap bytes). Returns the
 * length written (without the NUL) or -1 if out is too small. */
int base64_encode(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
