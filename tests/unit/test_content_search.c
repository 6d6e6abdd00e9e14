/* test_content_search.c - free-text search over the default content's offers
 * (flows/, real catalogues from the build, real sqlite file): the words a
 * person would type for "German course" in each language, with the spelling
 * variants people really use (Arabic without hamza and with ه for ة,
 * Persian typed with Arabic letters, Turkish in capitals, Romanian and
 * Kurdish without diacritics), find a German course of every office that
 * has one. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "content/content.h"

static const struct {
	const char *lang, *query;
} queries[] = {
	{"de", "deutschkurs"},
	{"en", "german course"},
	{"ar", "دوره الالمانيه"},
	{"tr", "ALMANCA KURSU"},
	{"uk", "курс німецької"},
	{"fa", "كلاس زبان آلماني"},
	{"ru", "курс немецкого"},
	{"pl", "kurs niemiecki"},
	{"ro", "curs germana"},
	{"bg", "курс немски"},
	{"ku", "kursa almani"},
	{"ps", "الماني کورس"},
};

static const char *const tenants[] = {"boerde", "dessau-rosslau", "lueneburg"};

int main(void)
{
	static struct catalog_stats stats;
	static const char *const chain[] = {"en", NULL};
	char err[256];
	const char *db_path = "/tmp/lotse-search-test.db";
	remove(db_path);
	struct store *db = store_open(db_path, err, sizeof(err));
	CHECK(db != NULL);
	struct content_options o = {.flows_dir = "flows", .mo_dir = LOTSE_BINARY_DIR "/po",
	                            .default_chain = chain, .stats = &stats};
	struct content *c = fixture_content_load(&o, db);
	CHECK(c != NULL);
	if (!c)
		return 1;
	for (size_t t = 0; t < sizeof(tenants) / sizeof(tenants[0]); t++) {
		const struct tenant_content *tc = content_tenant(c, tenants[t]);
		CHECK(tc != NULL);
		for (size_t q = 0; tc && q < sizeof(queries) / sizeof(queries[0]); q++) {
			const char *ids[10];
			int n = store_search(db, tenants[t], queries[q].lang, queries[q].query, ids, 10);
			bool found = false;
			for (int i = 0; i < n; i++) {
				const struct offer *of = tenant_offer(tc, ids[i]);
				if (of && strstr(of->title.msgid, "Deutschkurs"))
					found = true;
			}
			if (!found) {
				fprintf(stderr, "%s/%s: \"%s\" found no German course (%d results)\n",
				        tenants[t], queries[q].lang, queries[q].query, n);
				check_failures++;
			}
		}
		/* Language isolation: the Arabic words find nothing in the Turkish index. */
		const char *ids[10];
		CHECK(store_search(db, tenants[t], "tr", "دوره الالمانيه", ids, 10) == 0);
	}
	content_unref(c);
	store_close(db);
	remove(db_path);
	CHECK_DONE();
}
