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
#include "i18n/normalise.h"
#include "store/store.h"

static char tmpdir[64];

static void tmp_setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/lotse-store-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(2);
	}
}

static void tmp_cleanup(void)
{
	DIR *dir = opendir(tmpdir);
	struct dirent *e;
	while (dir && (e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(dir), e->d_name, 0);
	if (dir)
		closedir(dir);
	rmdir(tmpdir);
}

/* Equal strings, or both NULL. */
#define CHECK_OPT(a, b) do { \
	const char *x_ = (a), *y_ = (b); \
	if (x_ || y_) \
		CHECK_STR(x_, y_); \
} while (0)

static void check_text(const struct text *got, const struct text *want)
{
	CHECK_OPT(got->msgid, want->msgid);
	CHECK_OPT(got->context, want->context);
	CHECK_OPT(got->note, want->note);
	CHECK(got->line == want->line);
}

static void check_offer(const struct offer *got, const struct offer *want)
{
	CHECK_STR(got->id, want->id);
	check_text(&got->title, &want->title);
	check_text(&got->description, &want->description);
	check_text(&got->hours, &want->hours);
	check_text(&got->cost, &want->cost);
	CHECK_OPT(got->district, want->district);
	CHECK_OPT(got->address, want->address);
	CHECK_OPT(got->phone, want->phone);
	CHECK_OPT(got->email, want->email);
	CHECK_OPT(got->web, want->web);
	CHECK(got->sample == want->sample);
	CHECK(got->line == want->line);
	CHECK(got->nlangs == want->nlangs);
	for (size_t i = 0; i < got->nlangs && i < want->nlangs; i++)
		CHECK_STR(got->langs[i], want->langs[i]);
	CHECK(got->nfacts == want->nfacts);
	for (size_t i = 0; i < got->nfacts && i < want->nfacts; i++) {
		CHECK_STR(got->facts[i].key, want->facts[i].key);
		CHECK(got->facts[i].nvalues == want->facts[i].nvalues);
		for (size_t j = 0; j < got->facts[i].nvalues && j < want->facts[i].nvalues; j++)
			CHECK_STR(got->facts[i].values[j], want->facts[i].values[j]);
	}
}

static void check_list(const struct offer_list *got, const struct offer_list *want)
{
	CHECK(got != NULL);
	if (!got)
		return;
	CHECK_OPT(got->file, want->file);
	CHECK(got->n == want->n);
	for (size_t i = 0; i < got->n && i < want->n; i++)
		check_offer(&got->offers[i], &want->offers[i]);
}

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
