/* test_net_sessions.c - resume tokens and the session table
 * (src/net/sessions.c): token shape and uniqueness, lookup, the
 * max_sessions limit ending the oldest detached conversation first; the
 * token hash under many sessions, removal and re-insertion (checked against
 * a plain list after every step); the expiry queue with its one timer (a
 * real lws context, no listener); restoring saved conversations (the test
 * content of tests/data/content): in the background, at once on lookup,
 * dropped when they no longer fit; reading and emptying the saved rows. */
#include <string.h>
#include <time.h>

#include "check.h"
#include "fixture.h"
#include "net/sessions.h"
#include "store/store.h"

static void test_tokens(void)
{
	CHECK(sess_token_valid("0123456789abcdef0123456789abcdef"));
	CHECK(!sess_token_valid("0123456789abcdef0123456789abcde"));    /* 31 */
	CHECK(!sess_token_valid("0123456789abcdef0123456789abcdef0"));  /* 33 */
	CHECK(!sess_token_valid("0123456789ABCDEF0123456789abcdef"));   /* upper case */
	CHECK(!sess_token_valid("0123456789abcdef0123456789abcdeg"));
	CHECK(!sess_token_valid(""));
	CHECK(!sess_token_valid(NULL));
	struct sess *a = sess_new(), *b = sess_new();
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(sess_token_valid(a->token));
	CHECK(sess_token_valid(b->token));
	CHECK(strcmp(a->token, b->token) != 0);
	sess_free(a);
	sess_free(b);
}

static void test_table(void)
{
	struct net_metrics m;
	struct sess_table t;
	struct conn *fake = (struct conn *)&t;   /* only compared, never used */
	metrics_init(&m, NULL);
	sess_table_init(&t, 2, 60, &m);
	struct sess *a = sess_new(), *b = sess_new(), *c = sess_new();
	CHECK(a && b && c);
	if (!a || !b || !c)
		return;
	char ta[SESS_TOKEN_HEX + 1], tc[SESS_TOKEN_HEX + 1];
	memcpy(ta, a->token, sizeof ta);
	memcpy(tc, c->token, sizeof tc);
	CHECK(sess_add(&t, a) == 0);
	sess_attach(a, fake);
	CHECK(sess_add(&t, b) == 0);
	sess_attach(b, fake);
	CHECK(atomic_load(&m.sessions_open) == 2);
	CHECK(sess_find(&t, ta) == a);
	CHECK(sess_find(&t, tc) == NULL);
	CHECK(sess_find(&t, "nonsense") == NULL);
	CHECK(sess_add(&t, c) == -1);      /* all attached: busy */
	CHECK(t.n == 2);
	a->conn = NULL;                    /* detached (no timer in this test) */
	CHECK(sess_add(&t, c) == 0);       /* ends a, the oldest detached */
	CHECK(t.n == 2);
	CHECK(sess_find(&t, ta) == NULL);
	CHECK(sess_find(&t, tc) == c);
	CHECK(t.head == b && t.tail == c);
	CHECK(atomic_load(&m.sessions_open) == 2);
	sess_free(b);
	CHECK(t.head == c && t.tail == c && t.n == 1);
	sess_table_clear(&t, false);
	CHECK(t.n == 0 && t.head == NULL && t.tail == NULL);
	CHECK(atomic_load(&m.sessions_open) == 0);
}

/* ---- many sessions: the hash against a plain list ---- */

#define POP 3000

struct model {
	char tokens[POP][SESS_TOKEN_HEX + 1];
	struct sess *live[POP];   /* NULL: not in the table */
};

static unsigned next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* Every token of the model: found and the right session if live, else
 * not found. Returns the number of mismatches. */
static int mismatches(struct sess_table *t, const struct model *md)
{
	int bad = 0;
	for (size_t i = 0; i < POP; i++)
		if (sess_find(t, md->tokens[i]) != md->live[i])
			bad++;
	return bad;
}

static struct sess *with_token(const char *token)
{
	struct sess *s = sess_new();
	if (s)
		memcpy(s->token, token, SESS_TOKEN_HEX + 1);
	return s;
}

