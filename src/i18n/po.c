/* po.c - PO file reader for coverage figures and checks; see po.h. */
#include "i18n/po.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#define PO_MAX_BYTES (16 * 1024 * 1024)

enum field { F_NONE, F_CTX, F_ID, F_PLURAL, F_STR };

struct po_parser {
	const char *file;
	struct diag *d;
	struct po_file *out;
	size_t cap;
	/* the entry being read */
	struct strbuf ctx, id, str;
	struct strbuf forms;    /* the finished msgstr forms of this entry, each NUL-terminated */
	size_t nforms;
	int id_line;
	bool has_ctx, has_id, plural, fuzzy, any_empty_str, nstr;
	enum field field;
	int line;
	bool failed;
};

static void reset_entry(struct po_parser *p)
{
	strbuf_reset(&p->ctx);
	strbuf_reset(&p->id);
	strbuf_reset(&p->str);
	strbuf_reset(&p->forms);
	p->nforms = 0;
	p->id_line = 0;
	p->has_ctx = p->has_id = p->plural = p->fuzzy = p->any_empty_str = p->nstr = false;
	p->field = F_NONE;
}

/* Appends the msgstr form read so far to p->forms. */
static void save_form(struct po_parser *p)
{
	strbuf_append(&p->forms, strbuf_str(&p->str), p->str.len);
	strbuf_putc(&p->forms, '\0');
	p->nforms++;
}

/* Keeps the header's review status ("X-Review-Status: ..." up to the end of
 * its line) in p->out->review. */
static void header_fields(struct po_parser *p)
{
	static const char key[] = "X-Review-Status:";
	const char *h = strbuf_str(&p->str);
	for (const char *l = h; l && *l;) {
		const char *end = strchr(l, '\n');
		size_t n = end ? (size_t)(end - l) : strlen(l);
		if (n >= sizeof(key) - 1 && memcmp(l, key, sizeof(key) - 1) == 0) {
			const char *v = l + sizeof(key) - 1;
			while (*v == ' ')
				v++;
			p->out->review = arena_strndup(p->out->arena, v, (size_t)(l + n - v));
			if (!p->out->review)
				p->failed = true;
			return;
		}
		l += n + (end ? 1 : 0);
	}
}

/* Ends the current entry (if any) and stores it. */
static void finish_entry(struct po_parser *p)
{
	if (!p->has_id)
		goto out;
	bool empty_last = p->str.len == 0;
	if (p->id.len == 0 && !p->has_ctx) {
		header_fields(p);
		goto out; /* the header */
	}
	if (p->out->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 256;
		struct po_entry *ne = arena_grow(p->out->arena, p->out->entries, p->out->n, ncap,
		                                 sizeof(*ne));
		if (!ne) {
			p->failed = true;
			goto out;
		}
		p->out->entries = ne;
		p->cap = ncap;
	}
	struct po_entry *e = &p->out->entries[p->out->n++];
	e->ctx = p->has_ctx ? arena_strdup(p->out->arena, strbuf_str(&p->ctx)) : NULL;
	e->msgid = arena_strdup(p->out->arena, strbuf_str(&p->id));
	e->plural = p->plural;
	e->fuzzy = p->fuzzy;
	e->translated = p->nstr && !p->any_empty_str && !empty_last;
	e->line = p->id_line;
	e->nstrs = 0;
	e->strs = NULL;
	if (p->nstr) {
		save_form(p);
		e->strs = arena_alloc(p->out->arena, p->nforms * sizeof(*e->strs));
		const char *f = strbuf_str(&p->forms);
		if (!f)
			p->failed = true;
		for (size_t i = 0; f && e->strs && i < p->nforms; i++) {
			e->strs[i] = arena_strdup(p->out->arena, f);
			if (!e->strs[i])
				p->failed = true;
			f += strlen(f) + 1;
		}
		if (!e->strs)
			p->failed = true;
		else
			e->nstrs = p->nforms;
	}
out:
	reset_entry(p);
}

/* Decodes one "..." literal starting at s (the opening quote) into sb.
 * Returns false (with a positioned error) on a malformed literal. */
