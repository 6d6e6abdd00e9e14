/* render.c - turns the session's current node into a struct talk_step in
 * the session's language: texts through the catalogues, choices, matched
 * offers, the office's contact. Writes only into the caller's step. */
#include "talk/talk.h"

#include <stdio.h>
#include <string.h>

#include "flow/pictogram.h"
#include "i18n/lang.h"
#include "talk/match.h"
#include "content/messages.h"

struct render_ctx {
	const struct talk_session *s;
	struct talk_step *out;
};

static const char *tr(struct render_ctx *r, const struct text *t)
{
	if (!t->msgid)
		return "";
	bool fb = false;
	const char *res = catalog_gettext(r->s->content->catalogs, r->s->lang, t->context, t->msgid, &fb);
	if (fb)
		r->out->fell_back = true;
	return res;
}

/* Writes template with its first "%d" replaced by n into buf; any other '%'
 * is copied literally ("%%" becomes "%"). The template comes from a
 * catalogue, so it is never used as a printf format. */
static void format_count(char *buf, size_t len, const char *tmpl, unsigned long n)
{
	size_t o = 0;
	bool done = false;
	for (const char *p = tmpl; *p && o + 1 < len; p++) {
		if (p[0] == '%' && p[1] == 'd' && !done) {
			int w = snprintf(buf + o, len - o, "%lu", n);
			if (w < 0 || (size_t)w >= len - o)
				break;
			o += (size_t)w;
			p++;
			done = true;
		} else if (p[0] == '%' && p[1] == '%') {
			buf[o++] = '%';
			p++;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
}

/* A choice's pictogram: its name and the emoji for the step's direction. */
static void set_icon(struct talk_choice_out *c, const char *icon, const char *dir)
{
	c->emoji = pictogram_emoji(icon, dir && strcmp(dir, "rtl") == 0);
	c->icon = c->emoji ? icon : NULL;
}

static void render_choices(struct render_ctx *r, const struct node *n)
{
	struct talk_step *out = r->out;
	if (n->kind == NODE_SAY && n->nchoices == 0 && n->next) {
		bool fb = false;
		out->choices[0].id = "next";
		out->choices[0].label = catalog_gettext(r->s->content->catalogs, r->s->lang, NULL, MSG_NEXT, &fb);
		set_icon(&out->choices[0], "next", out->dir);
		out->fell_back |= fb;
		out->nchoices = 1;
		return;
	}
	for (size_t i = 0; i < n->nchoices && i < TALK_MAX_CHOICES; i++) {
		out->choices[i].id = n->choices[i].id;
		out->choices[i].label = tr(r, &n->choices[i].label);
		set_icon(&out->choices[i], n->choices[i].icon, out->dir);
	}
	out->nchoices = n->nchoices < TALK_MAX_CHOICES ? n->nchoices : TALK_MAX_CHOICES;
}

static void fill_offer(struct render_ctx *r, struct talk_offer_out *oo, const struct offer *o,
                       int score)
{
	oo->offer = o;
	oo->score = score;
	oo->title = tr(r, &o->title);
	oo->description = tr(r, &o->description);
	oo->hours = tr(r, &o->hours);
	oo->cost = tr(r, &o->cost);
}

/* "3 Angebote" in the session's language, from the catalogue's plural form. */
static void set_count_text(struct render_ctx *r)
{
	bool fb = false;
	const char *tmpl = catalog_ngettext(r->s->content->catalogs, r->s->lang, NULL, MSG_OFFERS_N,
	                                    MSG_OFFERS_N_PL, r->out->noffers, &fb);
	r->out->fell_back |= fb;
	format_count(r->out->countbuf, sizeof(r->out->countbuf), tmpl, r->out->noffers);
	r->out->offers_count_text = r->out->countbuf;
}

static void render_offers(struct render_ctx *r, const struct node *n)
{
	const struct talk_session *s = r->s;
	struct talk_step *out = r->out;
	struct match_result res[TALK_MAX_OFFERS];
	size_t limit = n->limit > 0 && n->limit <= TALK_MAX_OFFERS ? (size_t)n->limit : 5;
	size_t count = offers_match(s->tc->offers, s->facts, s->nfacts, n->match, n->nmatch, res, limit);
	for (size_t i = 0; i < count; i++)
		fill_offer(r, &out->offers[i], res[i].offer, res[i].score);
	out->noffers = count;
	set_count_text(r);
	out->text = tr(r, count ? &n->text : &n->none);
}

void talk_render_offers(const struct talk_session *s, const char *const *ids, size_t n,
                        struct talk_step *out)
{
	memset(out, 0, sizeof(*out));
	struct render_ctx r = {s, out};
	out->tenant = s->tc->tenant->id;
	out->lang = s->lang;
	out->dir = lang_dir(s->lang);
	for (size_t i = 0; i < n && out->noffers < TALK_MAX_OFFERS; i++) {
		const struct offer *o = tenant_offer(s->tc, ids[i]);
		if (o)  /* unknown: stored by a newer snapshot than this conversation's */
			fill_offer(&r, &out->offers[out->noffers++], o, 0);
	}
	set_count_text(&r);
}

void talk_render(const struct talk_session *s, struct talk_step *out)
{
	memset(out, 0, sizeof(*out));
	struct render_ctx r = {s, out};
	const struct talk_frame *fr = &s->history[s->depth - 1];
	const struct node *n = fr->node;
	out->tenant = s->tc->tenant->id;
	out->lang = s->lang;
	out->dir = lang_dir(s->lang);
	out->flow = fr->flow->id;
	out->node = n->id;
	out->kind = n->kind;
	out->can_back = s->depth > 1;
	if (n->kind == NODE_OFFERS)
		render_offers(&r, n);
	else
		out->text = tr(&r, &n->text);
	if (n->kind == NODE_PERSON || n->kind == NODE_OFFERS) {
		out->contact = &s->tc->tenant->contact;
		out->contact_name = tr(&r, &out->contact->name);
		out->contact_hours = tr(&r, &out->contact->hours);
	}
	render_choices(&r, n);
	out->terminal = (n->kind == NODE_OFFERS || n->kind == NODE_PERSON || n->kind == NODE_END) &&
	                out->nchoices == 0;
}

const char *talk_text(const struct talk_session *s, const char *msgid)
{
	return catalog_gettext(s->content->catalogs, s->lang, NULL, msgid, NULL);
}