static void test_many(void)
{
	static struct model md;
	struct sess_table t;
	struct conn *fake = (struct conn *)&t;
	sess_table_init(&t, 100000, 60, NULL);
	memset(&md, 0, sizeof(md));
	for (size_t i = 0; i < POP; i++) {
		struct sess *s = sess_new();
		CHECK(s != NULL);
		if (!s)
			return;
		memcpy(md.tokens[i], s->token, SESS_TOKEN_HEX + 1);
		if (i % 3 == 0) {   /* a third stays out at first: missing lookups */
			sess_free(s);
			continue;
		}
		CHECK(sess_add(&t, s) == 0);
		sess_attach(s, fake);
		md.live[i] = s;
	}
	CHECK(t.n == POP - POP / 3);
	CHECK(t.nslots >= 2 * t.n && (t.nslots & (t.nslots - 1)) == 0);
	CHECK(mismatches(&t, &md) == 0);
	/* remove every other live one, then look everything up */
	for (size_t i = 0; i < POP; i += 2)
		if (md.live[i]) {
			sess_free(md.live[i]);
			md.live[i] = NULL;
		}
	CHECK(t.n == POP - POP / 3 - (POP / 2 - POP / 6));
	CHECK(mismatches(&t, &md) == 0);
	/* random removals and re-insertions with the same tokens (probe runs
	 * are shifted back on removal: every lookup must still work) */
	unsigned seed = 7;
	int bad = 0;
	for (int step = 0; step < 4000; step++) {
		size_t i = next_rand(&seed) % POP;
		if (md.live[i]) {
			sess_free(md.live[i]);
			md.live[i] = NULL;
		} else {
			struct sess *s = with_token(md.tokens[i]);
			if (!s || sess_add(&t, s) != 0) {
				bad++;
				sess_free(s);
				continue;
			}
			sess_attach(s, fake);
			md.live[i] = s;
		}
		if (step % 200 == 0)
			bad += mismatches(&t, &md);
	}
	CHECK(bad == 0);
	CHECK(mismatches(&t, &md) == 0);
	size_t live = 0;
	for (size_t i = 0; i < POP; i++)
		live += md.live[i] != NULL;
	CHECK(t.n == live);
	CHECK(sess_find(&t, "ffffffffffffffffffffffffffffffff") == NULL);
	CHECK(sess_find(&t, "0123456789ABCDEF0123456789abcdef") == NULL);
	sess_table_clear(&t, false);
	CHECK(t.n == 0 && t.nslots == 0 && t.slots == NULL);
}

/* ---- the expiry queue (a real lws context for the timer) ---- */

static struct lws_context *make_context(void)
{
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.gid = -1;
	info.uid = -1;
	lws_set_log_level(LLL_ERR, NULL);
	return lws_create_context(&info);
}

/* One round of the event loop without waiting in it (lws serves the timers
 * due at the start of a round, then polls until the next one), then 2 ms
 * of sleep: called in loops bounded at a few seconds. */
static void serve_once(struct lws_context *ctx)
{
	struct timespec ms2 = {0, 2000000};
	lws_service(ctx, -1);
	nanosleep(&ms2, NULL);
}

static void test_expiry(struct lws_context *ctx)
{
	struct net_metrics m;
	struct sess_table t;
	struct conn *fake = (struct conn *)&t;
	metrics_init(&m, NULL);
	sess_table_init(&t, 100, 60, &m);
	t.ctx = ctx;
	struct sess *s[5];
	char tok[5][SESS_TOKEN_HEX + 1];
	for (size_t i = 0; i < 5; i++) {
		s[i] = sess_new();
		CHECK(s[i] != NULL);
		if (!s[i])
			return;
		memcpy(tok[i], s[i]->token, sizeof(tok[i]));
		CHECK(sess_add(&t, s[i]) == 0);
		sess_attach(s[i], fake);
	}
	sess_detach_for(s[0], 30);
	CHECK(t.timer_on && t.timer_at == s[0]->expires);
	sess_detach_for(s[1], 10);     /* earlier: the timer moves to it */
	CHECK(t.timer_on && t.timer_at == s[1]->expires);
	sess_detach_for(s[2], 20);
	sess_detach_for(s[3], 10);
	CHECK(t.timer_at == s[1]->expires);
	/* queue: 1, 3 (same window, later), 2, 0 */
	CHECK(t.qhead == s[1] && s[1]->qnext == s[3] && s[3]->qnext == s[2] &&
	      s[2]->qnext == s[0] && t.qtail == s[0] && s[0]->qnext == NULL);
	CHECK(s[3]->expires >= s[1]->expires && s[2]->expires > s[3]->expires);
	sess_attach(s[2], fake);       /* resumed: out of the queue */
	CHECK(!s[2]->queued && s[3]->qnext == s[0] && s[0]->qprev == s[3]);
	sess_detach_for(s[4], 0);      /* no window left: ended at once */
	CHECK(sess_find(&t, tok[4]) == NULL && t.n == 4);
	/* 15 s on: 1 and 3 end, 0 waits, 2 is attached */
	sess_table_expire(&t, lws_now_usecs() + 15 * LWS_US_PER_SEC);
	CHECK(sess_find(&t, tok[1]) == NULL && sess_find(&t, tok[3]) == NULL);
	CHECK(sess_find(&t, tok[0]) == s[0] && sess_find(&t, tok[2]) == s[2]);
	CHECK(t.qhead == s[0] && t.qtail == s[0] && t.n == 2);
	CHECK(atomic_load(&m.sessions_open) == 2);
	CHECK(t.timer_on && t.timer_at < s[0]->expires);   /* still at 1's: re-arms when it fires */
	/* the timer itself: a 1 s window ends while lws serves */
	sess_detach_for(s[2], 1);
	CHECK(t.qhead == s[2] && t.timer_at == s[2]->expires);
	for (int i = 0; i < 2500 && sess_find(&t, tok[2]); i++)
		serve_once(ctx);
	CHECK(sess_find(&t, tok[2]) == NULL);
	CHECK(sess_find(&t, tok[0]) == s[0] && t.n == 1);
	CHECK(t.timer_on && t.timer_at == s[0]->expires);
	sess_table_free_detached(&t);
	CHECK(t.n == 0 && !t.timer_on && t.qhead == NULL);
	sess_table_clear(&t, true);
	CHECK(atomic_load(&m.sessions_open) == 0);
}

