/* ydoc.c - builds a struct ydoc from libyaml's event stream and enforces
 * Lotse's strict YAML rules (size, depth, UTF-8, no anchors/aliases/tags, no
 * duplicate or non-scalar keys, one document); see ydoc.h. */
#include "yaml/ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/utf8.h"

/* One open collection while the tree is built. */
struct frame {
	struct ynode *node;
	size_t cap;           /* capacity of node->pairs or node->items */
	struct ynode *key;    /* map: key waiting for its value */
	bool skip_value;      /* map: the key was bad, drop the next value */
};

struct builder {
	struct ydoc *doc;
	struct diag *d;
	const char *file;
	const char *buf;
	size_t len;
	struct frame stack[YDOC_MAX_DEPTH];
	int depth;
	int ndocs;
	bool stop;            /* fatal problem: read no further events */
	bool partial;         /* the tree lacks or replaced part of the input */
};

static int clamp_int(size_t v)
{
	return v >= INT_MAX ? INT_MAX : (int)v;
}

/* Length of a line break at s (0 if none), counted as libyaml does:
 * CR LF, CR, LF, NEL, LS, PS. */
static size_t break_len(const unsigned char *s, size_t n)
{
	if (s[0] == '\r')
		return n > 1 && s[1] == '\n' ? 2 : 1;
	if (s[0] == '\n')
		return 1;
	if (n > 1 && s[0] == 0xC2 && s[1] == 0x85)
		return 2;
	if (n > 2 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
		return 3;
	return 0;
}

/* 1-based line and column (in code points) of byte offset off; a leading
 * BOM is not counted, like libyaml. */
static void offset_pos(const char *buf, size_t len, size_t off, int *line, int *col)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, l = 1, c = 1;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (off > len)
		off = len;
	while (i < off) {
		size_t n = break_len(s + i, len - i);
		if (n) {
			l++;
			c = 1;
			i += n;
			continue;
		}
		utf8_decode(buf + i, len - i, &n);
		i += n;
		c++;
	}
	*line = clamp_int(l);
	*col = clamp_int(c);
}

/* The byte at 0-based line and column (in code points), or -1 if none. */
static int byte_at(const char *buf, size_t len, size_t line, size_t col)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	size_t l = 0, c = 0;
	while (i < len && (l < line || c < col)) {
		size_t n = break_len(s + i, len - i);
		if (n && l == line)
			return -1;
		if (n) {
			l++;
			c = 0;
			i += n;
			continue;
		}
		utf8_decode(buf + i, len - i, &n);
		i += n;
		c++;
	}
	return i < len ? s[i] : -1;
}

static void err_mark(struct builder *b, const yaml_mark_t *m, const char *msg)
{
	diag_add(b->d, b->file, clamp_int(m->line + 1), clamp_int(m->column + 1), "%s", msg);
}

/* Reports libyaml's own error (reader, scanner or parser). */
static void syntax_error(struct builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown problem";
	int line, col;
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		diag_add(b->d, b->file, 0, 0, "out of memory");
		break;
	case YAML_READER_ERROR:
		offset_pos(b->buf, b->len, p->problem_offset, &line, &col);
		diag_add(b->d, b->file, line, col, "YAML syntax error: %s", problem);
		break;
	default:
		line = clamp_int(p->problem_mark.line + 1);
		col = clamp_int(p->problem_mark.column + 1);
		if (byte_at(b->buf, b->len, p->problem_mark.line, p->problem_mark.column) == '\t')
			diag_add(b->d, b->file, line, col,
			         "YAML syntax error: tabs are not allowed here (indent with spaces)");
		else if (p->context)
			diag_add(b->d, b->file, line, col, "YAML syntax error: %s (%s at line %d)",
			         problem, p->context, clamp_int(p->context_mark.line + 1));
		else
			diag_add(b->d, b->file, line, col, "YAML syntax error: %s", problem);
	}
}

