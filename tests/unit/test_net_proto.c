/* test_net_proto.c - parsing client frames and rendering server frames
 * (src/net/proto.c) without sockets: exact JSON text in and out. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "content/messages.h"
#include "net/proto.h"

static enum proto_err parse(const char *s, struct proto_msg *m, char *detail, size_t n)
{
	return proto_parse(s, strlen(s), m, detail, n);
}

static void test_parse_ok(void)
{
	struct proto_msg m;
	char d[160];
	CHECK(parse("{\"type\":\"start\",\"tenant\":\"testamt\",\"lang\":\"ar\"}", &m, d, sizeof d) ==
	      PROTO_E_NONE);
	CHECK(m.type == PROTO_START);
	CHECK_STR(m.tenant, "testamt");
	CHECK_STR(m.lang, "ar");
	CHECK(m.choice == NULL);
	proto_msg_free(&m);

	CHECK(parse("{\"type\":\"start\"}", &m, d, sizeof d) == PROTO_E_NONE);
	CHECK(m.tenant == NULL && m.lang == NULL);
	proto_msg_free(&m);

	CHECK(parse(" {\"choice\":\"child\", \"type\":\"choose\", \"extra\": [1,2]} ", &m, d, sizeof d) ==
	      PROTO_E_NONE);
	CHECK(m.type == PROTO_CHOOSE);
	CHECK_STR(m.choice, "child");
	proto_msg_free(&m);

	static const struct {
		const char *json;
		enum proto_type type;
	} simple[] = {
		{"{\"type\":\"back\"}", PROTO_BACK},
		{"{\"type\":\"restart\"}", PROTO_RESTART},
		{"{\"type\":\"tenants\"}", PROTO_TENANTS},
		{"{\"type\":\"language\",\"lang\":\"en\"}", PROTO_LANGUAGE},
		{"{\"type\":\"ask\",\"text\":\"Deutschkurs\"}", PROTO_ASK},
		{"{\"type\":\"resume\",\"token\":\"00ff\"}", PROTO_RESUME},
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		CHECK(parse(simple[i].json, &m, d, sizeof d) == PROTO_E_NONE);
		CHECK(m.type == simple[i].type);
		proto_msg_free(&m);
	}
	CHECK(parse("{\"type\":\"ask\",\"text\":\"K\\u00fcrbis \\u0627\"}", &m, d, sizeof d) ==
	      PROTO_E_NONE);
	CHECK_STR(m.text, "Kürbis ا");
	proto_msg_free(&m);

	/* the page's events and the kiosk's name in start */
	static const char *const whats[] = {"print", "qr", "read_aloud", "helped", "not_helped",
	                                    "nothing_fits"};
	for (size_t i = 0; i < sizeof(whats) / sizeof(whats[0]); i++) {
		char json[96];
		snprintf(json, sizeof json, "{\"type\":\"event\",\"what\":\"%s\"}", whats[i]);
		CHECK(parse(json, &m, d, sizeof d) == PROTO_E_NONE);
		CHECK(m.type == PROTO_EVENT);
		CHECK_STR(m.what, whats[i]);
		proto_msg_free(&m);
	}
	CHECK(parse("{\"type\":\"start\",\"kiosk\":\"foyer-1\"}", &m, d, sizeof d) == PROTO_E_NONE);
	CHECK_STR(m.kiosk, "foyer-1");
	proto_msg_free(&m);
}

