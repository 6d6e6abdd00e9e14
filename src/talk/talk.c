/* talk.c - the conversation engine: a pure state machine over a content
 * snapshot (see talk.h). No I/O, no globals; every function works only on the
 * session it is given. */
#include "talk/talk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/lang.h"
#include "content/messages.h"

static const struct {
	const char *code;
	const char *msgid;
} err_table[] = {
	[TALK_OK] = {"ok", ""},
	[TALK_ERR_UNKNOWN_TENANT] = {"unknown_tenant", MSG_ERR_TENANT},
	[TALK_ERR_UNKNOWN_LANG] = {"unknown_language", MSG_ERR_LANG},
	[TALK_ERR_UNKNOWN_CHOICE] = {"unknown_choice", MSG_ERR_CHOICE},
	[TALK_ERR_CANNOT_BACK] = {"cannot_back", MSG_ERR_BACK},
	[TALK_ERR_BROKEN_FLOW] = {"broken_flow", MSG_ERR_BROKEN},
	[TALK_ERR_BAD_STATE] = {"bad_state", MSG_ERR_BROKEN},
};

const char *talk_err_code(enum talk_err e)
{
	return err_table[e].code;
}

const char *talk_err_msgid(enum talk_err e)
{
	return err_table[e].msgid;
}

static bool tenant_offers_lang(const struct tenant *t, const char *lang)
{
	for (size_t i = 0; i < t->nlangs; i++)
		if (strcmp(t->langs[i], lang) == 0)
			return true;
	return false;
}

static const struct talk_frame *current(const struct talk_session *s)
{
	return &s->history[s->depth - 1];
}

/* The latest value of a fact, or NULL. */
static const char *fact_get(const struct talk_session *s, const char *key)
{
	for (unsigned i = s->nfacts; i > 0; i--)
		if (strcmp(s->facts[i - 1].key, key) == 0)
			return s->facts[i - 1].value;
	return NULL;
}

/* Keeps only the latest value of each fact, to make room. Frames that
 * pointed past the new end now restore the compacted set on back. */
static void facts_compact(struct talk_session *s)
{
	unsigned n = 0;
	for (unsigned i = 0; i < s->nfacts; i++) {
		bool later = false;
		for (unsigned j = i + 1; j < s->nfacts; j++)
			if (strcmp(s->facts[i].key, s->facts[j].key) == 0)
				later = true;
		if (!later)
			s->facts[n++] = s->facts[i];
	}
	s->nfacts = n;
	for (unsigned d = 0; d < s->depth; d++)
		if (s->history[d].nfacts > n)
			s->history[d].nfacts = (unsigned short)n;
}

static enum talk_err fact_set(struct talk_session *s, const struct fact *f)
{
	const char *old = fact_get(s, f->key);
	if (old && strcmp(old, f->value) == 0)
		return TALK_OK;
	if (s->nfacts == TALK_MAX_FACTS)
		facts_compact(s);
	if (s->nfacts == TALK_MAX_FACTS)
		return TALK_ERR_BROKEN_FLOW;
	s->facts[s->nfacts++] = *f;
	return TALK_OK;
}

static bool arm_matches(const struct talk_session *s, const struct branch_arm *a)
{
	for (size_t i = 0; i < a->nwhen; i++) {
		const char *v = fact_get(s, a->when[i].key);
		if (!v || strcmp(v, a->when[i].value) != 0)
			return false;
	}
	return true;
}

/* Pushes a frame, dropping the oldest when the history is full. */
static void push_frame(struct talk_session *s, const struct flow *f, const struct node *n,
                       unsigned nfacts)
{
	if (s->depth == TALK_MAX_HISTORY) {
		memmove(&s->history[0], &s->history[1], (TALK_MAX_HISTORY - 1) * sizeof(s->history[0]));
		s->depth--;
	}
	s->history[s->depth].flow = f;
	s->history[s->depth].node = n;
	s->history[s->depth].nfacts = (unsigned short)nfacts;
	s->depth++;
}

/* Follows invisible nodes (branch, goto) from node `id` of flow f to the next
 * visible node and pushes it. nfacts_before is what back restores. */
static enum talk_err enter(struct talk_session *s, const struct flow *f, const char *id,
                           unsigned nfacts_before)
{
	for (int hop = 0; hop < TALK_MAX_HOPS; hop++) {
		const struct node *n = f ? flow_node(f, id) : NULL;
		if (!n)
			return TALK_ERR_BROKEN_FLOW;
		if (n->kind == NODE_GOTO) {
			f = tenant_flow(s->tc, n->goto_flow);
			id = f ? f->start : NULL;
			continue;
		}
		if (n->kind == NODE_BRANCH) {
			id = NULL;
			for (size_t i = 0; i < n->narms && !id; i++)
				if (arm_matches(s, &n->arms[i]))
					id = n->arms[i].next;
			if (!id)
				return TALK_ERR_BROKEN_FLOW;
			continue;
		}
		push_frame(s, f, n, nfacts_before);
		return TALK_OK;
	}
	return TALK_ERR_BROKEN_FLOW;
}

