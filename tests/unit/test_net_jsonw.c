/* test_net_jsonw.c - the direct JSON writer (src/net/jsonw.c): escaping of
 * every control character, quotes, backslash, non-ASCII and invalid UTF-8,
 * commas and nesting, failures; and every frame kind proto.c renders with
 * it, read back with jansson and compared, structure and bytes, with what
 * jansson itself prints for the expected object. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "net/jsonw.h"
#include "net/proto.h"

#define PREFIX 24

/* Writes one string value as the whole document; the caller frees. */
static char *one_string(const char *s)
{
	struct jsonw w;
	size_t len = 0;
	jsonw_init(&w, PREFIX, 4);   /* tiny: every string makes it grow */
	jsonw_str(&w, s);
	char *buf = jsonw_finish(&w, &len);
	CHECK(buf != NULL);
	if (!buf)
		return NULL;
	CHECK(strlen(buf + PREFIX) == len);
	memmove(buf, buf + PREFIX, len + 1);
	return buf;
}

static void check_string(const char *in, const char *expected)
{
	char *got = one_string(in);
	CHECK_STR(got, expected);
	free(got);
}

/* What jansson prints for the string s (as proto.c did before the writer). */
static char *jansson_string(const char *s)
{
	json_t *v = json_string(s);
	char *out = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(v);
	return out;
}

static void test_control_characters(void)
{
	static const char *const expected[0x20] = {
		NULL,      "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
		"\\b",     "\\t",     "\\n",     "\\u000B", "\\f",     "\\r",     "\\u000E", "\\u000F",
		"\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
		"\\u0018", "\\u0019", "\\u001A", "\\u001B", "\\u001C", "\\u001D", "\\u001E", "\\u001F",
	};
	for (int c = 1; c < 0x20; c++) {
		char in[4] = {'a', (char)c, 'b', 0};
		char want[16];
		snprintf(want, sizeof(want), "\"a%sb\"", expected[c]);
		check_string(in, want);
	}
	/* every ASCII character alone: the same bytes as jansson */
	for (int c = 1; c < 0x80; c++) {
		char in[2] = {(char)c, 0};
		char *got = one_string(in), *ref = jansson_string(in);
		CHECK_STR(got, ref);
		if (!got || !ref || strcmp(got, ref))
			fprintf(stderr, "  character 0x%02x\n", c);
		free(got);
		free(ref);
	}
}

static void test_strings(void)
{
	check_string("", "\"\"");
	check_string("plain text", "\"plain text\"");
	check_string("say \"hi\"", "\"say \\\"hi\\\"\"");
	check_string("a\\b", "\"a\\\\b\"");
	check_string("\\\"", "\"\\\\\\\"\"");
	check_string("/path/", "\"/path/\"");          /* '/' is not escaped */
	check_string("\x7f", "\"\x7f\"");               /* DEL is not a control character */
	/* non-ASCII stays as it is: 2, 3 and 4 bytes, RTL, U+2028, U+FFFF, U+10FFFF */
	check_string("Tschüss", "\"Tschüss\"");
	check_string("عرضان", "\"عرضان\"");
	check_string("Mo–Fr 7–16 Uhr", "\"Mo–Fr 7–16 Uhr\"");
	check_string("\xF0\x9F\x98\x80 x", "\"\xF0\x9F\x98\x80 x\"");
	check_string("\xE2\x80\xA8", "\"\xE2\x80\xA8\"");
	check_string("\xEF\xBF\xBF", "\"\xEF\xBF\xBF\"");
	check_string("\xF4\x8F\xBF\xBF", "\"\xF4\x8F\xBF\xBF\"");
	check_string("ü\n\"ا\"\t\\", "\"ü\\n\\\"ا\\\"\\t\\\\\"");
	/* not valid UTF-8: "" (as jansson's json_string refuses them) */
	static const char *const invalid[] = {
		"\xff",              "\xfe\xff",         "a\x80",          "\xC0\x80",
		"\xC1\xBF",          "\xE0\x80\x80",     "\xED\xA0\x80",   "\xED\xBF\xBF",
		"\xF4\x90\x80\x80",  "\xF5\x80\x80\x80", "\xE2\x82",       "x\xE2\x82",
		"\xF0\x9F\x98",      "ok \xC3",          "\xC3\x28",       "\"\\\x01\xff",
	};
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		check_string(invalid[i], "\"\"");
		json_t *v = json_string(invalid[i]);
		CHECK(v == NULL);   /* jansson agrees that it is invalid */
		json_decref(v);
	}
	/* a long string with escapes all along (grows the buffer many times) */
	size_t n = 5000;
	char *in = malloc(n + 1), *want = malloc(6 * n + 3);
	CHECK(in && want);
	if (!in || !want)
		goto out;
	size_t k = 0;
	want[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		in[i] = "a\"\x01\xC3\xBC"[i % 5];   /* a, ", U+0001, ü (two bytes) */
		const char *e = i % 5 == 1 ? "\\\"" : i % 5 == 2 ? "\\u0001" : NULL;
		if (e) {
			memcpy(want + k, e, strlen(e));
			k += strlen(e);
		} else {
			want[k++] = in[i];
		}
	}
	in[n] = 0;
	want[k++] = '"';
	want[k] = 0;
	check_string(in, want);
