/* offers.c - writing a tenant's offers (and their search rows) to the
 * database in one transaction, and reading them back into an offer_list of
 * the same shape as the file. */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "store/store_priv.h"

/* ---- writing ---------------------------------------------------------- */

/* Binds a struct text to the four columns starting at parameter p. */
static void bind_text4(sqlite3_stmt *st, int p, const struct text *t)
{
	sqlite3_bind_text(st, p, t->msgid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, p + 1, t->context, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, p + 2, t->note, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, p + 3, t->line);
}

static void bind_str(sqlite3_stmt *st, int col, const char *v)
{
	sqlite3_bind_text(st, col + 2, v, -1, SQLITE_STATIC);
}

static int put_offer_row(struct store *s, const char *tenant, const struct offer *o, size_t pos)
{
	sqlite3_stmt *st = s->st[ST_PUT_OFFER];
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	bind_str(st, OC_ID, o->id);
	sqlite3_bind_int64(st, OC_POSITION + 2, (sqlite3_int64)pos);
	bind_text4(st, OC_TITLE + 2, &o->title);
	bind_text4(st, OC_DESCRIPTION + 2, &o->description);
	bind_str(st, OC_DISTRICT, o->district);
	bind_str(st, OC_ADDRESS, o->address);
	bind_text4(st, OC_HOURS + 2, &o->hours);
	bind_str(st, OC_PHONE, o->phone);
	bind_str(st, OC_EMAIL, o->email);
	bind_str(st, OC_WEB, o->web);
	bind_text4(st, OC_COST + 2, &o->cost);
	sqlite3_bind_int(st, OC_SAMPLE + 2, o->sample ? 1 : 0);
	sqlite3_bind_int(st, OC_LINE + 2, o->line);
	return store_run(s, ST_PUT_OFFER, "insert into offers");
}

/* One row per value; a fact without values is kept as one NULL value. */
static int put_fact(struct store *s, const char *tenant, const char *offer, size_t pos,
                    const struct offer_fact *f)
{
	sqlite3_stmt *st = s->st[ST_PUT_FACT];
	size_t n = f->nvalues ? f->nvalues : 1;
	for (size_t v = 0; v < n; v++) {
		sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, offer, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)pos);
		sqlite3_bind_text(st, 4, f->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)v);
		sqlite3_bind_text(st, 6, f->nvalues ? f->values[v] : NULL, -1, SQLITE_STATIC);
		if (store_run(s, ST_PUT_FACT, "insert into offer_facts") < 0)
			return -1;
	}
	return 0;
}

static int put_lang(struct store *s, const char *tenant, const char *offer, size_t pos, const char *lang)
{
	sqlite3_stmt *st = s->st[ST_PUT_LANG];
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, offer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)pos);
	sqlite3_bind_text(st, 4, lang, -1, SQLITE_STATIC);
	return store_run(s, ST_PUT_LANG, "insert into offer_langs");
}

static int put_offer(struct store *s, const char *tenant, const struct offer *o, size_t pos)
{
	if (put_offer_row(s, tenant, o, pos) < 0)
		return -1;
	for (size_t i = 0; i < o->nfacts; i++)
		if (put_fact(s, tenant, o->id, i, &o->facts[i]) < 0)
			return -1;
	for (size_t i = 0; i < o->nlangs; i++)
		if (put_lang(s, tenant, o->id, i, o->langs[i]) < 0)
			return -1;
	return 0;
}

static int put_search(struct store *s, const char *tenant, const struct search_row *r)
{
	sqlite3_stmt *st = s->st[ST_PUT_SEARCH];
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->offer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->body ? r->body : "", -1, SQLITE_STATIC);
	return store_run(s, ST_PUT_SEARCH, "insert into offer_search");
}

static int delete_tenant(struct store *s, const char *tenant)
{
	static const enum store_stmt del[] = {ST_DEL_FACTS, ST_DEL_LANGS, ST_DEL_OFFERS, ST_DEL_SEARCH};
	for (size_t i = 0; i < sizeof del / sizeof del[0]; i++) {
		sqlite3_bind_text(s->st[del[i]], 1, tenant, -1, SQLITE_STATIC);
		if (store_run(s, del[i], "delete old offers") < 0)
			return -1;
	}
	return 0;
}

