/* fuzz_staff_body.c - fuzz target for the staff API's JSON request bodies:
 * the input is a body as a client sends it. It is read as staff_body_json
 * reads it (jansson, duplicate keys refused; the login, flow and rollback
 * bodies are only that plus string fields), and the "offer" of an offers
 * create/edit request is read by staff_offer_from_json. A refused offer
 * must come with a message that is valid UTF-8 (it goes into the JSON
 * answer). An accepted one is written as offers.yaml (staff_offers_emit,
 * which must succeed) and read back by the offers validator: when the
 * validator accepts the file, it must give back exactly the same offer. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow/tenant.h"
#include "staff/util.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_text(const struct text *a, const struct text *b)
{
	return same_str(a->msgid, b->msgid) && same_str(a->context, b->context) &&
	       same_str(a->note, b->note);
}

static int same_list(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!same_str(a[i], b[i]))
			return 0;
	return 1;
}

static int same_offer(const struct offer *a, const struct offer *b)
{
	if (!same_str(a->id, b->id) || !same_text(&a->title, &b->title) ||
	    !same_text(&a->description, &b->description) || a->nfacts != b->nfacts ||
	    !same_str(a->district, b->district) || !same_str(a->address, b->address) ||
	    !same_text(&a->hours, &b->hours) || !same_str(a->phone, b->phone) ||
	    !same_str(a->email, b->email) || !same_str(a->web, b->web) ||
	    !same_list(a->langs, a->nlangs, b->langs, b->nlangs) || !same_text(&a->cost, &b->cost) ||
	    a->sample != b->sample)
		return 0;
	for (size_t i = 0; i < a->nfacts; i++)
		if (!same_str(a->facts[i].key, b->facts[i].key) ||
		    !same_list((const char *const *)a->facts[i].values, a->facts[i].nvalues,
		               (const char *const *)b->facts[i].values, b->facts[i].nvalues))
			return 0;
	return 1;
}

static void check_offer(json_t *body)
{
	struct arena *a = arena_new();
	struct offer of;
	char err[512];
	if (!a)
		return;
	if (staff_offer_from_json(json_object_get(body, "offer"), a, &of, err, sizeof(err)) != 0) {
		size_t n = strlen(err);
		if (n == 0 || utf8_invalid_at(err, n) != n)
			abort();
		arena_free(a);
		return;
	}
	struct offer_list l = {.file = "offers.yaml", .offers = &of, .n = 1};
	struct strbuf yaml;
	struct diag d;
	strbuf_init(&yaml);
	diag_init(&d);
	if (staff_offers_emit(&l, "# fuzz\n", &yaml) != 0)
		abort();
	struct offer_list *back = offers_parse("offers.yaml", yaml.data, yaml.len, &d);
	if (!back && d.n == 0 && !d.dropped)
		abort();   /* refused without saying why */
	if (back && (back->n != 1 || !same_offer(&of, &back->offers[0])))
		abort();
	offer_list_free(back);
	diag_free(&d);
	strbuf_free(&yaml);
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t e;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	check_offer(body);
	json_decref(body);
	return 0;
}