out:
	free(in);
	free(want);
}

/* True if the writer kept s (rather than writing ""). */
static bool kept(const char *s)
{
	char *got = one_string(s);
	bool k = got && strcmp(got, "\"\"") != 0;
	free(got);
	return k;
}

/* The writer's UTF-8 check against jansson's on every sequence of two
 * bytes, every lead byte from 0x80 with every second byte before two
 * continuation-or-not bytes, and the edges of the 4-byte range. */
static void test_utf8_like_jansson(void)
{
	static const unsigned char tails[] = {0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0};
	int mismatches = 0;
	for (int a = 0x80; a < 0x100; a++) {
		for (int b = 1; b < 0x100; b++) {
			for (size_t t = 0; t <= sizeof(tails); t++) {
				for (size_t u = 0; u <= sizeof(tails); u++) {
					char in[5] = {(char)a, (char)b, 0, 0, 0};
					if (t < sizeof(tails))
						in[2] = (char)tails[t];
					if (t < sizeof(tails) && u < sizeof(tails))
						in[3] = (char)tails[u];
					json_t *v = json_string(in);
					if (kept(in) != (v != NULL) && mismatches++ < 5)
						fprintf(stderr, "  UTF-8 check differs for %02x %02x %02x %02x\n", a, b,
						        (unsigned char)in[2], (unsigned char)in[3]);
					json_decref(v);
				}
			}
		}
	}
	CHECK(mismatches == 0);
}

static char *finish_text(struct jsonw *w)
{
	size_t len = 0;
	char *buf = jsonw_finish(w, &len);
	if (!buf)
		return NULL;
	memmove(buf, buf + PREFIX, len + 1);
	return buf;
}

