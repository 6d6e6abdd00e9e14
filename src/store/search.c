/* search.c - full-text search over the offers of one tenant and language.
 *
 * The raw query is folded with text_normalise (as the indexed bodies are),
 * split into words, and turned into an FTS5 expression of quoted prefix
 * terms: "w1"* AND "w2"* ... . Quoting (with " doubled) means nothing the
 * user types is FTS5 syntax (NEAR, AND, *, parentheses are plain text). If all
 * words together find nothing, the words are tried again joined by OR, so a
 * longer question still ranks the offers that share some of its words.
 */
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/normalise.h"
#include "store/store_priv.h"
#include "util/utf8.h"

#define MAX_WORDS 8
#define MIN_WORD_CHARS 2

struct word {
	const char *p;
	size_t n;
};

/* Code points of w that the unicode61 tokenizer keeps as part of a token:
 * ASCII letters and digits and (after text_normalise has turned punctuation
 * into spaces) any non-ASCII character. A word of only "*" or "\"" would be
 * an empty phrase, which matches nothing and would spoil an AND. */
static size_t token_chars(const char *w, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n;) {
		size_t len;
		int32_t cp = utf8_decode(w + i, n - i, &len);
		if (cp >= 0x80 || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z'))
			count++;
		i += len;
	}
	return count;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits s into at most MAX_WORDS words of at least MIN_WORD_CHARS token
 * characters. Returns the number of words. */
static size_t split_words(const char *s, struct word *w)
{
	size_t n = 0;
	while (*s && n < MAX_WORDS) {
		while (is_space(*s))
			s++;
		const char *start = s;
		while (*s && !is_space(*s))
			s++;
		if (s > start && token_chars(start, (size_t)(s - start)) >= MIN_WORD_CHARS)
			w[n++] = (struct word){start, (size_t)(s - start)};
	}
	return n;
}

/* Builds "w1"* <op> "w2"* ... into sb, doubling any '"' inside a word. */
static void build_match(struct strbuf *sb, const struct word *w, size_t n, const char *op)
{
	strbuf_reset(sb);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_puts(sb, op);
		strbuf_putc(sb, '"');
		for (size_t j = 0; j < w[i].n; j++) {
			if (w[i].p[j] == '"')
				strbuf_putc(sb, '"');
			strbuf_putc(sb, w[i].p[j]);
		}
		strbuf_puts(sb, "\"*");
	}
}

/* Whether id (len bytes) is already among the NUL-separated ids in s->ids. */
static int seen(const struct store *s, const char *id, size_t len)
{
	for (size_t i = 0; i < s->ids.len;) {
		size_t l = strlen(s->ids.data + i);
		if (l == len && memcmp(s->ids.data + i, id, len) == 0)
			return 1;
		i += l + 1;
	}
	return 0;
}

static int oom(struct store *s)
{
	snprintf(s->err, sizeof s->err, "search: out of memory");
	return -1;
}

/* Runs one MATCH expression; appends up to max distinct ids (each with its
 * NUL) to s->ids. Returns the count or -1. */
static int run_match(struct store *s, const char *expr, const char *tenant, const char *lang, int max)
{
	sqlite3_stmt *st = s->st[ST_SEARCH];
	int n = 0, rc = SQLITE_DONE;
	strbuf_reset(&s->ids);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		if (!id || seen(s, id, len))
			continue;
		strbuf_append(&s->ids, id, len + 1); /* with its NUL */
		n++;
	}
	if (n < max && rc != SQLITE_DONE)
		n = store_fail(s, "search");
	else if (!strbuf_ok(&s->ids))
		n = oom(s);
	store_done(s, ST_SEARCH);
	return n;
}

/* The returned ids point into s->ids (owned by s) and stay valid until the
 * next call on s. */
int store_search(struct store *s, const char *tenant, const char *lang, const char *query,
                 const char **ids, int max)
{
	struct word w[MAX_WORDS];
	struct strbuf expr;
	char *norm = NULL;
	int n = -1;
	if (!s || !tenant || !lang || (max > 0 && !ids))
		return -1;
	strbuf_reset(&s->ids);
	if (!query || max <= 0)
		return 0;
	strbuf_init(&expr);
	norm = text_normalise(query, strlen(query));
	if (!norm) {
		n = oom(s);
		goto out;
	}
	size_t nw = split_words(norm, w);
	n = 0;
	if (nw == 0)
		goto out;
	build_match(&expr, w, nw, " AND ");
	n = strbuf_ok(&expr) ? run_match(s, strbuf_str(&expr), tenant, lang, max) : oom(s);
	if (n == 0 && nw > 1) {
		build_match(&expr, w, nw, " OR ");
		n = strbuf_ok(&expr) ? run_match(s, strbuf_str(&expr), tenant, lang, max) : oom(s);
	}
	const char *p = s->ids.data;
	for (int i = 0; i < n; i++, p += strlen(p) + 1)
		ids[i] = p;
out:
	free(norm);
	strbuf_free(&expr);
	return n;
}
