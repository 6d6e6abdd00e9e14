/* save.c - a conversation as one line of text, and back (for resume).
 *
 * Format (space separated; ids are [a-z0-9_-], fact keys and values are
 * percent-encoded):
 *   lotse1 <tenant> <lang> <depth> {<flow> <node> <nfacts>}*depth
 *          <nfacts> {<key> <value>}*nfacts
 * Restoring checks every id against the given snapshot and takes fact
 * strings from the snapshot's own flows, so a saved line can never inject
 * text or point outside the content.
 */
#include "talk/talk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static void put_escaped(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.') {
			strbuf_putc(sb, (char)*p);
		} else {
			strbuf_putc(sb, '%');
			strbuf_putc(sb, hex[*p >> 4]);
			strbuf_putc(sb, hex[*p & 15]);
		}
	}
}

/* Returns a malloc'd line; caller frees. NULL on out-of-memory. */
char *talk_save(const struct talk_session *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_printf(&sb, "lotse1 %s %s %u", s->tc->tenant->id, s->lang, s->depth);
	for (unsigned i = 0; i < s->depth; i++)
		strbuf_printf(&sb, " %s %s %u", s->history[i].flow->id, s->history[i].node->id,
		              s->history[i].nfacts);
	strbuf_printf(&sb, " %u", s->nfacts);
	for (unsigned i = 0; i < s->nfacts; i++) {
		strbuf_putc(&sb, ' ');
		put_escaped(&sb, s->facts[i].key);
		strbuf_putc(&sb, ' ');
		put_escaped(&sb, s->facts[i].value);
	}
	return strbuf_steal(&sb);
}

/* Decodes a percent-encoded token in place; false on a bad escape. */
static bool unescape(char *t)
{
	char *o = t;
	for (char *p = t; *p; p++) {
		if (*p != '%') {
			*o++ = *p;
			continue;
		}
		unsigned v = 0;
		for (int k = 1; k <= 2; k++) {
			char c = p[k];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'A' && c <= 'F')
				v |= (unsigned)(c - 'A' + 10);
			else
				return false;
		}
		if (v == 0)
			return false;
		*o++ = (char)v;
		p += 2;
	}
	*o = '\0';
	return true;
}

static bool parse_uint(const char *t, unsigned max, unsigned *out)
{
	char *end;
	if (!t || *t < '0' || *t > '9')
		return false;
	unsigned long v = strtoul(t, &end, 10);
	if (*end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

/* The fact (key, value) as written in one of the tenant's flows. */
static const struct fact *find_fact(const struct tenant_content *tc, const char *key,
                                    const char *value)
{
	for (size_t f = 0; f < tc->nflows; f++) {
		const struct flow *fl = tc->flows[f];
		for (size_t n = 0; n < fl->nnodes; n++) {
			const struct node *nd = &fl->nodes[n];
			for (size_t c = 0; c < nd->nchoices; c++)
				for (size_t k = 0; k < nd->choices[c].nset; k++) {
					const struct fact *ft = &nd->choices[c].set[k];
					if (!strcmp(ft->key, key) && !strcmp(ft->value, value))
						return ft;
				}
		}
	}
	return NULL;
}

static bool visible(const struct node *n)
{
	return n->kind != NODE_BRANCH && n->kind != NODE_GOTO;
}

static enum talk_err restore_tokens(struct talk_session *s, struct content *c, char **tok,
                                    size_t ntok)
{
	size_t i = 0;
	unsigned depth, nfacts;
	if (ntok < 5 || strcmp(tok[i++], "lotse1") != 0)
		return TALK_ERR_BAD_STATE;
	const char *tenant = tok[i++], *lang = tok[i++];
	enum talk_err e = talk_start(s, c, tenant, lang);
	if (e != TALK_OK)
		return e;
	if (!parse_uint(tok[i++], TALK_MAX_HISTORY, &depth) || depth == 0 || ntok < i + 3 * depth + 1)
		goto bad;
	for (unsigned d = 0; d < depth; d++, i += 3) {
		const struct flow *f = tenant_flow(s->tc, tok[i]);
		const struct node *n = f ? flow_node(f, tok[i + 1]) : NULL;
		unsigned nf;
		if (!n || !visible(n) || !parse_uint(tok[i + 2], TALK_MAX_FACTS, &nf))
			goto bad;
		if (d > 0 && nf < s->history[d - 1].nfacts)
			goto bad;
		s->history[d].flow = f;
		s->history[d].node = n;
		s->history[d].nfacts = (unsigned short)nf;
	}
	s->depth = depth;
	if (!parse_uint(tok[i++], TALK_MAX_FACTS, &nfacts) || ntok != i + 2 * (size_t)nfacts)
		goto bad;
	if (nfacts < s->history[depth - 1].nfacts)
		goto bad;
	for (unsigned k = 0; k < nfacts; k++, i += 2) {
		if (!unescape(tok[i]) || !unescape(tok[i + 1]))
			goto bad;
		const struct fact *ft = find_fact(s->tc, tok[i], tok[i + 1]);
		if (!ft)
			goto bad;
		s->facts[k] = *ft;
	}
	s->nfacts = nfacts;
	return TALK_OK;
bad:
	talk_end(s);
	return TALK_ERR_BAD_STATE;
}

enum talk_err talk_restore(struct talk_session *s, struct content *c, const char *saved)
{
	enum { MAX_TOKENS = 4 + 3 * TALK_MAX_HISTORY + 1 + 2 * TALK_MAX_FACTS };
	char *copy = strdup(saved ? saved : "");
	char *tok[MAX_TOKENS];
	size_t ntok = 0;
	enum talk_err e = TALK_ERR_BAD_STATE;
	if (!copy)
		return e;
	char *save = NULL;
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (ntok == MAX_TOKENS)
			goto out;
		tok[ntok++] = t;
	}
	e = restore_tokens(s, c, tok, ntok);
out:
	free(copy);
	return e;
}
