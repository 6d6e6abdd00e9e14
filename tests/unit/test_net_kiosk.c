/* test_net_kiosk.c - which kiosk paths are the page, QR codes, audio (and
 * its .txt texts) or fonts (kroute_parse), which font file names are served
 * (fonts_mime), the numbering and count texts read aloud (speak_page.h);
 * the forget message of the protocol (parse and answer). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "net/fonts.h"
#include "net/kiosk.h"
#include "net/speak_page.h"
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
	CHECK(kroute_parse("/speak/testamt/ps/step/main/who.opus", &r) == KR_SPEAK_STEP &&
	      r.format == KF_OPUS);
	CHECK(!strcmp(r.flow, "main") && !strcmp(r.node, "who") && !strcmp(r.lang, "ps"));
	CHECK(kroute_parse("/speak/testamt/de/step/main/who.wav", &r) == KR_SPEAK_STEP &&
	      r.format == KF_WAV);
	CHECK(kroute_parse("/speak/testamt/de/offer/kita.opus", &r) == KR_SPEAK_OFFER &&
	      r.format == KF_OPUS);
	CHECK(kroute_parse("/speak/testamt/de/person.opus", &r) == KR_SPEAK_PERSON &&
	      r.format == KF_OPUS);
	CHECK(kroute_parse("/speak/testamt/ps/recorded.json", &r) == KR_RECORDED);
	CHECK(!strcmp(r.tenant, "testamt") && !strcmp(r.lang, "ps"));
	CHECK(kind("/speak/testamt/de/person.wav.opus") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/main/.opus") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/main/who.ogg") == KR_BAD);
	CHECK(kind("/speak/testamt/de/recorded.js") == KR_BAD);
	CHECK(kind("/speak/testamt/DE/recorded.json") == KR_BAD);
}

/* The routes of "everything on screen can be heard" (issue 9) and .txt. */
static void test_speak_more(void)
{
	struct kroute r;
	CHECK(kroute_parse("/speak/testamt/de/choice/main/who/parent.wav", &r) == KR_SPEAK_CHOICE);
	CHECK_STR(r.flow, "main");
	CHECK_STR(r.node, "who");
	CHECK_STR(r.choice, "parent");
	CHECK(r.format == KF_WAV);
	CHECK(kroute_parse("/speak/testamt/ar/choices/main/who.txt", &r) == KR_SPEAK_CHOICES);
	CHECK_STR(r.lang, "ar");
	CHECK_STR(r.node, "who");
	CHECK(r.format == KF_TXT);
	CHECK(kroute_parse("/speak/testamt/de/results/main/results/12.wav", &r) == KR_SPEAK_RESULTS);
	CHECK(r.count == 12 && r.format == KF_WAV);
	CHECK_STR(r.node, "results");
	CHECK(kroute_parse("/speak/testamt/de/results/main/results/0.txt", &r) == KR_SPEAK_RESULTS);
	CHECK(r.count == 0 && r.format == KF_TXT);
	CHECK(kroute_parse("/speak/testamt/uk/language.wav", &r) == KR_SPEAK_LANGUAGE);
	CHECK_STR(r.lang, "uk");
	CHECK(kroute_parse("/speak/testamt/de/words/welcome.txt", &r) == KR_SPEAK_WORDS);
	CHECK_STR(r.word, "welcome");
	CHECK(r.format == KF_TXT);
	CHECK(kroute_parse("/speak/testamt/ps/words.json", &r) == KR_WORDS_JSON);
	CHECK_STR(r.lang, "ps");
	CHECK(kroute_parse("/speak/testamt/de/person.txt", &r) == KR_SPEAK_PERSON);
	CHECK(r.format == KF_TXT);
	CHECK(kind("/speak/testamt/de/results/main/results/012.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/results/main/results/1000.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/results/main/results/x.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/results/main/results/.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/choice/main/who.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/choice/main/who/Parent.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/choices/main/who/x.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/language.json") == KR_BAD);
	CHECK(kind("/speak/testamt/de/languages.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/person.x.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/words/a.b.wav") == KR_BAD);
	CHECK(kind("/speak/testamt/de/words.txt") == KR_BAD);
	CHECK(kind("/speak/testamt/de/step/main/who.mp3") == KR_BAD);
	/* every route of both as Ogg Opus */
	CHECK(kroute_parse("/speak/testamt/ar/choice/main/who/parent.opus", &r) == KR_SPEAK_CHOICE);
	CHECK(!strcmp(r.choice, "parent") && r.format == KF_OPUS);
	CHECK(kroute_parse("/speak/testamt/de/choices/main/who.opus", &r) == KR_SPEAK_CHOICES);
	CHECK(r.format == KF_OPUS);
	CHECK(kroute_parse("/speak/testamt/de/results/main/results/3.opus", &r) == KR_SPEAK_RESULTS);
	CHECK(r.count == 3 && r.format == KF_OPUS);
	CHECK(kroute_parse("/speak/testamt/uk/language.opus", &r) == KR_SPEAK_LANGUAGE);
	CHECK(r.format == KF_OPUS);
	CHECK(kroute_parse("/speak/testamt/ps/words/idle.opus", &r) == KR_SPEAK_WORDS);
	CHECK(!strcmp(r.word, "idle") && r.format == KF_OPUS);
	CHECK(kind("/speak/testamt/de/words/idle.opus.txt") == KR_BAD);
	CHECK(kind("/speak/testamt/de/results/main/results/.opus") == KR_BAD);
}

/* "Read all answers" numbering and the results count. */
static void test_speak_page(void)
{
	struct strbuf b;
	strbuf_init(&b);
	speak_numbered(&b, 1, "Ja");
	strbuf_puts(&b, " ");
	speak_numbered(&b, 2, "Wie alt ist es?");
	strbuf_puts(&b, " ");
	speak_numbered(&b, 10, "\xd9\x86\xd8\xb9\xd9\x85\xd8\x9f");   /* نعم؟ */
	CHECK_STR(strbuf_str(&b), "1: Ja. 2: Wie alt ist es? 10: \xd9\x86\xd8\xb9\xd9\x85\xd8\x9f");
	strbuf_reset(&b);
	speak_count(&b, "%d Angebote", 3);
	CHECK_STR(strbuf_str(&b), "3 Angebote");
	strbuf_reset(&b);
	speak_count(&b, "Found: %d (%s %n %d)", 7);   /* only the first %d, nothing else */
	CHECK_STR(strbuf_str(&b), "Found: 7 (%s %n %d)");
	strbuf_reset(&b);
	speak_count(&b, "no number", 2);
	CHECK_STR(strbuf_str(&b), "no number");
	strbuf_free(&b);
	CHECK(speak_word_find("welcome") && speak_word_find("welcome")->spoken);
	CHECK(speak_word_find("no_voice") && !speak_word_find("no_voice")->spoken);
	CHECK(speak_word_find("nothing") == NULL && speak_word_find(NULL) == NULL);
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
	test_speak_more();
	test_speak_page();
	test_fonts();
	test_forget();
	CHECK_DONE();
}
