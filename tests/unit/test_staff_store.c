/* test_staff_store.c - the staff area's tables on a real sqlite file:
 * accounts (unique names, a new hash or disabling ends the sessions),
 * sessions joined with their account, failed logins newest first, the
 * audit log newest first with paging, and revisions (latest per path,
 * content kept byte for byte, listing, paths). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store/store.h"
#include "util/strbuf.h"

static char dir[64], path[128];

static void on_account(void *ud, const struct store_account *a)
{
	struct strbuf *sb = ud;
	strbuf_printf(sb, "%s/%s/%d;", a->name, a->role, a->disabled);
}

static void on_audit(void *ud, const struct store_audit_entry *e)
{
	struct strbuf *sb = ud;
	strbuf_printf(sb, "%lld:%s:%s:%s;", e->id, e->account ? e->account : "-", e->action, e->detail);
}

static void on_rev(void *ud, const struct store_revision *r)
{
	struct strbuf *sb = ud;
	strbuf_printf(sb, "%lld<%lld %s %s %zu %d;", r->id, r->parent, r->author, r->message, r->len,
	              r->content == NULL);
}

static void on_path(void *ud, const char *p, long long latest)
{
	struct strbuf *sb = ud;
	strbuf_printf(sb, "%s=%lld;", p, latest);
}

static void accounts_sessions(struct store *s)
{
	struct store_account a;
	struct store_session se;
	struct strbuf sb;
	strbuf_init(&sb);
	CHECK(store_account_add(s, "anna", "editor", "$argon2id$x", 100) == 0);
	CHECK(store_account_add(s, "anna", "viewer", "$argon2id$y", 101) == 1);
	CHECK(store_account_add(s, "vera", "viewer", "$argon2id$z", 102) == 0);
	CHECK(store_account_add(s, "bad", "root", "h", 103) == -1);   /* role CHECK */
	CHECK(store_account_get(s, "anna", &a) == 1);
	CHECK_STR(a.role, "editor");
	CHECK_STR(a.hash, "$argon2id$x");
	CHECK(a.created == 100 && !a.disabled);
	CHECK(store_account_get(s, "nobody", &a) == 0);
	CHECK(store_account_each(s, on_account, &sb) == 0);
	CHECK_STR(strbuf_str(&sb), "anna/editor/0;vera/viewer/0;");
	CHECK(store_session_add(s, "h1", a.id, "csrf1", 200) == 0);
	CHECK(store_account_get(s, "anna", &a) == 1);
	CHECK(store_session_add(s, "h2", a.id, "csrf2", 210) == 0);
	CHECK(store_session_get(s, "h1", &se) == 1);
	CHECK_STR(se.name, "anna");
	CHECK_STR(se.csrf, "csrf1");
	CHECK(se.created == 200 && se.last_seen == 200);
	CHECK(store_session_touch(s, "h1", 250) == 0);
	CHECK(store_session_get(s, "h1", &se) == 1 && se.last_seen == 250);
	CHECK(store_session_expire(s, 220) == 0);   /* h2 (210) goes, h1 (250) stays */
	CHECK(store_session_get(s, "h2", &se) == 0);
	CHECK(store_session_get(s, "h1", &se) == 1);
	/* a new password ends the sessions */
	CHECK(store_account_set_hash(s, "anna", "$argon2id$new") == 1);
	CHECK(store_session_get(s, "h1", &se) == 0);
	CHECK(store_account_set_hash(s, "nobody", "x") == 0);
	CHECK(store_session_add(s, "h3", a.id, "csrf3", 300) == 0);
	CHECK(store_account_set_disabled(s, "anna", true) == 1);
	CHECK(store_session_get(s, "h3", &se) == 0);
	CHECK(store_account_get(s, "anna", &a) == 1 && a.disabled);
	CHECK_STR(a.hash, "$argon2id$new");
	strbuf_free(&sb);
}

