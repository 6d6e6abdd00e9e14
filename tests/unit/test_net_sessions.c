/* test_net_sessions.c - resume tokens and the session table
 * (src/net/sessions.c): token shape and uniqueness, lookup, the
 * max_sessions limit ending the oldest detached conversation first. */
#include <string.h>

#include "check.h"
#include "net/sessions.h"

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

int main(void)
{
	test_tokens();
	test_table();
	CHECK_DONE();
}
