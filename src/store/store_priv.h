/* store_priv.h - the inside of struct store, shared by the files of the store
 * module (store.c: open, schema, statements; offers.c; search.c). Not for use
 * outside src/store/. */
#ifndef LOTSE_STORE_PRIV_H
#define LOTSE_STORE_PRIV_H

#include <sqlite3.h>

#include "store/store.h"
#include "util/strbuf.h"

/* The prepared statements of one connection; SQL text in store.c. Every
 * user resets (and clears) a statement after use. */
enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_DEL_FACTS,
	ST_DEL_LANGS,
	ST_DEL_OFFERS,
	ST_DEL_SEARCH,
	ST_PUT_SET,
	ST_PUT_OFFER,
	ST_PUT_FACT,
	ST_PUT_LANG,
	ST_PUT_SEARCH,
	ST_GET_SET,
	ST_GET_OFFERS,
	ST_GET_FACTS,
	ST_GET_LANGS,
	ST_SEARCH,
	ST_COUNT
};

struct store {
	sqlite3 *db;
	char *path;                     /* owned copy of the file name */
	sqlite3_stmt *st[ST_COUNT];
	struct strbuf ids;              /* store_search results: ids, NUL-separated */
	char err[512];                  /* last error message */
	int code;                       /* sqlite's primary result code of that error */
};

/* Formats "what: sqlite message" into s->err; returns -1 for `return`. */
int store_fail(struct store *s, const char *what);
/* Runs SQL without results (may be several statements). Returns 0, or -1
 * with the error in s (what names the step). */
int store_exec(struct store *s, const char *sql, const char *what);
/* Ends a failed transaction, if one is open, keeping the error already in s. */
void store_rollback(struct store *s);
/* Steps a statement that returns no rows to completion, then resets it.
 * Returns 0, or -1 with s->err set ("what: message"). */
int store_run(struct store *s, enum store_stmt which, const char *what);
/* Resets a statement and clears its bindings. */
void store_done(struct store *s, enum store_stmt which);

/* Column list of the offers table, in the order used by offers.c (insert
 * binds column i at parameter i + 2, parameter 1 being the tenant). */
#define STORE_OFFER_COLS \
	"id, position, " \
	"title, title_ctx, title_note, title_line, " \
	"description, description_ctx, description_note, description_line, " \
	"district, address, " \
	"hours, hours_ctx, hours_note, hours_line, " \
	"phone, email, web, " \
	"cost, cost_ctx, cost_note, cost_line, " \
	"sample, line"

enum store_offer_col {
	OC_ID, OC_POSITION,
	OC_TITLE, OC_DESCRIPTION = OC_TITLE + 4,
	OC_DISTRICT = OC_DESCRIPTION + 4, OC_ADDRESS,
	OC_HOURS, OC_PHONE = OC_HOURS + 4, OC_EMAIL, OC_WEB,
	OC_COST, OC_SAMPLE = OC_COST + 4, OC_LINE,
	OC_COUNT
};

#endif
