/* test_flow_valid.c - a complete, valid flow file (tests/data/flow/valid)
 * loads with exactly the structure written in it: node kinds and order,
 * texts with context, note and line, choices, facts, branch arms, offers
 * settings and gotos. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "flow/flow.h"

#define DATA LOTSE_SOURCE_DIR "/tests/data/flow/valid/"

static void test_main(void)
{
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_load(DATA "main.yaml", "flows/valid/main.yaml", &d);
	diag_print(&d, stderr);
	CHECK(f != NULL && d.n == 0);
	if (!f)
		return;
	CHECK_STR(f->id, "main");
	CHECK_STR(f->file, "flows/valid/main.yaml");
	CHECK_STR(f->title.msgid, "Bildungsberatung");
	CHECK(f->title.line == 3 && f->title.context == NULL && f->title.note == NULL);
	CHECK_STR(f->start, "welcome");
	CHECK(f->line == 2 && f->col == 7);
	CHECK(f->nnodes == 6);
	if (f->nnodes != 6)
		goto out;

	static const char *const ids[] = { "welcome", "who", "family", "adult_topic", "results",
		                           "contact" };
	static const enum node_kind kinds[] = { NODE_SAY, NODE_ASK, NODE_GOTO, NODE_ASK,
		                                NODE_OFFERS, NODE_PERSON };
	for (size_t i = 0; i < 6; i++) {
		CHECK_STR(f->nodes[i].id, ids[i]);
		CHECK(f->nodes[i].kind == kinds[i]);
		CHECK(flow_node(f, ids[i]) == &f->nodes[i]);
	}
	CHECK(flow_node(f, "nope") == NULL);

	const struct node *n = &f->nodes[0];
	CHECK(n->line == 6 && n->col == 3);
	CHECK_STR(n->text.msgid, "Willkommen! Wir helfen Ihnen, ein passendes Angebot zu finden.");
	CHECK(n->text.line == 7);
	CHECK_STR(n->next, "who");
	CHECK(n->nchoices == 0);

	n = &f->nodes[1];
	CHECK_STR(n->text.msgid, "Für wen suchen Sie ein Angebot?");
	CHECK_STR(n->text.note, "Frage auf dem Startbildschirm");
	CHECK(n->text.context == NULL && n->text.line == 11);
	CHECK(n->nchoices == 3 && n->next == NULL);
	if (n->nchoices == 3) {
		const struct choice *c = &n->choices[0];
		CHECK_STR(c->id, "child");
		CHECK_STR(c->label.msgid, "Für mein Kind");
		CHECK(c->label.line == 15 && c->line == 14 && c->col == 9);
		CHECK(c->nset == 1);
		CHECK_STR(c->set[0].key, "audience");
		CHECK_STR(c->set[0].value, "child");
		CHECK_STR(c->next, "family");
		c = &n->choices[1];
		CHECK_STR(c->label.msgid, "Für mich");
		CHECK_STR(c->label.context, "Zielgruppe");
		CHECK(c->label.line == 19);
		CHECK(n->choices[2].nset == 0 && n->choices[2].set == NULL);
		CHECK_STR(n->choices[2].next, "contact");
	}

	n = &f->nodes[2];
	CHECK_STR(n->goto_flow, "family");
	CHECK(n->goto_line == 26 && n->goto_col == 11);

	n = &f->nodes[4];
	CHECK(n->nmatch == 2 && n->limit == 3);
	if (n->nmatch == 2) {
		CHECK_STR(n->match[0], "audience");
		CHECK_STR(n->match[1], "topic");
	}
	CHECK_STR(n->text.msgid, "Diese Angebote passen zu Ihnen.");
	CHECK_STR(n->none.msgid, "Wir haben nichts Passendes gefunden.");
	CHECK(n->none.line == 35);
	CHECK(n->nchoices == 1);

	n = &f->nodes[5];
	CHECK_STR(n->text.msgid, "Rufen Sie uns an oder kommen Sie vorbei.");
	CHECK(n->nchoices == 1);
out:
	flow_free(f);
	diag_free(&d);
}

static void test_family(void)
{
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_load(DATA "family.yaml", NULL, &d);
	diag_print(&d, stderr);
	CHECK(f != NULL && d.n == 0);
	if (!f)
		return;
	CHECK(strstr(f->file, "tests/data/flow/valid/family.yaml") != NULL);
	const struct node *n = flow_node(f, "route");
	CHECK(n && n->kind == NODE_BRANCH && n->narms == 3);
	if (n && n->narms == 3) {
		CHECK(n->arms[0].nwhen == 1);
		CHECK_STR(n->arms[0].when[0].key, "age");
		CHECK_STR(n->arms[0].when[0].value, "0-2");
		CHECK_STR(n->arms[0].next, "krippe");
		CHECK(n->arms[0].line == 14 && n->arms[0].col == 9);
		CHECK(n->arms[2].nwhen == 0 && n->arms[2].when == NULL);
		CHECK_STR(n->arms[2].next, "bye");
	}
	n = flow_node(f, "results");
	CHECK(n && n->kind == NODE_OFFERS && n->limit == 5 && n->nmatch == 0);
	n = flow_node(f, "child_age");
	CHECK(n && n->nchoices == 3);
	if (n && n->nchoices == 3)
		CHECK_STR(n->choices[1].id, "3to6");
	n = flow_node(f, "bye");
	CHECK(n && n->kind == NODE_END);
	if (n)
		CHECK_STR(n->text.msgid, "Auf Wiedersehen!");
	CHECK_STR(node_kind_name(NODE_BRANCH), "branch");
	CHECK_STR(node_kind_name(NODE_OFFERS), "offers");
	flow_free(f);
	diag_free(&d);
}

int main(void)
{
	test_main();
	test_family();
	CHECK_DONE();
}