static void test_parse_errors(void)
{
	struct proto_msg m;
	char d[160];
	CHECK(parse("", &m, d, sizeof d) == PROTO_E_BAD_JSON);
	CHECK(m.json == NULL);
	CHECK(parse("{\"type\":\"start\"", &m, d, sizeof d) == PROTO_E_BAD_JSON);
	CHECK(strstr(d, "1:") == d);  /* positioned: line:column: text */
	CHECK(parse("[\"start\"]", &m, d, sizeof d) == PROTO_E_BAD_JSON);
	CHECK_STR(d, "not a JSON object");
	CHECK(parse("\"start\"", &m, d, sizeof d) == PROTO_E_BAD_JSON);
	CHECK(parse("{\"type\":\"start\",\"type\":\"back\"}", &m, d, sizeof d) == PROTO_E_BAD_JSON);
	CHECK(parse("{\"type\":\"ask\",\"text\":\"a\\u0000b\"}", &m, d, sizeof d) == PROTO_E_BAD_JSON);
	CHECK(parse("{\"type\":\"start\"} {}", &m, d, sizeof d) == PROTO_E_BAD_JSON);
	/* embedded NUL byte in the frame itself */
	CHECK(proto_parse("{\"type\":\"back\"}\0x", 17, &m, d, sizeof d) == PROTO_E_BAD_JSON);
	CHECK(parse("{\"type\":\"fly\"}", &m, d, sizeof d) == PROTO_E_UNKNOWN_TYPE);
	CHECK_STR(d, "unknown type \"fly\"");
	CHECK(parse("{}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK_STR(d, "field \"type\" is missing");
	CHECK(parse("{\"type\":7}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK_STR(d, "field \"type\" is not a string");
	CHECK(parse("{\"type\":\"choose\"}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK_STR(d, "field \"choice\" is missing");
	CHECK(parse("{\"type\":\"choose\",\"choice\":3}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK_STR(d, "field \"choice\" is not a string");
	CHECK(parse("{\"type\":\"start\",\"tenant\":null}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK(parse("{\"type\":\"language\"}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK(parse("{\"type\":\"ask\"}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK(parse("{\"type\":\"resume\"}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK(parse("{\"type\":\"event\"}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK_STR(d, "field \"what\" is missing");
	CHECK(parse("{\"type\":\"event\",\"what\":\"dance\"}", &m, d, sizeof d) == PROTO_E_UNKNOWN_EVENT);
	CHECK_STR(d, "unknown event \"dance\"");
	CHECK(parse("{\"type\":\"event\",\"what\":\"Print\"}", &m, d, sizeof d) == PROTO_E_UNKNOWN_EVENT);
	CHECK(parse("{\"type\":\"start\",\"kiosk\":5}", &m, d, sizeof d) == PROTO_E_MISSING_FIELD);
	CHECK(m.json == NULL && m.choice == NULL);
	proto_msg_free(&m);  /* safe on the zeroed struct */
}

static void test_codes(void)
{
	CHECK_STR(proto_err_code(PROTO_E_BAD_JSON), "bad_json");
	CHECK_STR(proto_err_code(PROTO_E_UNKNOWN_TYPE), "unknown_type");
	CHECK_STR(proto_err_code(PROTO_E_MISSING_FIELD), "missing_field");
	CHECK_STR(proto_err_code(PROTO_E_UNKNOWN_CHOICE), "unknown_choice");
	CHECK_STR(proto_err_code(PROTO_E_UNKNOWN_TENANT), "unknown_tenant");
	CHECK_STR(proto_err_code(PROTO_E_UNKNOWN_LANGUAGE), "unknown_language");
	CHECK_STR(proto_err_code(PROTO_E_CANNOT_BACK), "cannot_back");
	CHECK_STR(proto_err_code(PROTO_E_NO_SESSION), "no_session");
	CHECK_STR(proto_err_code(PROTO_E_BAD_TOKEN), "bad_token");
	CHECK_STR(proto_err_code(PROTO_E_BROKEN_FLOW), "broken_flow");
	CHECK_STR(proto_err_code(PROTO_E_UNKNOWN_EVENT), "unknown_event");
	CHECK_STR(proto_err_msgid(PROTO_E_UNKNOWN_EVENT), "Diese Art von Nachricht kennen wir nicht.");
	CHECK(proto_err_from_talk(TALK_ERR_UNKNOWN_CHOICE) == PROTO_E_UNKNOWN_CHOICE);
	CHECK(proto_err_from_talk(TALK_ERR_UNKNOWN_LANG) == PROTO_E_UNKNOWN_LANGUAGE);
	CHECK(proto_err_from_talk(TALK_ERR_BAD_STATE) == PROTO_E_BAD_TOKEN);
	CHECK(proto_err_from_talk(TALK_OK) == PROTO_E_NONE);
	CHECK_STR(proto_err_msgid(PROTO_E_BAD_JSON), "Die Nachricht konnte nicht gelesen werden.");
	CHECK(proto_err_msgid(PROTO_E_UNKNOWN_CHOICE) == NULL);  /* the engine's message */
	/* Every message the protocol can show is in the program's text table,
	 * so `lotse extract` puts it into the template. */
	for (int e = 0; e < PROTO_E_COUNT; e++) {
		const char *id = proto_err_msgid((enum proto_err)e);
		bool listed = id == NULL;
		for (const struct ui_msg *m = ui_messages; id && m->msgid; m++)
			listed |= strcmp(m->msgid, id) == 0;
		CHECK(listed);
	}
}

static char *text_of(struct proto_frame *f, size_t head)
{
	CHECK(f != NULL);
	if (!f)
		return NULL;
	CHECK(f->head == head);
	CHECK(strlen(f->data + f->head) == f->len);
	return f->data + f->head;
}

static void test_render_step(void)
{
	static const char *langs[] = {"de", "ar"};
	struct offer of;
	struct contact ct;
	struct talk_step st;
	memset(&of, 0, sizeof of);
	memset(&ct, 0, sizeof ct);
	memset(&st, 0, sizeof st);
	of.id = "krippe";
	of.district = "Mitte";
	of.address = "Sonnenweg 2";
	of.phone = "+49 30 1";
	of.langs = langs;
	of.nlangs = 2;
	of.sample = true;
	ct.person = "Frau Muster";
	ct.address = "Teststraße 1";
	ct.email = "a@example.org";
	st.tenant = "testamt";
	st.lang = "ar";
	st.dir = "rtl";
	st.flow = "main";
	st.node = "results";
	st.kind = NODE_OFFERS;
	st.text = "نص \"x\"";
	st.choices[0].id = "person";
	st.choices[0].label = "Talk";
	st.nchoices = 1;
	st.offers[0].offer = &of;
	st.offers[0].title = "Krippe";
	st.offers[0].description = "D";
	st.offers[0].hours = "Mo";
	st.offers[0].cost = "\xff\xfe";  /* invalid UTF-8 is sent as "" */
	st.noffers = 1;
	st.offers_count_text = "1 offer";
	st.contact = &ct;
	st.contact_name = "Büro";
	st.contact_hours = "9-12";
	st.can_back = true;
	struct proto_frame *f = proto_render_step(&st, "0123456789abcdef0123456789abcdef", 16);
	CHECK_STR(text_of(f, 16),
	          "{\"type\":\"step\",\"tenant\":\"testamt\",\"lang\":\"ar\",\"dir\":\"rtl\","
	          "\"flow\":\"main\",\"node\":\"results\",\"kind\":\"offers\",\"text\":\"نص \\\"x\\\"\","
	          "\"choices\":[{\"id\":\"person\",\"label\":\"Talk\"}],"
	          "\"offers\":[{\"id\":\"krippe\",\"title\":\"Krippe\",\"description\":\"D\","
	          "\"district\":\"Mitte\",\"address\":\"Sonnenweg 2\",\"hours\":\"Mo\","
	          "\"phone\":\"+49 30 1\",\"email\":null,\"web\":null,"
	          "\"languages\":[{\"code\":\"de\",\"autonym\":\"Deutsch\"},"
	          "{\"code\":\"ar\",\"autonym\":\"العربية\"}],\"cost\":\"\",\"sample\":true}],"
	          "\"offers_text\":\"1 offer\","
	          "\"contact\":{\"name\":\"Büro\",\"person\":\"Frau Muster\",\"address\":\"Teststraße 1\","
	          "\"phone\":null,\"email\":\"a@example.org\",\"web\":null,\"hours\":\"9-12\"},"
	          "\"can_back\":true,\"terminal\":false,\"token\":\"0123456789abcdef0123456789abcdef\"}");
	free(f);

	/* an ask step: no offers, no contact, no offers_text */
	memset(&st, 0, sizeof st);
	st.tenant = "t";
	st.lang = "de";
	st.dir = "ltr";
	st.flow = "f";
	st.node = "n";
	st.kind = NODE_END;
	st.text = "Tschüss";
	st.offers_count_text = "ignored";
	st.terminal = true;
	f = proto_render_step(&st, "tok", 0);
	CHECK_STR(text_of(f, 0),
	          "{\"type\":\"step\",\"tenant\":\"t\",\"lang\":\"de\",\"dir\":\"ltr\",\"flow\":\"f\","
	          "\"node\":\"n\",\"kind\":\"end\",\"text\":\"Tschüss\",\"choices\":[],\"offers\":[],"
	          "\"offers_text\":null,\"contact\":null,\"can_back\":false,\"terminal\":true,"
	          "\"token\":\"tok\"}");
	free(f);
}

static void test_render_others(void)
{
	static const char *const langs[] = {"de", "fa", "xx"};
	struct proto_tenant t = {"testamt", "Testamt", "de", true, langs, NULL, 3};
	struct proto_frame *f = proto_render_tenants(&t, 1, 4);
	CHECK_STR(text_of(f, 4),
	          "{\"type\":\"tenants\",\"tenants\":[{\"id\":\"testamt\",\"name\":\"Testamt\","
	          "\"default_lang\":\"de\",\"sample\":true,\"languages\":["
	          "{\"code\":\"de\",\"autonym\":\"Deutsch\",\"dir\":\"ltr\"},"
	          "{\"code\":\"fa\",\"autonym\":\"فارسی\",\"dir\":\"rtl\"},"
	          "{\"code\":\"xx\",\"autonym\":\"xx\",\"dir\":\"ltr\"}],\"names\":{}}]}");
	free(f);
	f = proto_render_tenants(NULL, 0, 0);
	CHECK_STR(text_of(f, 0), "{\"type\":\"tenants\",\"tenants\":[]}");
	free(f);
	f = proto_render_error(PROTO_E_UNKNOWN_CHOICE, "Diese Auswahl gibt es hier nicht.", 0);
	CHECK_STR(text_of(f, 0), "{\"type\":\"error\",\"code\":\"unknown_choice\","
	                         "\"message\":\"Diese Auswahl gibt es hier nicht.\"}");
	free(f);
	f = proto_render_noted(2);
	CHECK_STR(text_of(f, 2), "{\"type\":\"noted\"}");
	free(f);
	f = proto_render_answer("kurs", "0 Angebote", NULL, 0, 0);
	CHECK_STR(text_of(f, 0), "{\"type\":\"answer\",\"query\":\"kurs\",\"text\":\"0 Angebote\","
	                         "\"offers\":[]}");
	free(f);
	CHECK_STR(proto_kind_name(NODE_ASK), "ask");
	CHECK_STR(proto_kind_name(NODE_SAY), "say");
	CHECK_STR(proto_kind_name(NODE_PERSON), "person");
}

/* A choice's pictogram: "icon" and "emoji" after the label; absent when none
 * (issue 11, item 4). */
static void test_render_icons(void)
{
	struct talk_step st;
	memset(&st, 0, sizeof st);
	st.tenant = "t";
	st.lang = "ar";
	st.dir = "rtl";
	st.flow = "f";
	st.node = "n";
	st.kind = NODE_SAY;
	st.text = "x";
	st.choices[0] = (struct talk_choice_out){ "next", "متابعة", "next",
	                                          "⬅️" };
	st.choices[1] = (struct talk_choice_out){ "person", "P", NULL, NULL };
	st.nchoices = 2;
	struct proto_frame *f = proto_render_step(&st, "tok", 0);
	CHECK_STR(text_of(f, 0),
	          "{\"type\":\"step\",\"tenant\":\"t\",\"lang\":\"ar\",\"dir\":\"rtl\",\"flow\":\"f\","
	          "\"node\":\"n\",\"kind\":\"say\",\"text\":\"x\",\"choices\":["
	          "{\"id\":\"next\",\"label\":\"متابعة\",\"icon\":\"next\",\"emoji\":\"⬅️\"},"
	          "{\"id\":\"person\",\"label\":\"P\"}],\"offers\":[],"
	          "\"offers_text\":null,\"contact\":null,\"can_back\":false,\"terminal\":false,"
	          "\"token\":\"tok\"}");
	free(f);
}

int main(void)
{
	test_parse_ok();
	test_parse_errors();
	test_codes();
	test_render_step();
	test_render_others();
	test_render_icons();
	CHECK_DONE();
}
