/* store.h - the sqlite database: schema and migrations, offers, search, stats.
 *
 * One struct store is one connection; use one per thread (the socket thread
 * reads, the reload/staff thread writes). The file is opened in WAL mode with
 * a busy timeout; the schema is created and migrated on open by
 * PRAGMA user_version. Writes run in BEGIN IMMEDIATE transactions, so a
 * failure leaves the previous state intact.
 */
#ifndef LOTSE_STORE_H
#define LOTSE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "flow/tenant.h"
#include "util/diag.h"

#define STORE_SCHEMA_VERSION 2

struct store;

/* Opens (creating if missing) and migrates the database at path.
 * Returns NULL with a message in err (bounded) on failure.
 * Caller closes with store_close. */
struct store *store_open(const char *path, char *err, size_t errlen);
/* Closes the connection and frees s. NULL is fine. */
void store_close(struct store *s);
/* Current schema version of the open database (-1 on error). */
int store_schema_version(struct store *s);
/* The last error on s (e.g. after store_search returned -1); owned by s,
 * valid until the next call on s. */
const char *store_error(const struct store *s);

/* One row of the search index: the offer's texts in one language, already
 * normalised with text_normalise. */
struct search_row {
	const char *offer_id;
	const char *lang;
	const char *body;
};

/* Replaces all offers of a tenant (and their search rows) with `offers` in
 * one transaction. On failure nothing changes and an error is added to d.
 * Returns 0 or -1. */
int store_offers_replace(struct store *s, const char *tenant, const struct offer_list *offers,
                         const struct search_row *rows, size_t nrows, struct diag *d);
/* Reads the tenant's offers back from the database (same shape as the
 * file, same order; a tenant never stored gives an empty list with file
 * NULL). Returns NULL on error (in d). Everything, the struct offer_list
 * included, is allocated from l->arena: caller frees with offer_list_free
 * (which must be just arena_free(l->arena)). */
struct offer_list *store_offers_read(struct store *s, const char *tenant, struct diag *d);

/* Full-text search in one tenant and language. `query` is raw user text; it
 * is normalised here, split into words, and each word matched as a prefix.
 * Writes up to max offer ids (pointers valid until the next call on s) into
 * ids, best match first. Returns the count, or -1 on error. */
int store_search(struct store *s, const char *tenant, const char *lang, const char *query,
                 const char **ids, int max);

#endif
