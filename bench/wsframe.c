/* wsframe.c - RFC 6455 client handshake and framing for the load generator;
 * see wsframe.h. */
#include "wsframe.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sha1.h"

static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

void ws_make_key(const uint8_t nonce[16], char key[WS_KEY_LEN + 1])
{
	(void)base64_encode(nonce, 16, key, WS_KEY_LEN + 1);
}

int ws_request(char *out, size_t cap, const char *host_port, const char *path,
               const char *origin, const char *key)
{
	int n = snprintf(out, cap,
	                 "GET %s HTTP/1.1\r\n"
	                 "Host: %s\r\n"
	                 "Upgrade: websocket\r\n"
	                 "Connection: Upgrade\r\n"
	                 "Sec-WebSocket-Key: %s\r\n"
	                 "Sec-WebSocket-Version: 13\r\n"
	                 "%s%s%s"
	                 "\r\n",
	                 path, host_port, key, origin ? "Origin: " : "", origin ? origin : "",
	                 origin ? "\r\n" : "");

	return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* Finds header name (case-insensitive) in head[0..n) and returns its value
 * (leading blanks skipped) with its length in *vlen, or NULL. */
static const char *ws_header(const char *head, size_t n, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);
	const char *p = memchr(head, '\n', n), *end = head + n;

	while (p && p + 1 < end) {
		const char *line = p + 1, *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			return NULL;
		if ((size_t)(eol - line) > nl && line[nl] == ':' && !strncasecmp(line, name, nl)) {
			const char *v = line + nl + 1;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			*vlen = (size_t)(eol - v);
			while (*vlen && (v[*vlen - 1] == '\r' || v[*vlen - 1] == ' '))
				(*vlen)--;
			return v;
		}
		p = eol;
	}
	return NULL;
}

/* True if the comma-separated header value contains token (case-insensitive). */
static bool ws_has_token(const char *v, size_t vlen, const char *token)
{
	size_t tl = strlen(token);

	for (size_t i = 0; i + tl <= vlen; i++) {
		bool start = i == 0 || v[i - 1] == ',' || v[i - 1] == ' ';
		bool stop = i + tl == vlen || v[i + tl] == ',' || v[i + tl] == ' ';

		if (start && stop && !strncasecmp(v + i, token, tl))
			return true;
	}
	return false;
}

long ws_response_check(const uint8_t *buf, size_t n, const char *key, const char **err)
{
	const char *head = (const char *)buf, *v;
	const uint8_t *end = NULL;
	char joined[WS_KEY_LEN + sizeof(ws_guid)], want[32];
	uint8_t digest[SHA1_LEN];
	size_t vlen, hlen;

	for (size_t i = 0; i + 3 < n; i++)
		if (!memcmp(buf + i, "\r\n\r\n", 4)) {
			end = buf + i + 4;
			break;
		}
	if (!end)
		return n > 16384 ? (*err = "handshake response head longer than 16 KiB", -1) : 0;
	hlen = (size_t)(end - buf);
	if (hlen < 12 || memcmp(head, "HTTP/1.1 101", 12)) {
		*err = "handshake: status is not 101 Switching Protocols";
		return -1;
	}
	v = ws_header(head, hlen, "Upgrade", &vlen);
	if (!v || !ws_has_token(v, vlen, "websocket")) {
		*err = "handshake: no Upgrade: websocket";
		return -1;
	}
	v = ws_header(head, hlen, "Connection", &vlen);
	if (!v || !ws_has_token(v, vlen, "upgrade")) {
		*err = "handshake: no Connection: Upgrade";
		return -1;
	}
	/* RFC 6455 4.1: "If the response lacks a |Sec-WebSocket-Accept| header
	 * field or the |Sec-WebSocket-Accept| contains a value other than the
	 * base64-encoded SHA-1 of the concatenation of the |Sec-WebSocket-Key| (as
	 * a string, not base64-decoded) with the string
	 * "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" ... the client MUST _Fail the
	 * WebSocket Connection_." */
	memcpy(joined, key, WS_KEY_LEN);
	memcpy(joined + WS_KEY_LEN, ws_guid, sizeof(ws_guid) - 1);
	sha1(joined, WS_KEY_LEN + sizeof(ws_guid) - 1, digest);
	(void)base64_encode(digest, SHA1_LEN, want, sizeof(want));
	v = ws_header(head, hlen, "Sec-WebSocket-Accept", &vlen);
	if (!v || vlen != strlen(want) || memcmp(v, want, vlen)) {
		*err = "handshake: wrong or missing Sec-WebSocket-Accept";
		return -1;
	}
	return (long)hlen;
}