/* ---- restoring saved conversations ---- */

static void note_done(void *ud)
{
	(*(int *)ud)++;
}

/* A row (strings allocated, as store_saved_read gives them). */
static void set_row(struct store_saved *r, const char *token, const char *state, long long expires)
{
	r->token = strdup(token);
	r->state = strdup(state);
	r->expires = expires;
}

static void test_restore(struct lws_context *ctx, struct content *c)
{
	struct net_metrics m;
	struct sess_table t;
	struct talk_session ts;
	metrics_init(&m, NULL);
	sess_table_init(&t, 100, 60, &m);
	t.ctx = ctx;
	CHECK(talk_start(&ts, c, "testamt", "en") == TALK_OK);
	char *line = talk_save(&ts);
	talk_end(&ts);
	CHECK(line != NULL);
	if (!line)
		return;
	long long now = (long long)time(NULL);
	const char *tk[5] = {"00000000000000000000000000000004", "00000000000000000000000000000000",
	                     "00000000000000000000000000000001", "00000000000000000000000000000002",
	                     "not a token"};
	struct store_saved *rows = calloc(5, sizeof(*rows));
	CHECK(rows != NULL);
	if (!rows)
		return;
	set_row(&rows[0], tk[0], line, now - 5);       /* window over: restored and ended */
	set_row(&rows[1], tk[1], line, now + 100);
	set_row(&rows[2], tk[2], "lotse1 testamt en 1 main gone 0 0", now + 150);   /* unfit */
	set_row(&rows[3], tk[3], line, now + 200);
	set_row(&rows[4], tk[4], line, now + 300);     /* bad token */
	int done = 0;
	sess_restore(&t, c, rows, 5, note_done, &done);
	CHECK(t.restoring && t.nleft == 5 && t.n == 0);
	/* looked up before its turn: restored at once */
	struct sess *s3 = sess_find(&t, tk[3]);
	CHECK(s3 != NULL && s3->talk.content == c && s3->conn == NULL && s3->queued);
	if (s3) {
		char *again = talk_save(&s3->talk);
		CHECK_STR(again, line);
		free(again);
		long left = (long)((s3->expires - lws_now_usecs()) / LWS_US_PER_SEC);
		CHECK(left >= 190 && left <= 200);
	}
	CHECK(sess_find(&t, tk[2]) == NULL);   /* no longer fits: dropped */
	CHECK(sess_find(&t, tk[2]) == NULL);
	CHECK(t.nleft == 3 && t.n == 1 && t.dropped == 1 && done == 0);
	/* the rest in the background */
	for (int i = 0; i < 2500 && t.restoring; i++)
		serve_once(ctx);
	CHECK(!t.restoring && done == 1);
	CHECK(t.restored == 3 && t.dropped == 2);   /* (rows 0, 1, 3; rows 2, 4) */
	CHECK(t.saved == NULL && t.row_slots == NULL && t.restore_onto == NULL);
	CHECK(t.n == 2 && atomic_load(&m.sessions_open) == 2);
	CHECK(sess_find(&t, tk[0]) == NULL);
	struct sess *s1 = sess_find(&t, tk[1]);
	CHECK(s1 != NULL && s1->talk.content == c);
	CHECK(t.head == s3 && t.tail == s1);         /* table order: as restored */
	CHECK(t.qhead == s1 && t.qtail == s3);       /* expiry order */
	sess_table_free_detached(&t);
	CHECK(t.n == 0);

	/* without an lws context: at once; no rows: done all the same */
	struct sess_table u;
	sess_table_init(&u, 100, 60, NULL);
	struct store_saved *one = calloc(1, sizeof(*one));
	CHECK(one != NULL);
	if (one) {
		set_row(&one[0], tk[1], "lotse1 nosuch en 1 main who 0 0", now + 100);
		sess_restore(&u, c, one, 1, note_done, &done);
		CHECK(done == 2 && !u.restoring && u.dropped == 1 && u.restored == 0 && u.n == 0);
	}
	sess_restore(&u, c, NULL, 0, note_done, &done);
	CHECK(done == 3 && !u.restoring);
	sess_table_clear(&u, false);

	/* restore_all (the shutdown): the rows not yet done */
	rows = calloc(2, sizeof(*rows));
	CHECK(rows != NULL);
	if (rows) {
		set_row(&rows[0], tk[1], line, now + 100);
		set_row(&rows[1], tk[3], line, now + 100);
		sess_restore(&t, c, rows, 2, note_done, &done);
		sess_restore_all(&t);
		CHECK(done == 4 && !t.restoring && t.restored == 2 && t.n == 2);
		CHECK(sess_find(&t, tk[1]) != NULL && sess_find(&t, tk[3]) != NULL);
		/* emptying while restoring: abandoned, done not called */
		struct store_saved *more = calloc(1, sizeof(*more));
		if (more) {
			set_row(&more[0], tk[0], line, now + 100);
			sess_restore(&t, c, more, 1, note_done, &done);
		}
		sess_table_free_detached(&t);
		CHECK(done == 4 && !t.restoring && !t.restore_on && t.n == 0);
	}
	sess_table_clear(&t, true);
	free(line);
}