static void test_structure(void)
{
	struct jsonw w;
	jsonw_init(&w, PREFIX, 8);
	memset(w.buf, 'P', PREFIX);
	jsonw_obj_open(&w);
	jsonw_key(&w, "a");
	jsonw_arr_open(&w);
	jsonw_arr_close(&w);
	jsonw_key(&w, "b");
	jsonw_arr_open(&w);
	jsonw_null(&w);
	jsonw_bool(&w, true);
	jsonw_str(&w, NULL);
	jsonw_obj_open(&w);
	jsonw_obj_close(&w);
	jsonw_obj_open(&w);
	jsonw_key(&w, "k\"");
	jsonw_bool(&w, false);
	jsonw_obj_close(&w);
	jsonw_arr_close(&w);
	jsonw_key(&w, "c");
	jsonw_str(&w, "");
	jsonw_obj_close(&w);
	size_t len = 0;
	char *buf = jsonw_finish(&w, &len);
	CHECK(buf != NULL);
	if (buf) {
		static const char want[] = "{\"a\":[],\"b\":[null,true,null,{},{\"k\\\"\":false}],\"c\":\"\"}";
		CHECK(len == strlen(want));
		CHECK_STR(buf + PREFIX, want);
		CHECK(memcmp(buf, "PPPPPPPPPPPPPPPPPPPPPPPP", PREFIX) == 0);   /* prefix untouched */
	}
	free(buf);

	/* failures: nothing written, unbalanced, a key outside an object, a
	 * key without a value, too deep */
	jsonw_init(&w, PREFIX, 8);
	CHECK(finish_text(&w) == NULL);
	jsonw_init(&w, PREFIX, 8);
	jsonw_obj_open(&w);
	CHECK(finish_text(&w) == NULL);
	jsonw_init(&w, PREFIX, 8);
	jsonw_arr_close(&w);
	CHECK(finish_text(&w) == NULL);
	jsonw_init(&w, PREFIX, 8);
	jsonw_key(&w, "x");
	CHECK(finish_text(&w) == NULL);
	jsonw_init(&w, PREFIX, 8);
	jsonw_obj_open(&w);
	jsonw_key(&w, "x");
	jsonw_obj_close(&w);
	CHECK(finish_text(&w) == NULL);
	jsonw_init(&w, PREFIX, 8);
	for (int i = 0; i <= JSONW_MAX_DEPTH; i++)
		jsonw_arr_open(&w);
	for (int i = 0; i <= JSONW_MAX_DEPTH; i++)
		jsonw_arr_close(&w);
	CHECK(finish_text(&w) == NULL);
	/* the deepest allowed nesting works */
	jsonw_init(&w, PREFIX, 8);
	for (int i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_arr_open(&w);
	for (int i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_arr_close(&w);
	char *deep = finish_text(&w);
	CHECK_STR(deep, "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]");
	free(deep);
	/* a scalar document */
	jsonw_init(&w, 0, 0);
	jsonw_bool(&w, false);
	buf = jsonw_finish(&w, &len);
	CHECK_STR(buf, "false");
	free(buf);
	jsonw_init(&w, 0, 0);
	jsonw_free(&w);   /* abandoning a writer frees it */
}

/* ---- every frame kind, read back with jansson ---- */

/* Parses the frame and compares it with expected (consumed): the same
 * structure (json_equal), and the same bytes as jansson's own compact dump
 * of expected (json_pack keeps insertion order). */
static void check_frame(struct proto_frame *f, size_t head, json_t *expected)
{
	CHECK(f != NULL && expected != NULL);
	if (!f || !expected)
		goto out;
	CHECK(f->head == head);
	CHECK(f->next == NULL);
	const char *text = f->data + f->head;
	CHECK(strlen(text) == f->len);
	json_error_t err;
	json_t *got = json_loadb(text, f->len, JSON_REJECT_DUPLICATES, &err);
	CHECK(got != NULL);
	if (!got)
		fprintf(stderr, "  %d:%d: %s\n  in %s\n", err.line, err.column, err.text, text);
	CHECK(json_equal(got, expected));
	char *ref = json_dumps(expected, JSON_COMPACT);
	CHECK_STR(text, ref);
	free(ref);
	json_decref(got);
out:
	json_decref(expected);
	free(f);
}

static void test_frames(void)
{
	static const char *langs[] = {"uk", "ps", "zz"};
	struct offer of[2];
	struct contact ct;
	struct talk_step st;
	memset(of, 0, sizeof of);
	memset(&ct, 0, sizeof ct);
	memset(&st, 0, sizeof st);
	of[0].id = "kurs-1";
	of[0].district = "Nord\tOst";
	of[0].address = "Weg \"3\"";
	of[0].phone = "0340 1";
	of[0].web = "https://example.org/a?b=c&d=\\e";
	of[0].langs = langs;
	of[0].nlangs = 3;
	of[1].id = "kurs-2";
	of[1].address = "\xC0\x80";   /* invalid: "" */
	ct.name.msgid = "Büro (msgid)";
	ct.phone = "+49 1";
	ct.hours.msgid = "Mo\n9-12";
	st.tenant = "testamt";
	st.lang = "ps";
	st.dir = "rtl";
	st.flow = "main";
	st.node = "results";
	st.kind = NODE_OFFERS;
	st.text = "\x01\x1f \"پښتو\" \\";
	st.choices[0].id = "a";
	st.choices[0].label = "A\r\n";
	st.choices[1].id = "b";   /* no label: "" */
	st.nchoices = 2;
	st.offers[0] = (struct talk_offer_out){&of[0], "Kurs", "Beschreibung\u00e4", "Mo", "0 €", 3};
	st.offers[1] = (struct talk_offer_out){&of[1], "Zwei", NULL, NULL, "\xE0\x80\x80", 1};
	st.noffers = 2;
	st.offers_count_text = "2 وړاندیزونه";
	st.contact = &ct;   /* contact_name and contact_hours NULL: the msgids */
	st.can_back = true;
	st.terminal = true;
	json_t *lang_list = json_pack(
		"[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "code", "uk", "autonym", "Українська", "code", "ps",
		"autonym", "پښتو", "code", "zz", "autonym", "zz");
	json_t *offer0 = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:n,s:s,s:O,s:s,s:b}", "id", "kurs-1", "title", "Kurs",
		"description", "Beschreibungä", "district", "Nord\tOst", "address", "Weg \"3\"", "hours",
		"Mo", "phone", "0340 1", "email", "web", "https://example.org/a?b=c&d=\\e", "languages",
		lang_list, "cost", "0 €", "sample", 0);
	json_t *offer1 = json_pack(
		"{s:s,s:s,s:n,s:n,s:s,s:n,s:n,s:n,s:n,s:[],s:s,s:b}", "id", "kurs-2", "title", "Zwei",
		"description", "district", "address", "", "hours", "phone", "email", "web", "languages",
		"cost", "", "sample", 0);
	json_t *want = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s},{s:s,s:s}],s:[o,o],s:s,"
		"s:{s:s,s:n,s:n,s:s,s:n,s:n,s:s},s:b,s:b,s:s}",
		"type", "step", "tenant", "testamt", "lang", "ps", "dir", "rtl", "flow", "main", "node",
		"results", "kind", "offers", "text", "\x01\x1f \"پښتو\" \\", "choices", "id", "a", "label",
		"A\r\n", "id", "b", "label", "", "offers", offer0, offer1, "offers_text", "2 وړاندیزونه",
		"contact", "name", "Büro (msgid)", "person", "address", "phone", "+49 1", "email", "web",
		"hours", "Mo\n9-12", "can_back", 1, "terminal", 1, "token",
		"0123456789abcdef0123456789abcdef");
	json_decref(lang_list);
	check_frame(proto_render_step(&st, "0123456789abcdef0123456789abcdef", 16), 16, want);

	/* a step without offers, contact or token (null) */
	memset(&st, 0, sizeof st);
	st.tenant = "t";
	st.lang = "de";
	st.flow = "f";
	st.node = "n";
	st.kind = NODE_SAY;
	st.choices[0].id = "next";
	st.choices[0].label = "Weiter";
	st.nchoices = 1;
	st.offers_count_text = "not sent for a say step";
	want = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s}],s:[],s:n,s:n,s:b,s:b,s:n}",
	                 "type", "step", "tenant", "t", "lang", "de", "dir", "ltr", "flow", "f", "node",
	                 "n", "kind", "say", "text", "", "choices", "id", "next", "label", "Weiter",
	                 "offers", "offers_text", "contact", "can_back", 0, "terminal", 0, "token");
	check_frame(proto_render_step(&st, NULL, 0), 0, want);

	/* tenants */
	static const char *const tl[] = {"de", "ar"};
	static const char *const tn[] = {NULL, "مكتب \"أ\""};   /* no German translation */
	struct proto_tenant t[2] = {{"a-amt", "Amt \"A\"", "de", true, tl, tn, 2},
	                            {"b", "\xff", "ar", false, tl + 1, NULL, 1}};
	want = json_pack("{s:s,s:[{s:s,s:s,s:s,s:b,s:[{s:s,s:s,s:s},{s:s,s:s,s:s}],s:{s:s}},"
	                 "{s:s,s:s,s:s,s:b,s:[{s:s,s:s,s:s}],s:{}}]}",
	                 "type", "tenants", "tenants", "id", "a-amt", "name", "Amt \"A\"",
	                 "default_lang", "de", "sample", 1, "languages", "code", "de", "autonym",
	                 "Deutsch", "dir", "ltr", "code", "ar", "autonym", "العربية", "dir", "rtl",
	                 "names", "ar", "مكتب \"أ\"",
	                 "id", "b", "name", "", "default_lang", "ar", "sample", 0, "languages", "code",
	                 "ar", "autonym", "العربية", "dir", "rtl", "names");
	check_frame(proto_render_tenants(t, 2, 4), 4, want);
	want = json_pack("{s:s,s:[]}", "type", "tenants", "tenants");
	check_frame(proto_render_tenants(NULL, 0, 0), 0, want);

	/* error (a NULL message is "") */
	want = json_pack("{s:s,s:s,s:s}", "type", "error", "code", "bad_json", "message",
	                 "Nachricht \"x\"\n");
	check_frame(proto_render_error(PROTO_E_BAD_JSON, "Nachricht \"x\"\n", 8), 8, want);
	want = json_pack("{s:s,s:s,s:s}", "type", "error", "code", "busy", "message", "");
	check_frame(proto_render_error(PROTO_E_BUSY, NULL, 0), 0, want);

	/* forgotten */
	want = json_pack("{s:s}", "type", "forgotten");
	check_frame(proto_render_forgotten(16), 16, want);

	/* answer: the query as asked (escaped), offers as in a step */
	struct talk_offer_out oo = {&of[1], "Zwei", "D", "H", "C", 1};
	want = json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:n,s:s,s:s,s:n,s:n,s:n,s:[],s:s,s:b}]}",
	                 "type", "answer", "query", "\"Deutsch\\kurs\"\x02", "text", "1 Angebot",
	                 "offers", "id", "kurs-2", "title", "Zwei", "description", "D", "district",
	                 "address", "", "hours", "H", "phone", "email", "web", "languages", "cost",
	                 "C", "sample", 0);
	check_frame(proto_render_answer("\"Deutsch\\kurs\"\x02", "1 Angebot", &oo, 1, 0), 0, want);
	want = json_pack("{s:s,s:s,s:s,s:[]}", "type", "answer", "query", "", "text", "", "offers");
	check_frame(proto_render_answer(NULL, NULL, NULL, 0, 0), 0, want);
}

int main(void)
{
	test_control_characters();
	test_strings();
	test_utf8_like_jansson();
	test_structure();
	test_frames();
	CHECK_DONE();
}