static struct ynode *new_node(struct builder *b, enum ynode_kind kind, const yaml_mark_t *m)
{
	struct ynode *n = arena_alloc(b->doc->arena, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = clamp_int(m->line + 1);
	n->col = clamp_int(m->column + 1);
	return n;
}

/* Anchors and tags are refused; returns false if the node had one. */
static bool check_props(struct builder *b, const yaml_event_t *ev, const yaml_char_t *anchor,
                        const yaml_char_t *tag)
{
	if (anchor) {
		err_mark(b, &ev->start_mark, "anchors and aliases are not allowed");
		return false;
	}
	if (tag) {
		err_mark(b, &ev->start_mark, "tags are not allowed");
		return false;
	}
	return true;
}

static bool oom(struct builder *b)
{
	diag_add(b->d, b->file, 0, 0, "out of memory");
	b->stop = true;
	return false;
}

static bool seq_append(struct builder *b, struct frame *f, struct ynode *n)
{
	struct ynode *s = f->node;
	if (s->nitems == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 4;
		struct ynode **ni = arena_grow(b->doc->arena, s->items, s->nitems, ncap, sizeof(*ni));
		if (!ni)
			return oom(b);
		s->items = ni;
		f->cap = ncap;
	}
	s->items[s->nitems++] = n;
	return true;
}

static bool map_append(struct builder *b, struct frame *f, struct ynode *k, struct ynode *v)
{
	struct ynode *m = f->node;
	if (m->npairs == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 4;
		struct ypair *np = arena_grow(b->doc->arena, m->pairs, m->npairs, ncap, sizeof(*np));
		if (!np)
			return oom(b);
		m->pairs = np;
		f->cap = ncap;
	}
	m->pairs[m->npairs].key = k;
	m->pairs[m->npairs].value = v;
	m->npairs++;
	return true;
}

/* Attaches a finished node to the open collection (or makes it the root). */
static void add_child(struct builder *b, struct ynode *n)
{
	if (b->depth == 0) {
		b->doc->root = n;
		return;
	}
	struct frame *f = &b->stack[b->depth - 1];
	if (f->node->kind == YNODE_SEQ) {
		seq_append(b, f, n);
		return;
	}
	if (!f->key && !f->skip_value) {
		if (n->kind != YNODE_SCALAR) {
			diag_add(b->d, b->file, n->line, n->col, "keys must be scalars");
			b->partial = true;
			f->skip_value = true;
			return;
		}
		f->key = n;
		return;
	}
	if (f->skip_value) {
		f->skip_value = false;
		return;
	}
	map_append(b, f, f->key, n);
	f->key = NULL;
}

static void push(struct builder *b, enum ynode_kind kind, const yaml_event_t *ev)
{
	if (b->depth >= YDOC_MAX_DEPTH) {
		char msg[64];
		snprintf(msg, sizeof(msg), "nesting deeper than %d levels", YDOC_MAX_DEPTH);
		err_mark(b, &ev->start_mark, msg);
		b->stop = true;
		return;
	}
	struct ynode *n = new_node(b, kind, &ev->start_mark);
	if (!n) {
		oom(b);
		return;
	}
	struct frame *f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
}

/* Copies at most ~60 bytes of a key for a message, cut at a character
 * boundary, into out (size outlen). */
static const char *short_key(const struct ynode *k, char *out, size_t outlen)
{
	size_t n = k->len;
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)k->str[n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(out, outlen, "%.*s%s", (int)n, k->str, n < k->len ? "..." : "");
	return out;
}

static int pair_cmp(const void *pa, const void *pb)
{
	const struct ypair *a = *(const struct ypair *const *)pa;
	const struct ypair *b = *(const struct ypair *const *)pb;
	if (a->key->len != b->key->len)
		return a->key->len < b->key->len ? -1 : 1;
	int c = memcmp(a->key->str, b->key->str, a->key->len);
	if (c)
		return c;
	return a < b ? -1 : (a > b); /* file order among equal keys */
}

/* Reports every repeated key of a finished mapping at its later position and
 * drops the later pairs from the tree (the first one counts, as in
 * ynode_get), so that a schema check of the tree reports no follow-up
 * errors. Sorts a temporary index (malloc'd and freed here): O(n log n). */
static void check_duplicates(struct builder *b, struct ynode *m)
{
	if (m->npairs < 2)
		return;
	const struct ypair **idx = malloc(m->npairs * sizeof(*idx));
	bool *drop = calloc(m->npairs, sizeof(*drop));
	if (!idx || !drop) {
		free(idx);
		free(drop);
		oom(b);
		return;
	}
	for (size_t i = 0; i < m->npairs; i++)
		idx[i] = &m->pairs[i];
	qsort(idx, m->npairs, sizeof(*idx), pair_cmp);
	size_t first = 0, dropped = 0;
	for (size_t i = 1; i < m->npairs; i++) {
		const struct ynode *k = idx[i]->key, *f = idx[first]->key;
		if (k->len != f->len || memcmp(k->str, f->str, k->len) != 0) {
			first = i;
			continue;
		}
		char name[80];
		diag_add(b->d, b->file, k->line, k->col, "duplicate key \"%s\" (first at line %d)",
		         short_key(k, name, sizeof(name)), f->line);
		drop[idx[i] - m->pairs] = true;
		dropped++;
	}
	free(idx);
	if (dropped) {
		size_t o = 0;
		for (size_t i = 0; i < m->npairs; i++)
			if (!drop[i])
				m->pairs[o++] = m->pairs[i];
		m->npairs = o;
	}
	free(drop);
}

static void pop(struct builder *b)
{
	if (b->depth == 0)
		return;
	struct ynode *n = b->stack[--b->depth].node;
	if (n->kind == YNODE_MAP)
		check_duplicates(b, n);
	add_child(b, n);
}

static void on_scalar(struct builder *b, const yaml_event_t *ev)
{
	bool ok = check_props(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
	struct ynode *n = new_node(b, YNODE_SCALAR, &ev->start_mark);
	if (!n) {
		oom(b);
		return;
	}
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	if (ok && memchr(v, '\0', len))
		err_mark(b, &ev->start_mark, "NUL characters are not allowed");
	n->str = arena_strndup(b->doc->arena, v, len);
	if (!n->str) {
		oom(b);
		return;
	}
	n->len = len;
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	add_child(b, n);
}

/* An alias is reported and replaced by an empty scalar, so parsing goes on. */
static void on_alias(struct builder *b, const yaml_event_t *ev)
{
	err_mark(b, &ev->start_mark, "anchors and aliases are not allowed");
	b->partial = true;
	struct ynode *n = new_node(b, YNODE_SCALAR, &ev->start_mark);
	if (!n) {
		oom(b);
		return;
	}
	n->str = "";
	add_child(b, n);
}

static void on_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->ndocs > 1) {
			err_mark(b, &ev->start_mark, "more than one document");
			b->stop = true;
		}
		break;
	case YAML_MAPPING_START_EVENT:
		check_props(b, ev, ev->data.mapping_start.anchor,
		            ev->data.mapping_start.tag);
		push(b, YNODE_MAP, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		check_props(b, ev, ev->data.sequence_start.anchor,
		            ev->data.sequence_start.tag);
		push(b, YNODE_SEQ, ev);
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		pop(b);
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(b, ev);
		break;
	case YAML_ALIAS_EVENT:
		on_alias(b, ev);
		break;
	default:
		break;
	}
}

