/* test_store_loaded.c - a real offers file (tests/data/store/offers.yaml)
 * loaded by offers_load, written with store_offers_replace and read back
 * with store_offers_read: the two lists are equal field by field, so nothing
 * of the file model (contexts, notes, lines, order) is lost on the way. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "i18n/normalise.h"
#include "store/store.h"

#include "offer_check.h"

int main(void)
{
	char path[128], err[256] = "";
	struct diag d;
	diag_init(&d);
	tmp_setup();
	snprintf(path, sizeof path, "%s/loaded.db", tmpdir);
	struct offer_list *file = offers_load(LOTSE_SOURCE_DIR "/tests/data/store/offers.yaml",
	                                      "tests/data/store/offers.yaml", &d);
	struct store *s = store_open(path, err, sizeof err);
	CHECK(file != NULL && s != NULL);
	CHECK(diag_count(&d) == 0);
	if (!file || !s) {
		diag_print(&d, stderr);
		goto out;
	}
	CHECK(file->n == 2);
	/* one search row per offer: the normalised title */
	struct search_row rows[2];
	char *bodies[2] = {NULL, NULL};
	for (size_t i = 0; i < 2 && i < file->n; i++) {
		const char *t = file->offers[i].title.msgid;
		bodies[i] = text_normalise(t, strlen(t));
		rows[i] = (struct search_row){file->offers[i].id, "de", bodies[i]};
	}
	CHECK(store_offers_replace(s, "salzgitter", file, rows, file->n < 2 ? file->n : 2, &d) == 0);
	free(bodies[0]);
	free(bodies[1]);
	struct offer_list *back = store_offers_read(s, "salzgitter", &d);
	CHECK(diag_count(&d) == 0);
	check_list(back, file);
	if (back && back->n == 2) {
		CHECK_STR(back->offers[0].id, "zz-sprachkita");
		CHECK_STR(back->offers[0].title.context, "Angebotstitel");
		CHECK_STR(back->offers[0].title.note, "Name of a daycare; keep \"Kita\"");
		CHECK(back->offers[0].title.line == 7);
		CHECK(back->offers[0].line == 5);
		CHECK_STR(back->offers[1].cost.context, "Preis");
	}
	offer_list_free(back);
	const char *ids[2];
	int n = store_search(s, "salzgitter", "de", "Elterncafe", ids, 2);
	CHECK(n == 1);
	if (n == 1)
		CHECK_STR(ids[0], "aa-elterncafe");
out:
	offer_list_free(file);
	store_close(s);
	diag_free(&d);
	tmp_cleanup();
	CHECK_DONE();
}