static bool read_string(struct po_parser *p, const char *line, const char *s, struct strbuf *sb)
{
	int col = (int)(s - line) + 1;
	if (*s != '"')
		goto bad;
	for (s++; *s && *s != '"'; s++) {
		if (*s != '\\') {
			strbuf_putc(sb, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': strbuf_putc(sb, '\n'); break;
		case 't': strbuf_putc(sb, '\t'); break;
		case 'r': strbuf_putc(sb, '\r'); break;
		case '"': strbuf_putc(sb, '"'); break;
		case '\\': strbuf_putc(sb, '\\'); break;
		case 'a': strbuf_putc(sb, '\a'); break;
		case 'b': strbuf_putc(sb, '\b'); break;
		case 'f': strbuf_putc(sb, '\f'); break;
		case 'v': strbuf_putc(sb, '\v'); break;
		default:
			diag_add(p->d, p->file, p->line, (int)(s - line), "invalid escape sequence in string");
			return false;
		}
	}
	if (*s != '"')
		goto bad;
	for (s++; *s == ' ' || *s == '\t' || *s == '\r'; s++)
		;
	if (*s == '\0')
		return true;
bad:
	diag_add(p->d, p->file, p->line, col, "expected a string in double quotes");
	return false;
}

static struct strbuf *field_buf(struct po_parser *p)
{
	switch (p->field) {
	case F_CTX: return &p->ctx;
	case F_ID: return &p->id;
	case F_STR: return &p->str;
	default: return NULL;
	}
}

static bool keyword(const char *s, const char *kw, const char **rest)
{
	size_t n = strlen(kw);
	if (strncmp(s, kw, n) != 0 || (s[n] != ' ' && s[n] != '\t'))
		return false;
	for (s += n; *s == ' ' || *s == '\t'; s++)
		;
	*rest = s;
	return true;
}

static void start_str(struct po_parser *p)
{
	if (p->nstr && p->str.len == 0)
		p->any_empty_str = true;
	if (p->nstr)
		save_form(p);
	strbuf_reset(&p->str);
	p->nstr = true;
	p->field = F_STR;
}

static void parse_line(struct po_parser *p, const char *line)
{
	const char *s = line, *rest;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '\r')
		return;
	if (*s == '#') {
		if (s[1] == ',' && strstr(s, "fuzzy")) {
			if (p->field == F_STR)
				finish_entry(p);
			p->fuzzy = true;
		} else if (s[1] != '~' && p->field == F_STR) {
			finish_entry(p);
		}
		return;
	}
	if (*s == '"') {
		struct strbuf *sb = field_buf(p);
		if (!sb) {
			diag_add(p->d, p->file, p->line, (int)(s - line) + 1,
			         "a continued string must follow msgid, msgstr or msgctxt");
			return;
		}
		read_string(p, line, s, sb);
		return;
	}
	if (keyword(s, "msgctxt", &rest)) {
		if (p->field == F_STR)
			finish_entry(p);
		p->has_ctx = true;
		p->field = F_CTX;
		read_string(p, line, rest, &p->ctx);
	} else if (keyword(s, "msgid", &rest)) {
		if (p->field == F_STR)
			finish_entry(p);
		p->has_id = true;
		p->id_line = p->line;
		p->field = F_ID;
		read_string(p, line, rest, &p->id);
	} else if (keyword(s, "msgid_plural", &rest)) {
		struct strbuf ignored;
		strbuf_init(&ignored);
		p->plural = true;
		p->field = F_PLURAL;
		read_string(p, line, rest, &ignored);
		strbuf_free(&ignored);
	} else if (keyword(s, "msgstr", &rest) ||
	           (strncmp(s, "msgstr[", 7) == 0 && (rest = strchr(s, ']')) && rest++)) {
		if (!p->has_id) {
			diag_add(p->d, p->file, p->line, (int)(s - line) + 1, "msgstr without msgid");
			return;
		}
		while (*rest == ' ' || *rest == '\t')
			rest++;
		start_str(p);
		read_string(p, line, rest, &p->str);
	} else {
		diag_add(p->d, p->file, p->line, (int)(s - line) + 1, "unknown keyword");
	}
}

struct po_file *po_parse(const char *display, const char *buf, size_t len, struct diag *d)
{
	size_t before = diag_count(d);
	struct po_parser p = {.file = display, .d = d};
	struct po_file *out = NULL;
	struct arena *a = arena_new();
	if (!a)
		return NULL;
	out = arena_alloc(a, sizeof(*out));
	if (!out)
		goto fail;
	out->arena = a;
	p.out = out;
	strbuf_init(&p.ctx);
	strbuf_init(&p.id);
	strbuf_init(&p.str);
	strbuf_init(&p.forms);
	struct strbuf line;
	strbuf_init(&line);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n') {
			if (buf[i] == '\0') {
				diag_add(d, display, p.line + 1, 0, "NUL byte in file");
				break;
			}
			strbuf_putc(&line, buf[i]);
			continue;
		}
		p.line++;
		/* Catalogues are UTF-8 (the header says so and msgfmt converts to it); a
		 * stray byte would otherwise reach the page and the speech checks, where
		 * dropping a mark can join it with its neighbours into a new character. */
		size_t bad = utf8_invalid_at(strbuf_str(&line), line.len);
		if (bad < line.len) {
			diag_add(d, display, p.line, (int)bad + 1,
			         "invalid UTF-8 (byte 0x%02X); save the catalogue as UTF-8",
			         (unsigned char)strbuf_str(&line)[bad]);
			p.failed = true;
			strbuf_reset(&line);
			continue;
		}
		parse_line(&p, strbuf_str(&line));
		strbuf_reset(&line);
	}
	finish_entry(&p);
	strbuf_free(&line);
	strbuf_free(&p.ctx);
	strbuf_free(&p.id);
	strbuf_free(&p.str);
	strbuf_free(&p.forms);
	if (p.failed || diag_count(d) != before)
		goto fail;
	return out;
fail:
	arena_free(a);
	return NULL;
}

struct po_file *po_load(const char *path, struct diag *d)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(d, path, 0, 0, "cannot open");
		return NULL;
	}
	char *buf = malloc(PO_MAX_BYTES);
	size_t n = buf ? fread(buf, 1, PO_MAX_BYTES, f) : 0;
	bool too_big = buf && n == PO_MAX_BYTES && fgetc(f) != EOF;
	fclose(f);
	struct po_file *p = NULL;
	if (!buf)
		diag_add(d, path, 0, 0, "out of memory");
	else if (too_big)
		diag_add(d, path, 0, 0, "file is larger than %d bytes", PO_MAX_BYTES);
	else
		p = po_parse(path, buf, n, d);
	free(buf);
	return p;
}

/* Frees the file and all entries (one arena). */
void po_free(struct po_file *p)
{
	if (p)
		arena_free(p->arena);
}

const struct po_entry *po_find(const struct po_file *p, const char *ctx, const char *msgid)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct po_entry *e = &p->entries[i];
		if (strcmp(e->msgid, msgid) != 0)
			continue;
		if ((!ctx && !e->ctx) || (ctx && e->ctx && strcmp(ctx, e->ctx) == 0))
			return e;
	}
	return NULL;
}
