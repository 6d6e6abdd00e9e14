/* fixture.h - loads the test content (tests/data/content) for engine tests:
 * compiles its .po files with msgfmt into a temporary folder, opens a real
 * sqlite file there, and returns a content snapshot. */
#ifndef LOTSE_TEST_FIXTURE_H
#define LOTSE_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content.h"

struct fixture {
	char dir[256];
	struct store *db;
	struct catalog_stats stats;
	struct content_options opts;
};

static const char *const fixture_default_chain[] = {"en", NULL};

/* content_load that prints every diagnostic; NULL db or failure: NULL. */
static inline struct content *fixture_content_load(const struct content_options *o,
                                                   struct store *db)
{
	if (!db)
		return NULL;
	struct diag d;
	diag_init(&d);
	struct content *c = content_load(o, db, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	return c;
}

/* Returns a snapshot (caller unrefs) or NULL; prints errors. */
static inline struct content *fixture_load(struct fixture *fx, const char *flows_dir)
{
	char cmd[1024], err[256];
	memset(fx, 0, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/lotse-test-XXXXXX");
	if (!mkdtemp(fx->dir))
		return NULL;
	const char *langs[] = {"en", "ar"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), "msgfmt --check -o %s/%s.mo tests/data/content/po/%s.po",
		         fx->dir, langs[i], langs[i]);
		if (system(cmd) != 0)
			return NULL;
	}
	char db[512];
	snprintf(db, sizeof(db), "%s/lotse.db", fx->dir);
	fx->db = store_open(db, err, sizeof(err));
	if (!fx->db) {
		fprintf(stderr, "store_open: %s\n", err);
		return NULL;
	}
	fx->opts.flows_dir = flows_dir ? flows_dir : "tests/data/content/flows";
	fx->opts.mo_dir = fx->dir;
	fx->opts.default_chain = fixture_default_chain;
	fx->opts.stats = &fx->stats;
	return fixture_content_load(&fx->opts, fx->db);
}

static inline void fixture_done(struct fixture *fx)
{
	char cmd[512];
	store_close(fx->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fx->dir);
}

#endif
