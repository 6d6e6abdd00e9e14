/* plural.c - parser and evaluator for gettext Plural-Forms expressions.
 *
 * Accepts the header value "nplurals=N; plural=EXPR;" where EXPR is the C
 * subset gettext uses: n, unsigned decimal constants, ( ), unary !, * / %,
 * + -, < <= > >=, == !=, &&, ||, ?: (right-associative). The text comes from
 * .mo files, i.e. untrusted input: nesting depth and size are bounded, and
 * evaluation never traps (x / 0 and x % 0 are 0). The expression is parsed by
 * recursive descent into a small node array evaluated recursively.
 */
#include "i18n/catalog.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define PLURAL_MAX_DEPTH 64    /* nesting of the tree (and parser recursion) */
#define PLURAL_MAX_NODES 512
#define PLURAL_MAX_FORMS 64    /* largest accepted nplurals */

enum op {
	OP_N, OP_NUM, OP_NOT,
	OP_MUL, OP_DIV, OP_MOD, OP_ADD, OP_SUB,
	OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
	OP_AND, OP_OR, OP_COND,
};

struct node {
	enum op op;
	unsigned long value;  /* OP_NUM */
	int a, b, c;          /* child indexes (-1 if unused) */
};

struct plural_expr {
	unsigned nplurals;
	int root;
	int nnodes;
	struct node nodes[];
};

struct parser {
	const char *s;        /* the whole header value */
	size_t pos;
	int depth;
	struct node nodes[PLURAL_MAX_NODES];
	int depths[PLURAL_MAX_NODES];  /* height of the subtree at each node */
	int nnodes;
	const char *err;      /* first error message (static text) */
	size_t err_pos;
};

static void fail(struct parser *p, const char *msg)
{
	if (!p->err) {
		p->err = msg;
		p->err_pos = p->pos;
	}
}

static void skip_space(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	       p->s[p->pos] == '\r')
		p->pos++;
}

/* Consumes tok (after spaces) if it is next; returns 1 if consumed. */
static int accept(struct parser *p, const char *tok)
{
	skip_space(p);
	size_t n = strlen(tok);
	if (strncmp(p->s + p->pos, tok, n) != 0)
		return 0;
	p->pos += n;
	return 1;
}

static int subtree_height(const struct parser *p, int i)
{
	return i < 0 ? 0 : p->depths[i];
}

static int new_node(struct parser *p, enum op op, int a, int b, int c)
{
	if (p->err)
		return -1;
	if (p->nnodes >= PLURAL_MAX_NODES) {
		fail(p, "plural expression too long");
		return -1;
	}
	int h = subtree_height(p, a);
	if (subtree_height(p, b) > h)
		h = subtree_height(p, b);
	if (subtree_height(p, c) > h)
		h = subtree_height(p, c);
	if (h + 1 > PLURAL_MAX_DEPTH) {
		fail(p, "plural expression nested too deeply");
		return -1;
	}
	int i = p->nnodes++;
	p->nodes[i] = (struct node){ .op = op, .a = a, .b = b, .c = c };
	p->depths[i] = h + 1;
	return i;
}

static int parse_cond(struct parser *p);

static int parse_number(struct parser *p)
{
	unsigned long v = 0;
	while (p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
		unsigned d = (unsigned)(p->s[p->pos] - '0');
		if (v > (ULONG_MAX - d) / 10) {
			fail(p, "number too large");
			return -1;
		}
		v = v * 10 + d;
		p->pos++;
	}
	int i = new_node(p, OP_NUM, -1, -1, -1);
	if (i >= 0)
		p->nodes[i].value = v;
	return i;
}

static int parse_primary(struct parser *p)
{
	skip_space(p);
	char c = p->s[p->pos];
	if (c == 'n') {
		p->pos++;
		return new_node(p, OP_N, -1, -1, -1);
	}
	if (c >= '0' && c <= '9')
		return parse_number(p);
	if (c == '(') {
		p->pos++;
		int e = parse_cond(p);
		if (e >= 0 && !accept(p, ")"))
			fail(p, "expected ')'");
		return p->err ? -1 : e;
	}
	fail(p, c ? "expected n, a number or '('" : "unexpected end of expression");
	return -1;
}

static int parse_unary(struct parser *p)
{
	skip_space(p);
	if (p->s[p->pos] == '!' && p->s[p->pos + 1] != '=') {
		p->pos++;
		if (++p->depth > PLURAL_MAX_DEPTH) {
			fail(p, "plural expression nested too deeply");
			return -1;
		}
		int a = parse_unary(p);
		p->depth--;
		return a < 0 ? -1 : new_node(p, OP_NOT, a, -1, -1);
	}
	return parse_primary(p);
}

/* One level of left-associative binary operators. */
struct binop {
	const char *tok;
	enum op op;
};