/* Feeds libyaml's events to the builder; the parser is freed here. */
static void run_parser(struct builder *b)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		oom(b);
		return;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)(b->buf ? b->buf : ""), b->len);
	while (!b->stop) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			syntax_error(b, &p);
			b->stop = true;
			break;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		on_event(b, &ev);
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&p);
}

/* Checks size and encoding before libyaml sees the bytes; false on error. */
static bool precheck(struct builder *b)
{
	if (b->len > YDOC_MAX_BYTES) {
		diag_add(b->d, b->file, 0, 0, "file is larger than %d bytes", YDOC_MAX_BYTES);
		return false;
	}
	size_t bad = utf8_invalid_at(b->buf, b->len);
	if (bad < b->len) {
		int line, col;
		offset_pos(b->buf, b->len, bad, &line, &col);
		diag_add(b->d, b->file, line, col, "invalid UTF-8");
		return false;
	}
	return true;
}

/* Returns a new document the caller frees with ydoc_free, or NULL. */
struct ydoc *ydoc_parse_all(const char *file, const char *buf, size_t len, struct diag *d,
                            bool *clean)
{
	size_t before = diag_count(d);
	*clean = false;
	struct builder b = { .d = d, .file = file ? file : "<input>", .buf = buf, .len = buf ? len : 0 };
	struct arena *a = NULL;
	if (!precheck(&b))
		goto fail;
	a = arena_new();
	struct ydoc *doc = a ? arena_alloc(a, sizeof(*doc)) : NULL;
	if (!doc || !(doc->file = arena_strdup(a, b.file))) {
		diag_add(d, b.file, 0, 0, "out of memory");
		goto fail;
	}
	doc->arena = a;
	b.doc = doc;
	run_parser(&b);
	if (b.stop || b.partial)
		goto fail;
	*clean = diag_count(d) == before;
	return doc;
fail:
	arena_free(a);
	return NULL;
}