/* store_saved_read (store/saved.c): rows by expiry, then token; expired
 * ones left out; the table stays until store_saved_clear. */
static void test_saved_rows(struct store *db)
{
	long long now = (long long)time(NULL);
	struct store_saved in[4] = {
		{"00000000000000000000000000000003", "c", now + 50},
		{"00000000000000000000000000000001", "a", now + 90},
		{"00000000000000000000000000000002", "b", now + 50},
		{"00000000000000000000000000000000", "x", now - 1},
	};
	struct store_saved *rows = NULL;
	size_t n = 0;
	CHECK(store_saved_put(db, in, 4) == 0);
	CHECK(store_saved_read(db, now, &rows, &n) == 0 && n == 3);
	if (rows && n == 3) {
		CHECK_STR(rows[0].state, "b");
		CHECK_STR(rows[1].state, "c");
		CHECK_STR(rows[2].state, "a");
		CHECK_STR(rows[2].token, "00000000000000000000000000000001");
		CHECK(rows[0].expires == now + 50 && rows[2].expires == now + 90);
	}
	store_saved_free(rows, n);
	CHECK(store_saved_read(db, now, &rows, &n) == 0 && n == 3);   /* still there */
	store_saved_free(rows, n);
	/* a put replaces the whole table: rows left over (their clear after a
	 * restore failed, e.g. on a full disk) never come back */
	CHECK(store_saved_put(db, in + 2, 1) == 0);
	CHECK(store_saved_read(db, now - 10, &rows, &n) == 0 && n == 1);
	if (rows && n == 1)
		CHECK_STR(rows[0].token, "00000000000000000000000000000002");
	store_saved_free(rows, n);
	CHECK(store_saved_put(db, NULL, 0) == 0);
	CHECK(store_saved_read(db, now - 10, &rows, &n) == 0 && n == 0);
	store_saved_free(rows, n);
	CHECK(store_saved_put(db, in, 4) == 0);
	CHECK(store_saved_clear(db) == 0);
	CHECK(store_saved_read(db, now - 10, &rows, &n) == 0 && n == 0 && rows == NULL);
	store_saved_free(rows, n);
}

int main(void)
{
	test_tokens();
	test_table();
	test_many();
	struct lws_context *ctx = make_context();
	CHECK(ctx != NULL);
	struct fixture fx;
	struct content *c = fixture_load(&fx, NULL);
	CHECK(c != NULL);
	if (c)
		test_saved_rows(fx.db);
	if (ctx) {
		test_expiry(ctx);
		if (c)
			test_restore(ctx, c);
		lws_context_destroy(ctx);
	}
	content_unref(c);
	fixture_done(&fx);
	CHECK_DONE();
}