static int put_set(struct store *s, const char *tenant, const char *file)
{
	sqlite3_bind_text(s->st[ST_PUT_SET], 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->st[ST_PUT_SET], 2, file, -1, SQLITE_STATIC);
	return store_run(s, ST_PUT_SET, "insert into offer_sets");
}

/* Where a failure is reported: the offer's file and line when an offer
 * could not be stored, else the database file. */
struct where {
	const char *file;
	int line;
	const char *offer;
};

static int write_all(struct store *s, const char *tenant, const struct offer_list *l,
                     const struct search_row *rows, size_t nrows, struct where *w)
{
	if (delete_tenant(s, tenant) < 0 || put_set(s, tenant, l->file) < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		if (put_offer(s, tenant, &l->offers[i], i) < 0) {
			w->file = l->file ? l->file : s->path;
			w->line = l->offers[i].line;
			w->offer = l->offers[i].id ? l->offers[i].id : "(no id)";
			return -1;
		}
	}
	for (size_t i = 0; i < nrows; i++)
		if (put_search(s, tenant, &rows[i]) < 0)
			return -1;
	return 0;
}

int store_offers_replace(struct store *s, const char *tenant, const struct offer_list *offers,
                         const struct search_row *rows, size_t nrows, struct diag *d)
{
	struct where w = {s ? s->path : "store", 0, NULL};
	if (!s || !tenant || !offers || (nrows && !rows)) {
		diag_add(d, w.file, 0, 0, "cannot store offers: missing argument");
		return -1;
	}
	if (store_run(s, ST_BEGIN, "cannot start a transaction") < 0)
		goto fail;
	if (write_all(s, tenant, offers, rows, nrows, &w) < 0)
		goto fail;
	if (store_run(s, ST_COMMIT, "cannot commit") < 0)
		goto fail;
	return 0;
fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (w.offer)
		diag_add(d, w.file, w.line, 0, "cannot store offer \"%s\" of tenant %s: %s", w.offer, tenant,
		         s->err);
	else
		diag_add(d, w.file, 0, 0, "cannot store offers of tenant %s: %s", tenant, s->err);
	return -1;
}

/* ---- reading ---------------------------------------------------------- */

/* Copies a text column into the arena (NULL stays NULL). Returns -1 on
 * out-of-memory. */
static int col_str(struct arena *a, sqlite3_stmt *st, int col, const char **out)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	*out = NULL;
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	if (!v)
		return -1;
	*out = arena_strndup(a, v, (size_t)sqlite3_column_bytes(st, col));
	return *out ? 0 : -1;
}

static int col_text4(struct arena *a, sqlite3_stmt *st, int col, struct text *t)
{
	t->line = sqlite3_column_int(st, col + 3);
	if (col_str(a, st, col, &t->msgid) < 0 || col_str(a, st, col + 1, &t->context) < 0)
		return -1;
	return col_str(a, st, col + 2, &t->note);
}

static int get_offer_row(struct arena *a, sqlite3_stmt *st, struct offer *o)
{
	o->sample = sqlite3_column_int(st, OC_SAMPLE) != 0;
	o->line = sqlite3_column_int(st, OC_LINE);
	if (col_str(a, st, OC_ID, &o->id) < 0 || col_text4(a, st, OC_TITLE, &o->title) < 0 ||
	    col_text4(a, st, OC_DESCRIPTION, &o->description) < 0 ||
	    col_str(a, st, OC_DISTRICT, &o->district) < 0 || col_str(a, st, OC_ADDRESS, &o->address) < 0 ||
	    col_text4(a, st, OC_HOURS, &o->hours) < 0 || col_str(a, st, OC_PHONE, &o->phone) < 0 ||
	    col_str(a, st, OC_EMAIL, &o->email) < 0 || col_str(a, st, OC_WEB, &o->web) < 0 ||
	    col_text4(a, st, OC_COST, &o->cost) < 0)
		return -1;
	return 0;
}

/* Makes room for one more element in an arena array of n elements and
 * capacity *cap (doubling). Returns the array (maybe moved) or NULL. */
static void *room(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 4;
	*cap = ncap;
	return arena_grow(a, arr, n, ncap, size);
}

