/* diff.c - a line diff (Myers' O(ND) algorithm, with the trace kept for the
 * path back) printed in unified format, as `diff -u` prints it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "staff/util.h"

struct line {
	const char *s;
	size_t len;       /* without the newline */
	bool nl;          /* ends with '\n' */
	uint32_t hash;
};

enum op { OP_EQ, OP_DEL, OP_ADD };

struct edit {
	enum op op;
	size_t a, b;      /* line index in a (EQ, DEL) and in b (EQ, ADD) */
};

/* Splits buf into lines (a caller-freed array in *out). Returns the count,
 * or -1 when out of memory. */
static long split(const char *buf, size_t len, struct line **out)
{
	size_t n = 0, cap = 0;
	struct line *v = NULL;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (buf + i)) : len - i;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct line *nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -1;
			}
			v = nv;
		}
		uint32_t h = 2166136261u;   /* FNV-1a */
		for (size_t k = 0; k < l; k++)
			h = (h ^ (unsigned char)buf[i + k]) * 16777619u;
		v[n++] = (struct line){buf + i, l, nl != NULL, h};
		i += l + (nl ? 1 : 0);
	}
	*out = v;
	return (long)n;
}

static bool same(const struct line *x, const struct line *y)
{
	return x->hash == y->hash && x->len == y->len && x->nl == y->nl &&
	       memcmp(x->s, y->s, x->len) == 0;
}

struct script {
	struct edit *e;
	size_t n, cap;
	bool failed;
};

static void push(struct script *sc, enum op op, size_t a, size_t b)
{
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 128;
		struct edit *ne = realloc(sc->e, cap * sizeof(*ne));
		if (!ne) {
			sc->failed = true;
			return;
		}
		sc->e = ne;
		sc->cap = cap;
	}
	sc->e[sc->n++] = (struct edit){op, a, b};
}

/* The trivial script: everything of a deleted, everything of b added. */
static void replace_all(struct script *sc, long na, long nb)
{
	sc->n = 0;
	for (long i = 0; i < na; i++)
		push(sc, OP_DEL, (size_t)i, 0);
	for (long j = 0; j < nb; j++)
		push(sc, OP_ADD, 0, (size_t)j);
}

/* Walks back through the trace (trace + d*d holds V[-d..d] after step d)
 * and pushes the script in reverse. */
static void backtrack(struct script *sc, const int32_t *trace, long dmax, const struct line *a,
                      const struct line *b, long x, long y)
{
	(void)a;
	(void)b;
	for (long d = dmax; d > 0; d--) {
		const int32_t *v = trace + (d - 1) * (d - 1) + (d - 1); /* v[k], k in -(d-1)..d-1 */
		long k = x - y, pk;
		if (k == -d || (k != d && v[k - 1] < v[k + 1]))
			pk = k + 1;
		else
			pk = k - 1;
		long px = v[pk], py = px - pk;
		while (x > px && y > py) {
			push(sc, OP_EQ, (size_t)(x - 1), (size_t)(y - 1));
			x--;
			y--;
		}
		if (x == px)
			push(sc, OP_ADD, 0, (size_t)(y - 1));
		else
			push(sc, OP_DEL, (size_t)(x - 1), 0);
		x = px;
		y = py;
	}
	while (x > 0 && y > 0) {
		push(sc, OP_EQ, (size_t)(x - 1), (size_t)(y - 1));
		x--;
		y--;
	}
}

/* Keeps V[-d..d] of step d at trace + d*d, growing the trace as needed.
 * Returns 0 or -1 (out of memory). */
static int keep(int32_t **t, size_t *cap, const int32_t *vk, long d)
{
	size_t need = (size_t)(d + 1) * (size_t)(d + 1);
	if (need > *cap) {
		size_t ncap = *cap ? *cap * 4 : 1024;
		while (ncap < need)
			ncap *= 2;
		int32_t *nt = realloc(*t, ncap * sizeof(*nt));
		if (!nt)
			return -1;
		*t = nt;
		*cap = ncap;
	}
	memcpy(*t + d * d, vk - d, (size_t)(2 * d + 1) * sizeof(**t));
	return 0;
}

/* Myers' greedy forward search. Returns D with the trace in *trace (caller
 * frees), or -1 when D would exceed STAFF_DIFF_MAX_EDITS or memory ran out. */
