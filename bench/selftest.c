/* selftest.c - known-answer checks of the load generator's protocol code;
 * see selftest.h. */
#include "selftest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "jscan.h"
#include "sha1.h"
#include "wsframe.h"

static int failures;

#define EXPECT(cond) expect((cond), #cond, __LINE__)

static void expect(int ok, const char *what, int line)
{
	if (!ok) {
		fprintf(stderr, "selftest.c:%d: failed: %s\n", line, what);
		failures++;
	}
}

static void test_sha1(void)
{
	uint8_t d[SHA1_LEN];
	char b[64];

	sha1("abc", 3, d);
	EXPECT(base64_encode(d, SHA1_LEN, b, sizeof(b)) == 28);
	EXPECT(!strcmp(b, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="));   /* FIPS 180 "abc" */
	/* 56 bytes: padding spills into a second block */
	sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	EXPECT(d[0] == 0x84 && d[1] == 0x98 && d[19] == 0xf1);
	EXPECT(base64_encode((const uint8_t *)"fo", 2, b, sizeof(b)) == 4 && !strcmp(b, "Zm8="));
	EXPECT(base64_encode((const uint8_t *)"f", 1, b, 4) == -1);
}

static void test_handshake(void)
{
	/* RFC 6455 1.3's example key and answer */
	static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==";
	static const char ok[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	                         "Connection: Upgrade\r\n"
	                         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x00";
	static const char bad[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	                          "Connection: upgrade\r\n"
	                          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOX=\r\n\r\n";
	static const char forbidden[] = "HTTP/1.1 403 Forbidden\r\n\r\n";
	const char *err = NULL;
	char req[512];

	EXPECT(ws_response_check((const uint8_t *)ok, sizeof(ok) - 1, key, &err) ==
	       (long)sizeof(ok) - 3);
	EXPECT(ws_response_check((const uint8_t *)ok, 40, key, &err) == 0);
	EXPECT(ws_response_check((const uint8_t *)bad, sizeof(bad) - 1, key, &err) == -1);
	EXPECT(err && strstr(err, "Sec-WebSocket-Accept"));
	EXPECT(ws_response_check((const uint8_t *)forbidden, sizeof(forbidden) - 1, key, &err) ==
	       -1);
	EXPECT(ws_request(req, sizeof(req), "127.0.0.1:1", "/", "http://x", key) > 0);
	EXPECT(strstr(req, "\r\nOrigin: http://x\r\n") && strstr(req, "Sec-WebSocket-Version: 13"));
	EXPECT(ws_request(req, 20, "127.0.0.1:1", "/", NULL, key) == -1);
}

/* Builds an unmasked server frame with a payload of n bytes 'a'+i%26;
 * returns its length. */
static size_t server_frame(uint8_t *out, uint8_t op, size_t n)
{
	size_t h = 2;

	out[0] = (uint8_t)(0x80 | op);
	if (n < 126) {
		out[1] = (uint8_t)n;
	} else if (n < 65536) {
		out[1] = 126, out[2] = (uint8_t)(n >> 8), out[3] = (uint8_t)n, h = 4;
	} else {
		out[1] = 127;
		for (int i = 0; i < 8; i++)
			out[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
		h = 10;
	}
	for (size_t i = 0; i < n; i++)
		out[h + i] = (uint8_t)('a' + i % 26);
	return h + n;
}

static void test_parse(void)
{
	static const size_t sizes[] = { 0, 125, 126, 65535, 65536, 70000 };
	uint8_t *buf = malloc(70100);
	const char *err = NULL;
	struct ws_frame f;

	if (!buf) {
		EXPECT(!"out of memory");
		return;
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = server_frame(buf, WS_TEXT, sizes[i]);

		EXPECT(ws_parse(buf, n, 1 << 20, &f, &err) == (long)n);
		EXPECT(f.fin && f.opcode == WS_TEXT && f.len == sizes[i]);
		EXPECT(sizes[i] == 0 || (f.payload[0] == 'a' && f.payload[sizes[i] - 1] ==
		                         'a' + (sizes[i] - 1) % 26));
		EXPECT(ws_parse(buf, n - 1, 1 << 20, &f, &err) == 0);   /* incomplete */
	}
	EXPECT(ws_parse(buf, 3, 1 << 20, &f, &err) == 0);          /* 64-bit length cut */
	server_frame(buf, WS_TEXT, 5);
	buf[1] |= 0x80;                                            /* masked by the server */
	EXPECT(ws_parse(buf, 7, 1 << 20, &f, &err) == -1);
	server_frame(buf, 0x3, 1);                                 /* reserved opcode */
	EXPECT(ws_parse(buf, 3, 1 << 20, &f, &err) == -1);
	server_frame(buf, WS_PING, 126);                           /* control frame > 125 */
	EXPECT(ws_parse(buf, 130, 1 << 20, &f, &err) == -1);
	server_frame(buf, WS_TEXT, 200);
	EXPECT(ws_parse(buf, 204, 100, &f, &err) == -1);           /* over the limit */
	buf[0] = 0x01 | 0x40;                                      /* RSV1 */
	EXPECT(ws_parse(buf, 204, 1 << 20, &f, &err) == -1);
	free(buf);
}

static void test_encode(void)
{
	uint8_t out[70100], payload[70000];
	long n;

	memset(payload, 'z', sizeof(payload));
	n = ws_encode(out, sizeof(out), WS_TEXT, "Hello", 5, 0x37fa213d);
	/* RFC 6455 5.7: a masked "Hello" */
	EXPECT(n == 11 && !memcmp(out, "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11));
	n = ws_encode(out, sizeof(out), WS_TEXT, payload, 126, 0);
	EXPECT(n == 4 + 4 + 126 && out[1] == (0x80 | 126) && out[2] == 0 && out[3] == 126);
	n = ws_encode(out, sizeof(out), WS_BINARY, payload, 65536, 0);
	EXPECT(n == 10 + 4 + 65536 && out[1] == (0x80 | 127) && out[7] == 1 && out[8] == 0);
	EXPECT(ws_encode(out, 20, WS_TEXT, payload, 10, 0) == -1);
}

static void test_jscan(void)
{
	static const char step[] =
		"{\"type\":\"step\",\"text\":\"Wie alt? \\\"3\\\" \\u00e4\",\"n\":-1.5e3,"
		"\"choices\":[{\"id\":\"under_3\",\"label\":\"unter 3\"},{\"label\":\"x\",\"id\":\"a-b\"}],"
		"\"offers\":[{\"id\":\"not-a-choice\"}],\"terminal\":false,\"x\":[null,true,{}]}";
	static const char *const bad[] = {
		"", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":tru}", "{\"a\":\"\\x\"}",
		"{\"a\":01}", "{\"a\":1} x", "{\"a\":\"\x01\"}", "{\"a\":1.}", "{\"a\" 1}",
	};
	struct jscan_frame jf;
	const char *err = NULL;

	EXPECT(jscan_frame(step, sizeof(step) - 1, &jf, &err) == 0);
	EXPECT(!strcmp(jf.type, "step") && jf.terminal == 0 && jf.nids == 2);
	EXPECT(!strcmp(jf.ids[0], "under_3") && !strcmp(jf.ids[1], "a-b"));
	EXPECT(jscan_frame("{\"type\":\"step\",\"terminal\":true,\"choices\":[]}", 44, &jf,
	                   &err) == 0 && jf.terminal == 1 && jf.nids == 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		EXPECT(jscan_frame(bad[i], strlen(bad[i]), &jf, &err) == -1 && err);
	}
}

static void test_hist(void)
{
	static struct hist h;

	hist_reset(&h);
	for (uint64_t v = 1; v <= 1000; v++)
		hist_add(&h, v * 1000);                /* 1..1000 us */
	EXPECT(h.n == 1000 && h.min == 1000 && h.max == 1000000);
	/* the 500th sample is 500000; its bucket's upper edge is < 0.8 % above */
	EXPECT(hist_quantile(&h, 0.5) >= 500000 && hist_quantile(&h, 0.5) < 504000);
	EXPECT(hist_quantile(&h, 0.99) >= 990000 && hist_quantile(&h, 0.99) < 998000);
	EXPECT(hist_quantile(&h, 1.0) == 1000000);
	EXPECT(hist_quantile(&h, 0.0) >= 1000 && hist_quantile(&h, 0.0) < 1008);
	hist_reset(&h);
	hist_add(&h, 7);
	EXPECT(hist_quantile(&h, 0.999) == 7);
	hist_add(&h, UINT64_MAX);
	EXPECT(hist_quantile(&h, 1.0) == UINT64_MAX);
}

int load_self_test(void)
{
	failures = 0;
	test_sha1();
	test_handshake();
	test_parse();
	test_encode();
	test_jscan();
	test_hist();
	if (!failures)
		printf("lotse-bench-load: self-test passed\n");
	return failures;
}