/* Returns a new document the caller frees with ydoc_free, or NULL. */
struct ydoc *ydoc_parse(const char *file, const char *buf, size_t len, struct diag *d)
{
	bool clean;
	struct ydoc *doc = ydoc_parse_all(file, buf, len, d, &clean);
	if (doc && !clean) {
		ydoc_free(doc);
		return NULL;
	}
	return doc;
}

/* Reads at most YDOC_MAX_BYTES + 1 bytes of path into a malloc'd buffer the
 * caller frees; NULL (with an error in d) on failure. */
static char *read_capped(const char *path, const char *display, size_t *len, struct diag *d)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(d, display, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	char *buf = malloc(YDOC_MAX_BYTES + 1);
	size_t n = buf ? fread(buf, 1, YDOC_MAX_BYTES + 1, f) : 0;
	if (!buf)
		diag_add(d, display, 0, 0, "out of memory");
	else if (ferror(f))
		diag_add(d, display, 0, 0, "cannot read: %s", strerror(errno));
	else if (n > YDOC_MAX_BYTES)
		diag_add(d, display, 0, 0, "file is larger than %d bytes", YDOC_MAX_BYTES);
	else {
		fclose(f);
		*len = n;
		return buf;
	}
	fclose(f);
	free(buf);
	return NULL;
}

/* Returns a new document the caller frees with ydoc_free, or NULL. */
struct ydoc *ydoc_load_all(const char *path, const char *display, struct diag *d, bool *clean)
{
	*clean = false;
	if (!display)
		display = path;
	size_t len = 0;
	char *buf = read_capped(path, display, &len, d);
	if (!buf)
		return NULL;
	struct ydoc *doc = ydoc_parse_all(display, buf, len, d, clean);
	free(buf);
	return doc;
}

/* Returns a new document the caller frees with ydoc_free, or NULL. */
struct ydoc *ydoc_load(const char *path, const char *display, struct diag *d)
{
	bool clean;
	struct ydoc *doc = ydoc_load_all(path, display, d, &clean);
	if (doc && !clean) {
		ydoc_free(doc);
		return NULL;
	}
	return doc;
}

/* Frees the document: everything lives in its arena (the struct too). */
void ydoc_free(struct ydoc *doc)
{
	if (doc)
		arena_free(doc->arena);
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP || !key)
		return NULL;
	size_t kl = strlen(key);
	for (size_t i = 0; i < map->npairs; i++) {
		const struct ynode *k = map->pairs[i].key;
		if (k->len == kl && memcmp(k->str, key, kl) == 0)
			return map->pairs[i].value;
	}
	return NULL;
}

/* A scalar that is not a YAML null (empty plain, ~, null). */
bool ynode_is_str(const struct ynode *n)
{
	if (!n || n->kind != YNODE_SCALAR)
		return false;
	if (n->quoted)
		return true;
	return !(n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
	         strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

bool ynode_int(const struct ynode *n, long min, long max, long *out)
{
	if (!n || n->kind != YNODE_SCALAR || n->quoted || n->len == 0 || n->len > 20)
		return false;
	const char *s = n->str;
	if (*s == '+' || *s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	long v = strtol(n->str, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool ynode_bool(const struct ynode *n, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO" };
	if (!n || n->kind != YNODE_SCALAR || n->quoted)
		return false;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(n->str, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(n->str, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}