long ws_parse(const uint8_t *buf, size_t n, uint64_t max_payload, struct ws_frame *f,
              const char **err)
{
	size_t hdr = 2;
	uint64_t len;

	if (n < 2)
		return 0;
	if (buf[0] & 0x70) {
		*err = "frame: reserved bits set (no extension was negotiated)";
		return -1;
	}
	/* RFC 6455 5.1: "A client MUST close a connection if it detects a masked
	 * frame." */
	if (buf[1] & 0x80) {
		*err = "frame: masked frame from the server";
		return -1;
	}
	f->fin = buf[0] & 0x80;
	f->opcode = (enum ws_opcode)(buf[0] & 0x0f);
	len = buf[1] & 0x7f;
	if (len == 126) {
		if (n < 4)
			return 0;
		len = (uint64_t)buf[2] << 8 | buf[3];
		hdr = 4;
	} else if (len == 127) {
		if (n < 10)
			return 0;
		len = 0;
		for (int i = 0; i < 8; i++)
			len = len << 8 | buf[2 + i];
		if (len >> 63) {
			*err = "frame: 64-bit length with the most significant bit set";
			return -1;
		}
		hdr = 10;
	}
	switch (f->opcode) {
	case WS_CONT: case WS_TEXT: case WS_BINARY:
		break;
	case WS_CLOSE: case WS_PING: case WS_PONG:
		/* RFC 6455 5.5: "All control frames MUST have a payload length of
		 * 125 bytes or less and MUST NOT be fragmented." */
		if (len > 125 || !f->fin) {
			*err = "frame: control frame fragmented or longer than 125 bytes";
			return -1;
		}
		break;
	default:
		*err = "frame: reserved opcode";
		return -1;
	}
	if (len > max_payload) {
		*err = "frame: payload larger than the client's limit";
		return -1;
	}
	if (n - hdr < len)
		return 0;
	f->payload = buf + hdr;
	f->len = len;
	return (long)(hdr + len);
}

long ws_encode(uint8_t *out, size_t cap, enum ws_opcode op, const void *payload, size_t len,
               uint32_t mask)
{
	const uint8_t *p = payload;
	uint8_t m[4] = { (uint8_t)(mask >> 24), (uint8_t)(mask >> 16), (uint8_t)(mask >> 8),
	                 (uint8_t)mask };
	size_t hdr = 2;

	if (cap < WS_MAX_HEADER || len > cap - WS_MAX_HEADER)
		return -1;
	out[0] = (uint8_t)(0x80 | op);
	/* RFC 6455 5.3: "The masking key ... MUST be present if the mask bit is
	 * set to 1" and 5.1: "a client MUST mask all frames that it sends". */
	if (len < 126) {
		out[1] = (uint8_t)(0x80 | len);
	} else if (len < 65536) {
		out[1] = 0x80 | 126;
		out[2] = (uint8_t)(len >> 8);
		out[3] = (uint8_t)len;
		hdr = 4;
	} else {
		out[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			out[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
		hdr = 10;
	}
	memcpy(out + hdr, m, 4);
	hdr += 4;
	for (size_t i = 0; i < len; i++)
		out[hdr + i] = p[i] ^ m[i & 3];
	return (long)(hdr + len);
}
