/* offer_check.h - field-by-field comparison of offers and offer lists, for
 * round-trip tests (file -> database -> back). */
#ifndef LOTSE_TEST_OFFER_CHECK_H
#define LOTSE_TEST_OFFER_CHECK_H

#include "check.h"
#include "flow/tenant.h"

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

#endif
