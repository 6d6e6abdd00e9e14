/* tenant.h - a tenant (one education office) and its offers, from YAML.
 *
 * flows/<tenant>/tenant.yaml describes the office, flows/<tenant>/offers.yaml
 * lists its offers (see docs/flows.md). Both are loaded with the same
 * positioned, all-errors-reported validation as flows. Translatable fields are
 * struct text (msgids). Memory is owned by the returned object.
 */
#ifndef LOTSE_TENANT_H
#define LOTSE_TENANT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#include "flow/flow.h"

struct contact {
	struct text name;      /* e.g. "Bildungsbüro Salzgitter" */
	const char *person;    /* optional contact person */
	const char *address;
	const char *phone;
	const char *email;
	const char *web;
	struct text hours;     /* opening hours */
};

/* The msgctxt of an office's display name (tenant.yaml "name"), unless the
 * file gives its own "context": the name is translated apart from texts that
 * happen to be spelt the same (docs/translating.md). */
#define TENANT_NAME_CONTEXT "office name"

struct tenant {
	const char *id;          /* folder name: [a-z0-9-]+ */
	const char *file;        /* display path of tenant.yaml */
	struct text name;        /* display name */
	const char *default_lang;
	const char **langs;      /* languages offered, in the tenant's order */
	size_t nlangs;
	const char *start_flow;  /* flow id where conversations start */
	int start_line, start_col; /* where start_flow is written */
	struct contact contact;
	const char *colour;      /* "#rrggbb" or NULL */
	const char *logo;        /* file name under the tenant folder, or NULL */
	bool sample;             /* content is sample data */
	struct arena *arena;     /* owns all memory of this object */
};

/* A fact of an offer: one key, several accepted values ("N-M" = range). */
struct offer_fact {
	const char *key;
	const char **values;
	size_t nvalues;
};

struct offer {
	const char *id;
	struct text title;
	struct text description;
	struct offer_fact *facts;
	size_t nfacts;
	const char *district;
	const char *address;
	struct text hours;
	const char *phone;
	const char *email;
	const char *web;
	const char **langs;      /* languages spoken at the offer */
	size_t nlangs;
	struct text cost;
	bool sample;             /* invented sample data */
	int line;
};

struct offer_list {
	const char *file;
	struct offer *offers;
	size_t n;
	struct arena *arena;     /* owns all memory of this object */
};

/* Loads flows/<id>/tenant.yaml. Returns NULL on any error (all in d).
 * Caller frees with tenant_free. */
struct tenant *tenant_load(const char *path, const char *display, const char *id, struct diag *d);
void tenant_free(struct tenant *t);
/* Checks the tenant's flows together: reports a start flow that names no
 * flow (at tenant.yaml's "start"), then runs flows_check_graph with it.
 * Returns the number of errors added to d. */
size_t tenant_check_flows(const struct tenant *t, struct flow **flows, size_t nflows,
                          struct diag *d);

/* Loads an offers file. Returns NULL on any error (all in d). Checks
 * required fields, unique ids, phone/email/web shapes. Caller frees with
 * offer_list_free. */
struct offer_list *offers_load(const char *path, const char *display, struct diag *d);
struct offer_list *offers_parse(const char *display, const char *buf, size_t len, struct diag *d);
void offer_list_free(struct offer_list *l);

#endif
