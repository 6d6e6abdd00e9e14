/* test_net_kiosk.c - which kiosk paths are the page, QR codes, audio or
 * fonts (kroute_parse) and which font file names are served (fonts_mime);
 * the forget message of the protocol (parse and answer). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "net/fonts.h"
#include "net/kiosk.h"
#include "net/proto.h"

static enum kroute_kind kind(const char *url)
{
	struct kroute r;
	return kroute_parse(url, &r);
}

static void test_page_and_qr(void)
{
	struct kroute r;
	CHECK(kroute_parse("/k/testamt", &r) == KR_PAGE);
	CHECK_STR(r.tenant, "testamt");
	CHECK(kroute_parse("/k/dessau_rosslau-2/", &r) == KR_PAGE);
	CHECK_STR(r.tenant, "dessau_rosslau-2");
	CHECK(kind("/k/Test") == KR_BAD && kind("/k/") == KR_BAD && kind("/k") == KR_BAD);
	CHECK(kind("/k/a/b") == KR_BAD && kind("/k/a//") == KR_BAD && kind("/k/a.b") == KR_BAD);
	char longid[80] = "/k/";
	memset(longid + 3, 'a', 64);
	longid[67] = '\0';
	CHECK(kroute_parse(longid, &r) == KR_PAGE && strlen(r.tenant) == 64);
	longid[67] = 'a';
	longid[68] = '\0';
	CHECK(kind(longid) == KR_BAD);
	CHECK(kroute_parse("/qr/testamt/krippe-sonne.svg", &r) == KR_QR);
	CHECK_STR(r.tenant, "testamt");
	CHECK_STR(r.offer, "krippe-sonne");
	CHECK(kind("/qr/testamt/krippe-sonne.png") == KR_BAD && kind("/qr/testamt/.svg") == KR_BAD);
	CHECK(kind("/qr/testamt") == KR_BAD && kind("/qr/t/a/b.svg") == KR_BAD);
	CHECK(kind("/") == KR_NONE && kind("/index.html") == KR_NONE && kind("/kiosk.js") == KR_NONE);
	CHECK(kind("/qrcode.js") == KR_NONE && kind("/speaker.svg") == KR_NONE);
	CHECK(kind("") == KR_NONE && kind(NULL) == KR_NONE && kind("k/a") == KR_NONE);
	char huge[700] = "/k/";
	memset(huge + 3, 'a', 690);
	huge[693] = '\0';
	CHECK(kind(huge) == KR_BAD);
	huge[1] = 'x';
	CHECK(kind(huge) == KR_NONE);
}

static void test_speak(void)
{
	struct kroute r;
	CHECK(kroute_parse("/speak/voices.json", &r) == KR_VOICES);
	CHECK(kroute_parse("/speak/testamt/de/step/main/who.wav", &r) == KR_SPEAK_STEP);
	CHECK_STR(r.tenant, "testamt");
	CHECK_STR(r.lang, "de");
	CHECK_STR(r.flow, "main");
	CHECK_STR(r.node, "who");
	CHECK(kroute_parse("/speak/testamt/ckb/offer/krippe-sonne.wav", &r) == KR_SPEAK_OFFER);
	CHECK_STR(r.lang, "ckb");
	CHECK_STR(r.offer, "krippe-sonne");
	CHECK(kroute_parse("/speak/testamt/ar/person.wav", &r) == KR_SPEAK_PERSON);
	CHECK_STR(r.lang, "ar");
	CHECK(kind("/speak/testamt/DE/person.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/deutsch/person.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/person.mp3") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/main/who") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/main/.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/who.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/offer/a/b.wav") == KR_BAD);
	CHECK(kind("/speak/voices.js") == KR_BAD && kind("/speak") == KR_BAD);
	/* Ogg Opus (what the page asks for) and .wav (old pages, redirected) */
	CHECK(kroute_parse("/speak/testamt/ps/step/main/who.opus", &r) == KR_SPEAK_STEP && !r.wav);
	CHECK(!strcmp(r.flow, "main") && !strcmp(r.node, "who") && !strcmp(r.lang, "ps"));
	CHECK(kroute_parse("/speak/testamt/de/step/main/who.wav", &r) == KR_SPEAK_STEP && r.wav);
	CHECK(kroute_parse("/speak/testamt/de/offer/kita.opus", &r) == KR_SPEAK_OFFER && !r.wav);
	CHECK(kroute_parse("/speak/testamt/de/person.opus", &r) == KR_SPEAK_PERSON && !r.wav);
	CHECK(kroute_parse("/speak/testamt/ps/recorded.json", &r) == KR_RECORDED);
	CHECK(!strcmp(r.tenant, "testamt") && !strcmp(r.lang, "ps"));
	CHECK(kind("/speak/testamt/de/person.wav.opus") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/main/.opus") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/main/who.ogg") == KR_BAD);
	CHECK(kind("/speak/testamt/de/recorded.js") == KR_BAD);
	CHECK(kind("/speak/testamt/DE/recorded.json") == KR_BAD);
}

static void test_fonts(void)
{
	struct kroute r;
	CHECK(kroute_parse("/fonts/NotoSans-Regular.ttf", &r) == KR_FONT);
	CHECK_STR(r.font, "NotoSans-Regular.ttf");
	CHECK(kind("/fonts/../x.ttf") == KR_BAD && kind("/fonts/sub/a.ttf") == KR_BAD);
	CHECK(kind("/fonts/") == KR_BAD && kind("/fonts/a.txt") == KR_BAD);
	CHECK_STR(fonts_mime("NotoSans-Regular.ttf"), "font/ttf");
	CHECK_STR(fonts_mime("Noto_Sans.Arabic-1.otf"), "font/otf");
	CHECK_STR(fonts_mime("a.woff2"), "font/woff2");
	CHECK(fonts_mime("a.woff") == NULL && fonts_mime(".ttf") == NULL);
	CHECK(fonts_mime(".hidden.ttf") == NULL && fonts_mime("a b.ttf") == NULL);
	CHECK(fonts_mime("a/b.ttf") == NULL && fonts_mime("") == NULL && fonts_mime(NULL) == NULL);
	CHECK(fonts_mime("a.TTF") == NULL && fonts_mime("ä.ttf") == NULL);
	CHECK(fonts_open(-1, "a.ttf", NULL) == -1);
}

static void test_forget(void)
{
	struct proto_msg m;
	char detail[160];
	const char *in = "{\"type\":\"forget\"}";
	CHECK(proto_parse(in, strlen(in), &m, detail, sizeof(detail)) == PROTO_E_NONE);
	CHECK(m.type == PROTO_FORGET);
	proto_msg_free(&m);
	struct proto_frame *f = proto_render_forgotten(4);
	CHECK(f && f->head == 4 && f->len == 20);
	if (f) {
		char text[32] = {0};
		memcpy(text, f->data + f->head, f->len);
		CHECK_STR(text, "{\"type\":\"forgotten\"}");
	}
	free(f);
}

int main(void)
{
	test_page_and_qr();
	test_speak();
	test_fonts();
	test_forget();
	CHECK_DONE();
}
