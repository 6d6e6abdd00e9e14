/* wshead.h - pure checks of WebSocket handshake header values and of a
 * peer's close payload (RFC 6455 4.2.1, 5.5.1, 7.4), for what
 * libwebsockets 4.1.6 lets through (ws.c; docs/protocol.md, "What holds").
 * No allocation; callable from any thread; fuzzed by fuzz_net_wshead.
 */
#ifndef LOTSE_WSHEAD_H
#define LOTSE_WSHEAD_H

#include <stdbool.h>
#include <stddef.h>

/* Whether key is a Sec-WebSocket-Key: 24 characters of base64 that decode
 * to 16 bytes (22 of the alphabet A-Z a-z 0-9 + /, then "=="). */
bool wshead_key_ok(const char *key);

/* Whether the comma-separated header value list (e.g. Connection:
 * "keep-alive, Upgrade") has an element equal to token, ignoring case and
 * spaces or tabs around elements. */
bool wshead_has_token(const char *list, const char *token);

/* Whether the n bytes at v are one visible-ASCII token (0x21-0x7e only: no
 * NUL, no other control byte, no space), as an Origin must be to be
 * compared with the allow-list. */
bool wshead_visible(const char *v, size_t n);

/* Whether a close frame's payload (len bytes) may be echoed: empty, or a
 * status code of 1000-1003, 1007-1014 or 3000-4999 and an optional reason
 * (libwebsockets checks the reason's UTF-8 itself). */
bool wshead_close_ok(const unsigned char *payload, size_t len);

#endif