static void failures_audit(struct store *s)
{
	long long t[8];
	struct strbuf sb;
	strbuf_init(&sb);
	for (long long at = 10; at <= 50; at += 10)
		CHECK(store_failure_add(s, "account:anna", at) == 0);
	CHECK(store_failure_add(s, "addr:127.0.0.1", 40) == 0);
	CHECK(store_failure_times(s, "account:anna", 20, t, 3) == 4);
	CHECK(t[0] == 50 && t[1] == 40 && t[2] == 30);
	CHECK(store_failure_expire(s, 35) == 0);
	CHECK(store_failure_times(s, "account:anna", 0, t, 8) == 2);
	CHECK(store_failure_clear(s, "account:anna") == 0);
	CHECK(store_failure_times(s, "account:anna", 0, t, 8) == 0);
	CHECK(store_failure_times(s, "addr:127.0.0.1", 0, t, 8) == 1);
	CHECK(store_audit_add(s, 1, "anna", "login", "addr=127.0.0.1") == 0);
	CHECK(store_audit_add(s, 2, NULL, "login_failed", "name=x") == 0);
	CHECK(store_audit_add(s, 3, "anna", "publish", NULL) == 0);
	CHECK(store_audit_each(s, 0, 2, on_audit, &sb) == 0);
	CHECK_STR(strbuf_str(&sb), "3:anna:publish:;2:-:login_failed:name=x;");
	strbuf_reset(&sb);
	CHECK(store_audit_each(s, 2, 10, on_audit, &sb) == 0);
	CHECK_STR(strbuf_str(&sb), "1:anna:login:addr=127.0.0.1;");
	strbuf_free(&sb);
}

static void revisions(struct store *s)
{
	struct store_revision r;
	struct strbuf sb;
	strbuf_init(&sb);
	const char bin[] = "a\0b\nc";
	CHECK(store_revision_latest(s, "flows/t/main.yaml") == 0);
	CHECK(store_tx_begin(s) == 0);
	long long one = store_revision_add(s, "t", "flows/t/main.yaml", "v1\n", 3, "disk", "", 10, 0);
	long long two = store_revision_add(s, "t", "flows/t/main.yaml", bin, sizeof(bin) - 1, "anna",
	                                   "zwei", 11, one);
	CHECK(store_tx_commit(s) == 0);
	CHECK(one == 1 && two == 2);
	CHECK(store_tx_begin(s) == 0);
	CHECK(store_revision_add(s, "", "po/en.po", "x", 1, "anna", "po", 12, 0) == 3);
	store_tx_rollback(s);   /* never happened */
	CHECK(store_revision_add(s, "", "po/en.po", "", 0, "anna", "leer", 13, 0) == 3);
	CHECK(store_revision_latest(s, "flows/t/main.yaml") == 2);
	CHECK(store_revision_get(s, 2, &r) == 1);
	CHECK(r.len == 5 && memcmp(r.content, bin, 5) == 0 && r.content[5] == '\0');
	CHECK(r.parent == 1 && r.at == 11);
	CHECK_STR(r.author, "anna");
	CHECK_STR(r.path, "flows/t/main.yaml");
	store_revision_free(&r);
	CHECK(store_revision_get(s, 3, &r) == 1 && r.len == 0 && r.content && !r.content[0]);
	store_revision_free(&r);
	CHECK(store_revision_get(s, 9, &r) == 0);
	CHECK(store_revision_each(s, "flows/t/main.yaml", on_rev, &sb) == 0);
	CHECK_STR(strbuf_str(&sb), "2<1 anna zwei 5 1;1<0 disk  3 1;");
	strbuf_reset(&sb);
	CHECK(store_revision_paths(s, on_path, &sb) == 0);
	CHECK_STR(strbuf_str(&sb), "flows/t/main.yaml=2;po/en.po=3;");
	strbuf_free(&sb);
}

int main(void)
{
	char err[256];
	snprintf(dir, sizeof(dir), "/tmp/lotse-staffstore-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	struct store *s = store_open(path, err, sizeof(err));
	CHECK(s != NULL);
	if (s) {
		accounts_sessions(s);
		failures_audit(s);
		revisions(s);
	}
	store_close(s);
	char rm[256];
	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	CHECK_DONE();
}
