/* qr.h - "take it home": an offer's contact as a vCard, encoded as a QR code
 * (libqrencode) and drawn as SVG.
 *
 * qr_vcard builds the text a phone camera understands (vCard 3.0, RFC 2426:
 * CRLF line ends, ',' ';' '\' and newlines escaped in values, absent fields
 * left out). qr_svg encodes any UTF-8 text with ECC level M in 8-bit mode
 * and draws the dark modules as one path with a 4-module quiet zone.
 * Pure functions: no globals, safe from any thread.
 */
#ifndef LOTSE_QR_H
#define LOTSE_QR_H

#include <stddef.h>

#include "util/strbuf.h"

#define QR_QUIET 4              /* quiet zone, modules on each side */
/* One module is 6 CSS pixels in the SVG's width/height, so that a page that
 * shows the code at its own size gives a phone camera at least 6 screen
 * pixels per module (smaller codes stop decoding at about 2); print.css
 * sets a size in cm for paper. */
#define QR_MODULE_PX 6

/* What goes into the vCard; NULL or "" fields are left out. */
struct qr_contact {
	const char *name;       /* FN, ORG and N (the offer's title, translated) */
	const char *phone;      /* TEL */
	const char *email;      /* EMAIL */
	const char *web;        /* URL */
	const char *address;    /* ADR: the whole address in the street field */
	const char *hours;      /* NOTE, first line */
	const char *district;   /* NOTE, second line */
};

/* Appends s to out escaped as an RFC 2426 text value: '\' ',' ';' get a
 * backslash, a line break (LF, CR or CRLF) becomes "\n", other control
 * characters are dropped. */
void qr_vcard_escape(struct strbuf *out, const char *s);
/* The vCard 3.0 text for c. Returns a malloc'd string the caller frees, or
 * NULL when out of memory or c->name is empty. */
char *qr_vcard(const struct qr_contact *c);
/* The QR code of text (ECC M, 8-bit, UTF-8 as is) as an SVG document with
 * role="img" and a <title> (title, XML-escaped). Returns a malloc'd string
 * the caller frees (its length in *len), or NULL when the text does not fit
 * into a QR code (more than version 40 holds) or memory ran out. */
char *qr_svg(const char *text, const char *title, size_t *len);

#endif
