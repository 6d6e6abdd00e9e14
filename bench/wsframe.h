/* wsframe.h - the client side of RFC 6455, hand-written for the load
 * generator: the opening handshake (request, Sec-WebSocket-Accept check) and
 * frames (masked client frames out, unmasked server frames in, 7/16/64-bit
 * lengths). Pure functions on buffers: no sockets, no allocation.
 */
#ifndef LOTSE_BENCH_WSFRAME_H
#define LOTSE_BENCH_WSFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ws_opcode {
	WS_CONT = 0x0, WS_TEXT = 0x1, WS_BINARY = 0x2,
	WS_CLOSE = 0x8, WS_PING = 0x9, WS_PONG = 0xA,
};

#define WS_KEY_LEN 24        /* base64 of 16 random bytes */
#define WS_MAX_HEADER 14     /* 2 + 8 (64-bit length) + 4 (mask) */

struct ws_frame {
	bool fin;
	enum ws_opcode opcode;
	const uint8_t *payload;  /* points into the parsed buffer */
	uint64_t len;
};

/* Makes a Sec-WebSocket-Key from 16 random bytes (nonce) into key (NUL
 * terminated, WS_KEY_LEN + 1 bytes). */
void ws_make_key(const uint8_t nonce[16], char key[WS_KEY_LEN + 1]);

/* Writes the client's opening handshake into out (cap bytes). host_port is
 * the Host header ("127.0.0.1:8081"), origin may be NULL. Returns the length,
 * or -1 if it does not fit. */
int ws_request(char *out, size_t cap, const char *host_port, const char *path,
               const char *origin, const char *key);

/* Checks the server's handshake response in buf[0..n): status 101, Upgrade:
 * websocket, Connection: Upgrade, and Sec-WebSocket-Accept for key.
 * Returns the length of the response head (bytes to consume; frames may
 * follow), 0 if the head is incomplete, -1 if it is wrong (*err says why). */
long ws_response_check(const uint8_t *buf, size_t n, const char *key, const char **err);

/* Parses one server frame at buf[0..n). Server frames MUST NOT be masked
 * (RFC 6455 5.1); payloads above max_payload, reserved bits and opcodes,
 * and control frames that are fragmented or longer than 125 bytes are
 * errors. Returns the frame's total length (payload in *f points into buf),
 * 0 if incomplete, -1 on a protocol error (*err says why). */
long ws_parse(const uint8_t *buf, size_t n, uint64_t max_payload, struct ws_frame *f,
              const char **err);

/* Writes a masked client frame (FIN set) with the given payload into out
 * (cap bytes). Returns its length, or -1 if it does not fit. */
long ws_encode(uint8_t *out, size_t cap, enum ws_opcode op, const void *payload, size_t len,
               uint32_t mask);

#endif
