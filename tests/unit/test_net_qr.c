/* test_net_qr.c - the vCard text of the "take it home" QR codes (exact
 * text, RFC 2426 escaping, absent fields) and the SVG drawing of a QR code
 * (size per QR version, finder pattern, quiet zone, escaped title). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "net/qr.h"

static char *escaped(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	qr_vcard_escape(&sb, s);
	return strbuf_steal(&sb);
}

static void test_escape(void)
{
	char *e = escaped("a,b;c\\d\ne\r\nf\rg\x01h\x7fi");
	CHECK_STR(e, "a\\,b\\;c\\\\d\\ne\\nf\\nghi");
	free(e);
	e = escaped("Mo–Fr 7–16 Uhr");
	CHECK_STR(e, "Mo–Fr 7–16 Uhr");
	free(e);
}

static void test_vcard_full(void)
{
	struct qr_contact c = {
		.name = "Krippe Sonnenschein", .phone = "+49 30 000001", .email = "krippe@example.org",
		.web = "https://example.org/krippe", .address = "Sonnenweg 2, 12345 Teststadt",
		.hours = "Mo–Fr 7–16 Uhr", .district = "Mitte",
	};
	char *v = qr_vcard(&c);
	CHECK_STR(v, "BEGIN:VCARD\r\n"
	             "VERSION:3.0\r\n"
	             "N:Krippe Sonnenschein;;;;\r\n"
	             "FN:Krippe Sonnenschein\r\n"
	             "ORG:Krippe Sonnenschein\r\n"
	             "TEL;TYPE=WORK,VOICE:+49 30 000001\r\n"
	             "EMAIL;TYPE=INTERNET:krippe@example.org\r\n"
	             "URL:https://example.org/krippe\r\n"
	             "ADR;TYPE=WORK:;;Sonnenweg 2\\, 12345 Teststadt;;;;\r\n"
	             "NOTE:Mo–Fr 7–16 Uhr\\nMitte\r\n"
	             "END:VCARD\r\n");
	free(v);
}

static void test_vcard_partial(void)
{
	struct qr_contact c = {
		.name = "Kurs; \"Deutsch\", Stufe A1\\A2", .phone = "", .district = "Nord\nOst",
	};
	char *v = qr_vcard(&c);
	CHECK_STR(v, "BEGIN:VCARD\r\n"
	             "VERSION:3.0\r\n"
	             "N:Kurs\\; \"Deutsch\"\\, Stufe A1\\\\A2;;;;\r\n"
	             "FN:Kurs\\; \"Deutsch\"\\, Stufe A1\\\\A2\r\n"
	             "ORG:Kurs\\; \"Deutsch\"\\, Stufe A1\\\\A2\r\n"
	             "NOTE:Nord\\nOst\r\n"
	             "END:VCARD\r\n");
	free(v);
	struct qr_contact arabic = {.name = "دورة اللغة الألمانية", .hours = "الاثنين"};
	v = qr_vcard(&arabic);
	CHECK_STR(v, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:دورة اللغة الألمانية;;;;\r\n"
	             "FN:دورة اللغة الألمانية\r\nORG:دورة اللغة الألمانية\r\n"
	             "NOTE:الاثنين\r\nEND:VCARD\r\n");
	free(v);
	struct qr_contact nameless = {.name = "", .phone = "0"};
	CHECK(qr_vcard(&nameless) == NULL);
	CHECK(qr_vcard(NULL) == NULL);
}

static void test_svg_small(void)
{
	size_t len = 0;
	/* 5 bytes fit version 1 (21 modules) at level M: 21 + 2 * 4 = 29. */
	char *svg = qr_svg("HELLO", "A <b> & \"c\"\x01", &len);
	CHECK(svg != NULL);
	if (!svg)
		return;
	CHECK(len == strlen(svg));
	CHECK(strstr(svg, "viewBox=\"0 0 29 29\" width=\"174\" height=\"174\"") != NULL);
	CHECK(strstr(svg, "shape-rendering=\"crispEdges\" role=\"img\"") != NULL);
	CHECK(strstr(svg, "<title id=\"qr-title\">A &lt;b&gt; &amp; \"c\"</title>") != NULL);
	/* The top-left finder pattern's first row starts after the quiet zone;
	 * the top-right one ends 4 modules before the edge (4 + 14 = 18, 7 wide). */
	CHECK(strstr(svg, "d=\"M4 4h7v1h-7z") != NULL);
	CHECK(strstr(svg, "M18 4h7v1h-7z") != NULL);
	CHECK(strstr(svg, "M0 ") == NULL && strstr(svg, " 0h") == NULL);  /* quiet zone */
	CHECK(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	CHECK(len > 10 && strcmp(svg + len - 10, "\"/></svg>\n") == 0);
	free(svg);
}

static void test_svg_sizes(void)
{
	char buf[3001];
	size_t len = 0;
	/* 100 bytes at level M in 8-bit mode need version 6 (41 modules). */
	memset(buf, 'x', 100);
	buf[100] = '\0';
	char *svg = qr_svg(buf, "t", &len);
	CHECK(svg && strstr(svg, "viewBox=\"0 0 49 49\" width=\"294\"") != NULL);
	free(svg);
	/* More than version 40-M holds (2331 bytes): no code. */
	memset(buf, 'x', 3000);
	buf[3000] = '\0';
	CHECK(qr_svg(buf, "t", &len) == NULL);
}

int main(void)
{
	test_escape();
	test_vcard_full();
	test_vcard_partial();
	test_svg_small();
	test_svg_sizes();
	CHECK_DONE();
}