static long myers(const struct line *a, long na, const struct line *b, long nb, int32_t **trace)
{
	long max = na + nb, lim = max < STAFF_DIFF_MAX_EDITS ? max : STAFF_DIFF_MAX_EDITS;
	int32_t *v = calloc((size_t)(2 * lim + 3), sizeof(*v)), *t = NULL;
	size_t cap = 0;
	long found = -1;
	if (!v)
		goto out;
	int32_t *vk = v + lim + 1;
	for (long d = 0; d <= lim && found < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x = (k == -d || (k != d && vk[k - 1] < vk[k + 1])) ? vk[k + 1] : vk[k - 1] + 1;
			long y = x - k;
			while (x < na && y < nb && same(&a[x], &b[y])) {
				x++;
				y++;
			}
			vk[k] = (int32_t)x;
			if (x >= na && y >= nb) {
				found = d;
				break;
			}
		}
		if (keep(&t, &cap, vk, d) < 0) {
			found = -1;
			break;
		}
	}
out:
	free(v);
	if (found < 0) {
		free(t);
		t = NULL;
	}
	*trace = t;
	return found;
}

static void range(struct strbuf *out, size_t start, size_t count)
{
	/* diff -u: "l" for one line, "l,n" otherwise; an empty range names
	 * the line before it */
	if (count == 1)
		strbuf_printf(out, "%zu", start + 1);
	else
		strbuf_printf(out, "%zu,%zu", count ? start + 1 : start, count);
}

static void print_line(struct strbuf *out, char tag, const struct line *l)
{
	strbuf_putc(out, tag);
	strbuf_append(out, l->s, l->len);
	strbuf_putc(out, '\n');
	if (!l->nl)
		strbuf_puts(out, "\\ No newline at end of file\n");
}

/* Prints the hunk of edits [from, to). */
static void hunk(struct strbuf *out, const struct edit *e, size_t from, size_t to,
                 const struct line *a, const struct line *b, size_t a0, size_t b0)
{
	size_t na = 0, nb = 0;
	for (size_t i = from; i < to; i++) {
		na += e[i].op != OP_ADD;
		nb += e[i].op != OP_DEL;
	}
	strbuf_puts(out, "@@ -");
	range(out, a0, na);
	strbuf_puts(out, " +");
	range(out, b0, nb);
	strbuf_puts(out, " @@\n");
	for (size_t i = from; i < to; i++) {
		if (e[i].op == OP_EQ)
			print_line(out, ' ', &a[e[i].a]);
		else if (e[i].op == OP_DEL)
			print_line(out, '-', &a[e[i].a]);
		else
			print_line(out, '+', &b[e[i].b]);
	}
}

/* Groups the script into hunks with `context` equal lines around changes. */
static void print_hunks(struct strbuf *out, const struct script *sc, const struct line *a,
                        const struct line *b, size_t context)
{
	size_t i = 0, n = sc->n;
	size_t apos = 0, bpos = 0;   /* line numbers before edit i */
	const struct edit *e = sc->e;
	while (i < n) {
		size_t first = i;
		while (first < n && e[first].op == OP_EQ)
			first++;
		if (first == n)
			break;
		size_t start = first >= i + context ? first - context : i;
		/* extend while the next change is within 2 * context equal lines */
		size_t end = first;
		for (;;) {
			while (end < n && e[end].op != OP_EQ)
				end++;
			size_t eq = end;
			while (eq < n && e[eq].op == OP_EQ)
				eq++;
			if (eq < n && eq - end <= 2 * context) {
				end = eq;
				continue;
			}
			end = end + context < eq ? end + context : eq;
			break;
		}
		for (size_t k = i; k < start; k++) {
			apos += e[k].op != OP_ADD;
			bpos += e[k].op != OP_DEL;
		}
		hunk(out, e, start, end, a, b, apos, bpos);
		for (size_t k = start; k < end; k++) {
			apos += e[k].op != OP_ADD;
			bpos += e[k].op != OP_DEL;
		}
		i = end;
	}
}

int staff_diff(const char *a, size_t alen, const char *b, size_t blen, const char *name_a,
               const char *name_b, int context, struct strbuf *out)
{
	struct line *la = NULL, *lb = NULL;
	struct script sc = {0};
	int32_t *trace = NULL;
	int rc = -1;
	long na = split(a, alen, &la), nb = split(b, blen, &lb);
	if (na < 0 || nb < 0)
		goto out;
	long d = myers(la, na, lb, nb, &trace);
	if (d == 0) {
		rc = 0;
		goto out;
	}
	if (d > 0)
		backtrack(&sc, trace, d, la, lb, na, nb);
	else
		replace_all(&sc, na, nb);
	if (sc.failed)
		goto out;
	for (size_t i = 0, j = sc.n ? sc.n - 1 : 0; d > 0 && i < j; i++, j--) {
		struct edit t = sc.e[i];
		sc.e[i] = sc.e[j];
		sc.e[j] = t;
	}
	strbuf_printf(out, "--- %s\n+++ %s\n", name_a, name_b);
	print_hunks(out, &sc, la, lb, context < 0 ? 0 : (size_t)context);
	rc = strbuf_ok(out) ? 0 : -1;
out:
	free(la);
	free(lb);
	free(sc.e);
	free(trace);
	return rc;
}