static int get_offers(struct store *s, const char *tenant, struct offer_list *l)
{
	sqlite3_stmt *st = s->st[ST_GET_OFFERS];
	size_t cap = 0;
	int rc;
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		l->offers = room(l->arena, l->offers, l->n, &cap, sizeof *l->offers);
		if (!l->offers || get_offer_row(l->arena, st, &l->offers[l->n++]) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc == SQLITE_NOMEM)
		snprintf(s->err, sizeof s->err, "out of memory");
	else if (rc != SQLITE_DONE)
		store_fail(s, "select from offers");
	store_done(s, ST_GET_OFFERS);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Adds one offer_facts row to o: a new fact when the position changes. */
static int add_fact_row(struct arena *a, sqlite3_stmt *st, struct offer *o, sqlite3_int64 *last,
                        size_t *fcap, size_t *vcap)
{
	sqlite3_int64 pos = sqlite3_column_int64(st, 0);
	if (o->nfacts == 0 || pos != *last) {
		o->facts = room(a, o->facts, o->nfacts, fcap, sizeof *o->facts);
		if (!o->facts || col_str(a, st, 1, &o->facts[o->nfacts++].key) < 0)
			return -1;
		*last = pos;
		*vcap = 0;
	}
	if (sqlite3_column_type(st, 2) == SQLITE_NULL)
		return 0;
	struct offer_fact *f = &o->facts[o->nfacts - 1];
	f->values = room(a, f->values, f->nvalues, vcap, sizeof *f->values);
	return f->values ? col_str(a, st, 2, &f->values[f->nvalues++]) : -1;
}

static int get_facts(struct store *s, const char *tenant, struct arena *a, struct offer *o)
{
	sqlite3_stmt *st = s->st[ST_GET_FACTS];
	size_t fcap = 0, vcap = 0;
	sqlite3_int64 last = 0;
	int rc;
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_fact_row(a, st, o, &last, &fcap, &vcap) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	if (rc == SQLITE_NOMEM)
		snprintf(s->err, sizeof s->err, "out of memory");
	else if (rc != SQLITE_DONE)
		store_fail(s, "select from offer_facts");
	store_done(s, ST_GET_FACTS);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int get_langs(struct store *s, const char *tenant, struct arena *a, struct offer *o)
{
	sqlite3_stmt *st = s->st[ST_GET_LANGS];
	size_t cap = 0;
	int rc;
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o->langs = room(a, o->langs, o->nlangs, &cap, sizeof *o->langs);
		if (!o->langs || col_str(a, st, 0, &o->langs[o->nlangs++]) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc == SQLITE_NOMEM)
		snprintf(s->err, sizeof s->err, "out of memory");
	else if (rc != SQLITE_DONE)
		store_fail(s, "select from offer_langs");
	store_done(s, ST_GET_LANGS);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int get_set(struct store *s, const char *tenant, struct offer_list *l)
{
	sqlite3_stmt *st = s->st[ST_GET_SET];
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && col_str(l->arena, st, 0, &l->file) < 0) {
		snprintf(s->err, sizeof s->err, "out of memory");
		rc = SQLITE_NOMEM;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(s, "select from offer_sets");
	}
	store_done(s, ST_GET_SET);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Reads inside one read transaction so a concurrent replace is seen either
 * completely or not at all. */
static int read_all(struct store *s, const char *tenant, struct offer_list *l)
{
	if (get_set(s, tenant, l) < 0 || get_offers(s, tenant, l) < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (get_facts(s, tenant, l->arena, &l->offers[i]) < 0 ||
		    get_langs(s, tenant, l->arena, &l->offers[i]) < 0)
			return -1;
	return 0;
}

/* The list and everything it points to, including the struct offer_list
 * itself, live in one arena, so offer_list_free(l) is arena_free(l->arena).
 * A tenant never stored reads as an empty list with file NULL. */
struct offer_list *store_offers_read(struct store *s, const char *tenant, struct diag *d)
{
	struct arena *a = NULL;
	struct offer_list *l = NULL;
	if (!s || !tenant) {
		diag_add(d, s ? s->path : "store", 0, 0, "cannot read offers: missing argument");
		return NULL;
	}
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s, "cannot start a transaction");
		goto fail;
	}
	a = arena_new();
	l = a ? arena_alloc(a, sizeof *l) : NULL;
	if (!l) {
		snprintf(s->err, sizeof s->err, "out of memory");
		goto fail;
	}
	l->arena = a;
	if (read_all(s, tenant, l) < 0)
		goto fail;
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return l;
fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	arena_free(a);
	diag_add(d, s->path, 0, 0, "cannot read offers of tenant %s: %s", tenant, s->err);
	return NULL;
}
