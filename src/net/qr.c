/* qr.c - vCard text and QR code SVG for the "take it home" codes (see qr.h). */
#include "net/qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

void qr_vcard_escape(struct strbuf *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (c == '\\' || c == ',' || c == ';') {
			strbuf_putc(out, '\\');
			strbuf_putc(out, c);
		} else if (c == '\r' || c == '\n') {
			strbuf_puts(out, "\\n");
			if (c == '\r' && p[1] == '\n')
				p++;
		} else if ((unsigned char)c >= 0x20 && c != 0x7f) {
			strbuf_putc(out, c);
		}
	}
}

static int present(const char *s)
{
	return s && *s;
}

/* One "NAME:value" line with the value escaped, CRLF-terminated. */
static void line(struct strbuf *sb, const char *name, const char *value)
{
	if (!present(value))
		return;
	strbuf_puts(sb, name);
	strbuf_putc(sb, ':');
	qr_vcard_escape(sb, value);
	strbuf_puts(sb, "\r\n");
}

static void note(struct strbuf *sb, const struct qr_contact *c)
{
	if (!present(c->hours) && !present(c->district))
		return;
	strbuf_puts(sb, "NOTE:");
	if (present(c->hours))
		qr_vcard_escape(sb, c->hours);
	if (present(c->hours) && present(c->district))
		strbuf_puts(sb, "\\n");
	if (present(c->district))
		qr_vcard_escape(sb, c->district);
	strbuf_puts(sb, "\r\n");
}

/* Returns a malloc'd vCard; caller frees. */
char *qr_vcard(const struct qr_contact *c)
{
	if (!c || !present(c->name))
		return NULL;
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_puts(&sb, "BEGIN:VCARD\r\nVERSION:3.0\r\n");
	strbuf_puts(&sb, "N:");
	qr_vcard_escape(&sb, c->name);
	strbuf_puts(&sb, ";;;;\r\n");
	line(&sb, "FN", c->name);
	line(&sb, "ORG", c->name);
	line(&sb, "TEL;TYPE=WORK,VOICE", c->phone);
	line(&sb, "EMAIL;TYPE=INTERNET", c->email);
	line(&sb, "URL", c->web);
	if (present(c->address)) {
		strbuf_puts(&sb, "ADR;TYPE=WORK:;;");
		qr_vcard_escape(&sb, c->address);
		strbuf_puts(&sb, ";;;;\r\n");
	}
	note(&sb, c);
	strbuf_puts(&sb, "END:VCARD\r\n");
	return strbuf_steal(&sb);
}

/* Appends s XML-escaped for element content; invalid UTF-8 and control
 * characters (not allowed in XML 1.0) become '?' / are dropped. */
static void xml_text(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		int32_t cp = utf8_decode(s + i, n - i, &len);
		if (cp < 0)
			strbuf_putc(sb, '?');
		else if (cp == '&')
			strbuf_puts(sb, "&amp;");
		else if (cp == '<')
			strbuf_puts(sb, "&lt;");
		else if (cp == '>')
			strbuf_puts(sb, "&gt;");
		else if (cp >= 0x20 || cp == '\t' || cp == '\n')
			strbuf_append(sb, s + i, len);
		i += len;
	}
}

/* The dark modules, one "M x y h n v1 h -n z" rectangle per run in a row. */
static void module_path(struct strbuf *sb, const QRcode *q)
{
	int w = q->width;
	for (int y = 0; y < w; y++) {
		int x = 0;
		while (x < w) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int start = x;
			while (x < w && (q->data[y * w + x] & 1))
				x++;
			strbuf_printf(sb, "M%d %dh%dv1h-%dz", start + QR_QUIET, y + QR_QUIET, x - start,
			              x - start);
		}
	}
}

/* Returns a malloc'd SVG document; caller frees. */
char *qr_svg(const char *text, const char *title, size_t *len)
{
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return NULL;
	int n = q->width + 2 * QR_QUIET;
	int px = n * QR_MODULE_PX;
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_printf(&sb,
	              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	              "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	              "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	              "shape-rendering=\"crispEdges\" role=\"img\" aria-labelledby=\"qr-title\">"
	              "<title id=\"qr-title\">",
	              n, n, px, px);
	xml_text(&sb, title ? title : "");
	strbuf_printf(&sb, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	                   "<path fill=\"#000\" d=\"", n, n);
	module_path(&sb, q);
	strbuf_puts(&sb, "\"/></svg>\n");
	QRcode_free(q);
	size_t l = sb.len;
	char *out = strbuf_steal(&sb);
	if (out && len)
		*len = l;
	return out;
}
