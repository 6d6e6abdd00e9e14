/* test_talk_walk.c - walks every path of every flow of every tenant of the
 * default content (flows/), in every language the tenant offers, with the
 * real catalogues (build/po): no text may fall back to another language, no
 * "%d" may be lost from the offers count, no step may be a dead end (a
 * visible step without choices that is not terminal), and every audience of
 * every tenant must reach at least one offer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "talk/talk.h"

#define MAX_DEPTH 24

struct walk {
	const char *lang;
	unsigned long steps, paths;
	char audiences_with_offers[16][32];
	size_t naud;
	char audiences_seen[16][32];
	size_t nseen;
	int reported;
};

static void note(char list[][32], size_t *n, const char *v)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], v))
			return;
	if (*n < 16)
		snprintf(list[(*n)++], 32, "%s", v);
}

static const char *audience(const struct talk_session *s)
{
	for (unsigned i = s->nfacts; i > 0; i--)
		if (!strcmp(s->facts[i - 1].key, "audience"))
			return s->facts[i - 1].value;
	return NULL;
}

static void fail_at(struct walk *w, const struct talk_step *st, const char *what)
{
	if (w->reported++ < 20)
		fprintf(stderr, "%s/%s %s:%s: %s\n", st->tenant, w->lang, st->flow, st->node, what);
	check_failures++;
}

static void visit(struct talk_session *s, struct walk *w, int depth)
{
	struct talk_step st;
	talk_render(s, &st);
	w->steps++;
	if (st.fell_back)
		fail_at(w, &st, "a text fell back to another language");
	if (!st.text || !*st.text)
		fail_at(w, &st, "empty text");
	if (st.kind == NODE_OFFERS) {
		char digits[32];
		snprintf(digits, sizeof(digits), "%zu", st.noffers);
		if (st.noffers > 2 && !strstr(st.offers_count_text, digits))
			fail_at(w, &st, "offers count lost its number");
		const char *aud = audience(s);
		if (aud) {
			note(w->audiences_seen, &w->nseen, aud);
			if (st.noffers)
				note(w->audiences_with_offers, &w->naud, aud);
		}
	}
	if (st.nchoices == 0) {
		if (!st.terminal)
			fail_at(w, &st, "dead end");
		w->paths++;
		return;
	}
	if (depth >= MAX_DEPTH) {
		w->paths++;
		return;
	}
	/* Labels must be there and distinct. */
	for (size_t i = 0; i < st.nchoices; i++)
		if (!st.choices[i].label || !*st.choices[i].label)
			fail_at(w, &st, "empty choice label");
	size_t n = st.nchoices;
	char ids[TALK_MAX_CHOICES][72];
	for (size_t i = 0; i < n; i++)
		snprintf(ids[i], sizeof(ids[i]), "%s", st.choices[i].id);
	for (size_t i = 0; i < n; i++) {
		unsigned depth_before = s->depth;
		if (talk_choose(s, ids[i]) != TALK_OK) {
			fail_at(w, &st, "a choice failed");
			continue;
		}
		/* A choice leading back to an earlier step (a loop) ends the path. */
		bool loop = false;
		for (unsigned d = 0; d + 1 < s->depth; d++)
			if (s->history[d].node == s->history[s->depth - 1].node)
				loop = true;
		if (loop)
			w->paths++;
		else
			visit(s, w, depth + 1);
		while (s->depth > depth_before)
			talk_back(s);
	}
}

int main(void)
{
	static struct catalog_stats stats;
	static const char *const chain[] = {NULL};
	char err[256];
	const char *db_path = "/tmp/lotse-walk-test.db";
	remove(db_path);
	struct store *db = store_open(db_path, err, sizeof(err));
	CHECK(db != NULL);
	struct content_options o = {
		.flows_dir = "flows",
		.mo_dir = LOTSE_BINARY_DIR "/po",
		.default_chain = chain,   /* no fallback language: any miss shows */
		.stats = &stats,
	};
	struct content *c = fixture_content_load(&o, db);
	CHECK(c != NULL);
	if (!c)
		return 1;
	CHECK(c->ntenants == 5);
	for (size_t t = 0; t < c->ntenants; t++) {
		const struct tenant *tn = c->tenants[t].tenant;
		for (size_t l = 0; l < tn->nlangs; l++) {
			struct walk w = {.lang = tn->langs[l]};
			struct talk_session s;
			CHECK(talk_start(&s, c, tn->id, tn->langs[l]) == TALK_OK);
			visit(&s, &w, 0);
			talk_end(&s);
			printf("%-16s %-3s %6lu steps %6lu paths\n", tn->id, w.lang, w.steps, w.paths);
			CHECK(w.paths > 10);
			CHECK(w.nseen >= 3);
			for (size_t a = 0; a < w.nseen; a++) {
				bool ok = false;
				for (size_t b = 0; b < w.naud; b++)
					ok |= !strcmp(w.audiences_seen[a], w.audiences_with_offers[b]);
				if (!ok) {
					fprintf(stderr, "%s/%s: audience %s never reaches an offer\n", tn->id, w.lang,
					        w.audiences_seen[a]);
					check_failures++;
				}
			}
		}
	}
	content_unref(c);
	store_close(db);
	remove(db_path);
	CHECK_DONE();
}
