/* yamlout.c - writes an offers file from data (see util.h): the staff area
 * edits offers as JSON and stores them as flows/<tenant>/offers.yaml, the
 * file git users edit by hand. Every string is double-quoted, so no value
 * can turn into a number, a boolean, a comment or YAML structure. */
#include <stdio.h>
#include <string.h>

#include "staff/util.h"
#include "util/utf8.h"

void staff_yaml_quote(struct strbuf *out, const char *s)
{
	size_t n = strlen(s);
	strbuf_putc(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = 1;
		int32_t cp = c < 0x80 ? c : utf8_decode(s + i, n - i, &len);
		if (cp == '"' || cp == '\\') {
			strbuf_putc(out, '\\');
			strbuf_putc(out, (char)cp);
		} else if (cp == '\n') {
			strbuf_puts(out, "\\n");
		} else if (cp == '\t') {
			strbuf_puts(out, "\\t");
		} else if (cp == '\r') {
			strbuf_puts(out, "\\r");
		} else if (cp < 0) {      /* invalid UTF-8: the validator reports it */
			strbuf_printf(out, "\\x%02X", c);
		} else if (cp < 0x20 || cp == 0x7f) {
			strbuf_printf(out, "\\x%02X", (unsigned)cp);
		} else if (cp == 0x85) {
			strbuf_puts(out, "\\N");
		} else if (cp == 0x2028) {
			strbuf_puts(out, "\\L");
		} else if (cp == 0x2029) {
			strbuf_puts(out, "\\P");
		} else if (cp == 0xfeff) {
			strbuf_puts(out, "\\uFEFF");
		} else {
			strbuf_append(out, s + i, len);
		}
		i += len;
	}
	strbuf_putc(out, '"');
}

static void field(struct strbuf *out, const char *key, const char *v)
{
	if (!v)
		return;
	strbuf_printf(out, "    %s: ", key);
	staff_yaml_quote(out, v);
	strbuf_putc(out, '\n');
}

/* A text: a plain string, or {text, context, note} when it has either. */
static void text_field(struct strbuf *out, const char *key, const struct text *t)
{
	if (!t->msgid)
		return;
	if (!t->context && !t->note) {
		field(out, key, t->msgid);
		return;
	}
	strbuf_printf(out, "    %s: { text: ", key);
	staff_yaml_quote(out, t->msgid);
	if (t->context) {
		strbuf_puts(out, ", context: ");
		staff_yaml_quote(out, t->context);
	}
	if (t->note) {
		strbuf_puts(out, ", note: ");
		staff_yaml_quote(out, t->note);
	}
	strbuf_puts(out, " }\n");
}

static void list(struct strbuf *out, const char *const *v, size_t n)
{
	strbuf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_puts(out, ", ");
		staff_yaml_quote(out, v[i]);
	}
	strbuf_putc(out, ']');
}

static void facts(struct strbuf *out, const struct offer *o)
{
	strbuf_puts(out, "    facts: {");
	for (size_t i = 0; i < o->nfacts; i++) {
		strbuf_puts(out, i ? ", " : " ");
		staff_yaml_quote(out, o->facts[i].key);
		strbuf_puts(out, ": ");
		list(out, (const char *const *)o->facts[i].values, o->facts[i].nvalues);
	}
	strbuf_puts(out, o->nfacts ? " }\n" : "}\n");
}

static void offer(struct strbuf *out, const struct offer *o)
{
	strbuf_puts(out, "  - id: ");
	staff_yaml_quote(out, o->id ? o->id : "");
	strbuf_putc(out, '\n');
	text_field(out, "title", &o->title);
	text_field(out, "description", &o->description);
	facts(out, o);
	field(out, "district", o->district);
	field(out, "address", o->address);
	text_field(out, "hours", &o->hours);
	field(out, "phone", o->phone);
	field(out, "email", o->email);
	field(out, "web", o->web);
	if (o->nlangs) {
		strbuf_puts(out, "    languages: ");
		list(out, o->langs, o->nlangs);
		strbuf_putc(out, '\n');
	}
	text_field(out, "cost", &o->cost);
	if (o->sample)
		strbuf_puts(out, "    sample: true\n");
}

int staff_offers_emit(const struct offer_list *l, const char *header, struct strbuf *out)
{
	if (header && *header) {
		strbuf_puts(out, header);
		if (header[strlen(header) - 1] != '\n')
			strbuf_putc(out, '\n');
	}
	if (!l || l->n == 0) {
		strbuf_puts(out, "offers: []\n");
		return strbuf_ok(out) ? 0 : -1;
	}
	strbuf_puts(out, "offers:\n");
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strbuf_putc(out, '\n');
		offer(out, &l->offers[i]);
	}
	return strbuf_ok(out) ? 0 : -1;
}