static const struct binop mul_ops[] = { { "*", OP_MUL }, { "/", OP_DIV }, { "%", OP_MOD }, { NULL, 0 } };
static const struct binop add_ops[] = { { "+", OP_ADD }, { "-", OP_SUB }, { NULL, 0 } };
/* Two-character operators first so "<=" is not read as "<". */
static const struct binop rel_ops[] = { { "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT },
                                        { ">", OP_GT }, { NULL, 0 } };
static const struct binop eq_ops[] = { { "==", OP_EQ }, { "!=", OP_NE }, { NULL, 0 } };
static const struct binop and_ops[] = { { "&&", OP_AND }, { NULL, 0 } };
static const struct binop or_ops[] = { { "||", OP_OR }, { NULL, 0 } };

/* Levels from loosest to tightest; the level past the last is parse_unary. */
static const struct binop *const levels[] = { or_ops, and_ops, eq_ops, rel_ops, add_ops, mul_ops };
#define NLEVELS (int)(sizeof(levels) / sizeof(levels[0]))

static int parse_level(struct parser *p, int level);

static int parse_operand(struct parser *p, int level)
{
	return level + 1 < NLEVELS ? parse_level(p, level + 1) : parse_unary(p);
}

static enum op match_op(struct parser *p, const struct binop *ops, int *found)
{
	skip_space(p);
	for (const struct binop *o = ops; o->tok; o++) {
		size_t n = strlen(o->tok);
		if (strncmp(p->s + p->pos, o->tok, n) != 0)
			continue;
		p->pos += n;
		*found = 1;
		return o->op;
	}
	*found = 0;
	return OP_N;
}

static int parse_level(struct parser *p, int level)
{
	int left = parse_operand(p, level);
	while (left >= 0) {
		int found;
		enum op op = match_op(p, levels[level], &found);
		if (!found)
			break;
		int right = parse_operand(p, level);
		left = right < 0 ? -1 : new_node(p, op, left, right, -1);
	}
	return left;
}

static int parse_cond(struct parser *p)
{
	if (++p->depth > PLURAL_MAX_DEPTH) {
		fail(p, "plural expression nested too deeply");
		return -1;
	}
	int r = parse_level(p, 0);
	if (r >= 0 && accept(p, "?")) {
		int a = parse_cond(p);
		if (a >= 0 && !accept(p, ":"))
			fail(p, "expected ':'");
		int b = p->err ? -1 : parse_cond(p);
		r = b < 0 ? -1 : new_node(p, OP_COND, r, a, b);
	}
	p->depth--;
	return p->err ? -1 : r;
}

/* Parses "nplurals=N;" and returns N (0 on error). */
static unsigned parse_nplurals(struct parser *p)
{
	if (!accept(p, "nplurals") || !accept(p, "=")) {
		fail(p, "expected 'nplurals='");
		return 0;
	}
	skip_space(p);
	unsigned long v = 0;
	size_t start = p->pos;
	while (p->s[p->pos] >= '0' && p->s[p->pos] <= '9' && v <= PLURAL_MAX_FORMS)
		v = v * 10 + (unsigned long)(p->s[p->pos++] - '0');
	if (p->pos == start) {
		fail(p, "expected a number after 'nplurals='");
		return 0;
	}
	if (v < 1 || v > PLURAL_MAX_FORMS) {
		p->pos = start;
		fail(p, "nplurals must be between 1 and 64");
		return 0;
	}
	if (!accept(p, ";")) {
		fail(p, "expected ';' after nplurals");
		return 0;
	}
	return (unsigned)v;
}

/* Returns a newly allocated expression (free with plural_free) or NULL with
 * an error in d naming file. */
struct plural_expr *plural_parse(const char *header_value, struct diag *d, const char *file)
{
	struct parser *p = calloc(1, sizeof(*p));
	struct plural_expr *e = NULL;
	if (!p) {
		diag_add(d, file, 0, 0, "out of memory parsing Plural-Forms");
		return NULL;
	}
	p->s = header_value ? header_value : "";
	unsigned np = parse_nplurals(p);
	int root = -1;
	if (np && (!accept(p, "plural") || !accept(p, "=")))
		fail(p, "expected 'plural='");
	if (!p->err)
		root = parse_cond(p);
	if (!p->err) {
		accept(p, ";");
		skip_space(p);
		if (p->s[p->pos])
			fail(p, "unexpected text after the plural expression");
	}
	if (p->err) {
		diag_add(d, file, 0, 0, "invalid Plural-Forms \"%.200s\": %s at character %zu", p->s,
		         p->err, p->err_pos + 1);
		goto out;
	}
	e = malloc(sizeof(*e) + (size_t)p->nnodes * sizeof(struct node));
	if (!e) {
		diag_add(d, file, 0, 0, "out of memory parsing Plural-Forms");
		goto out;
	}
	e->nplurals = np;
	e->root = root;
	e->nnodes = p->nnodes;
	memcpy(e->nodes, p->nodes, (size_t)p->nnodes * sizeof(struct node));
out:
	free(p);
	return e;
}

static unsigned long eval(const struct node *nodes, int i, unsigned long n)
{
	const struct node *x = &nodes[i];
	unsigned long a, b;
	switch (x->op) {
	case OP_N: return n;
	case OP_NUM: return x->value;
	case OP_NOT: return !eval(nodes, x->a, n);
	case OP_AND: return eval(nodes, x->a, n) && eval(nodes, x->b, n);
	case OP_OR: return eval(nodes, x->a, n) || eval(nodes, x->b, n);
	case OP_COND: return eval(nodes, x->a, n) ? eval(nodes, x->b, n) : eval(nodes, x->c, n);
	default: break;
	}
	a = eval(nodes, x->a, n);
	b = eval(nodes, x->b, n);
	switch (x->op) {
	case OP_MUL: return a * b;
	case OP_DIV: return b ? a / b : 0;
	case OP_MOD: return b ? a % b : 0;
	case OP_ADD: return a + b;
	case OP_SUB: return a - b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	default: return 0;
	}
}

/* Returns the plural form index for n; a value >= nplurals becomes 0. */
unsigned long plural_eval(const struct plural_expr *e, unsigned long n)
{
	if (!e)
		return n == 1 ? 0 : 1;
	unsigned long r = eval(e->nodes, e->root, n);
	return r < e->nplurals ? r : 0;
}

unsigned plural_nplurals(const struct plural_expr *e)
{
	return e ? e->nplurals : 2;
}

/* Frees an expression from plural_parse; NULL is fine. */
void plural_free(struct plural_expr *e)
{
	free(e);
}