/* Puts the session at the start of its tenant's start flow. */
static enum talk_err go_start(struct talk_session *s)
{
	const struct flow *f = tenant_flow(s->tc, s->tc->tenant->start_flow);
	s->depth = 0;
	s->nfacts = 0;
	if (!f)
		return TALK_ERR_BROKEN_FLOW;
	return enter(s, f, f->start, 0);
}

enum talk_err talk_start(struct talk_session *s, struct content *c, const char *tenant,
                         const char *lang)
{
	if (!tenant)
		tenant = c->default_tenant;
	const struct tenant_content *tc = tenant ? content_tenant(c, tenant) : NULL;
	if (!tc)
		return TALK_ERR_UNKNOWN_TENANT;
	if (!lang)
		lang = tc->tenant->default_lang;
	if (strlen(lang) >= sizeof(s->lang) || !tenant_offers_lang(tc->tenant, lang))
		return TALK_ERR_UNKNOWN_LANG;
	struct talk_session fresh;
	memset(&fresh, 0, sizeof(fresh));
	fresh.tc = tc;
	fresh.content = c;
	snprintf(fresh.lang, sizeof(fresh.lang), "%s", lang);
	enum talk_err e = go_start(&fresh);
	if (e != TALK_OK)
		return e;
	*s = fresh;
	content_ref(c);
	return TALK_OK;
}

/* Drops the session's reference to its snapshot. */
void talk_end(struct talk_session *s)
{
	content_unref(s->content);
	memset(s, 0, sizeof(*s));
}

enum talk_err talk_choose(struct talk_session *s, const char *choice_id)
{
	if (!s->content || s->depth == 0)
		return TALK_ERR_BAD_STATE;
	const struct talk_frame *fr = current(s);
	const struct node *n = fr->node;
	if (n->kind == NODE_SAY && n->nchoices == 0 && n->next) {
		if (strcmp(choice_id, "next") != 0)
			return TALK_ERR_UNKNOWN_CHOICE;
		struct talk_session keep = *s;
		enum talk_err e = enter(s, fr->flow, n->next, s->nfacts);
		if (e != TALK_OK)
			*s = keep;
		return e;
	}
	for (size_t i = 0; i < n->nchoices; i++) {
		const struct choice *ch = &n->choices[i];
		if (strcmp(ch->id, choice_id) != 0)
			continue;
		/* Work on a copy so a broken flow leaves the session unchanged. */
		struct talk_session next = *s;
		unsigned before = next.nfacts;
		enum talk_err e = TALK_OK;
		for (size_t k = 0; k < ch->nset && e == TALK_OK; k++)
			e = fact_set(&next, &ch->set[k]);
		if (e == TALK_OK)
			e = enter(&next, fr->flow, ch->next, before);
		if (e == TALK_OK)
			*s = next;
		return e;
	}
	return TALK_ERR_UNKNOWN_CHOICE;
}

enum talk_err talk_back(struct talk_session *s)
{
	if (!s->content || s->depth <= 1)
		return TALK_ERR_CANNOT_BACK;
	s->nfacts = s->history[s->depth - 1].nfacts;
	s->depth--;
	return TALK_OK;
}

enum talk_err talk_restart(struct talk_session *s, struct content *c)
{
	if (!s->content)
		return TALK_ERR_BAD_STATE;
	if (!c || c == s->content) {
		struct talk_session keep = *s;
		enum talk_err e = go_start(s);
		if (e != TALK_OK)
			*s = keep;
		return e;
	}
	/* Move to the newer snapshot: same tenant and language if still there. */
	const struct tenant_content *tc = content_tenant(c, s->tc->tenant->id);
	if (!tc)
		return TALK_ERR_UNKNOWN_TENANT;
	const char *lang = tenant_offers_lang(tc->tenant, s->lang) ? s->lang : tc->tenant->default_lang;
	struct talk_session fresh;
	enum talk_err e = talk_start(&fresh, c, tc->tenant->id, lang);
	if (e != TALK_OK)
		return e;
	talk_end(s);
	*s = fresh;
	return TALK_OK;
}

enum talk_err talk_language(struct talk_session *s, const char *lang)
{
	if (!s->content)
		return TALK_ERR_BAD_STATE;
	if (!lang || strlen(lang) >= sizeof(s->lang) || !tenant_offers_lang(s->tc->tenant, lang))
		return TALK_ERR_UNKNOWN_LANG;
	snprintf(s->lang, sizeof(s->lang), "%s", lang);
	return TALK_OK;
}
