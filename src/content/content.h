/* content.h - one immutable, reference-counted snapshot of everything a
 * conversation needs: tenants, their flows and offers, and the catalogues.
 *
 * content_load reads flows/<tenant>/{tenant.yaml,*.yaml,offers.yaml} and the
 * compiled catalogues, validates all of it (reporting every error), then
 * writes the offers into the database (one transaction per tenant) and reads
 * them back, so the database is where offers live. Only when everything
 * succeeded is a snapshot returned; a reload builds a new one and swaps a
 * pointer (content_publish), so running conversations keep the snapshot they
 * started on until they end (content_unref).
 */
#ifndef LOTSE_CONTENT_H
#define LOTSE_CONTENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "flow/flow.h"
#include "flow/tenant.h"
#include "i18n/catalog.h"
#include "store/store.h"
#include "util/diag.h"

struct tenant_content {
	struct tenant *tenant;
	struct flow **flows;        /* owned */
	size_t nflows;
	struct offer_list *offers;  /* owned; read back from the database */
};

/* Fallback chain configuration: for language `lang`, try `chain` (NULL
 * terminated) before the source texts. */
struct fallback_rule {
	const char *lang;
	const char *const *chain;
};

struct content_options {
	const char *flows_dir;                   /* e.g. "flows" */
	const char *mo_dir;                      /* compiled catalogues <lang>.mo */
	const struct fallback_rule *fallbacks;   /* nfallbacks rules */
	size_t nfallbacks;
	const char *const *default_chain;        /* NULL-terminated; may be NULL */
	struct catalog_stats *stats;             /* outlives all snapshots */
};

struct content {
	atomic_int refs;
	unsigned long generation;               /* 1, 2, ... per successful load */
	struct tenant_content *tenants;         /* owned, sorted by id */
	size_t ntenants;
	struct catalog_set *catalogs;           /* owned */
	struct mo *speech_forms[CATALOG_MAX_LANGS]; /* owned: <mo_dir>/speech/<lang>.mo, or NULL */
	char speech_langs[CATALOG_MAX_LANGS][8];    /* ... of these languages */
	size_t nspeech;
	const char *default_tenant;             /* id of the first tenant */
	bool preview;                           /* a staff preview's draft (content_mark_preview) */
	atomic_bool retired;                    /* preview only: its token is gone (content_retire) */
};

/* Loads and validates everything; on success writes offers to `db` and
 * returns a snapshot with refs == 1. On any error returns NULL with every
 * problem in d and leaves the database unchanged. */
struct content *content_load(const struct content_options *o, struct store *db, struct diag *d);
/* Validates without database or catalogues (lotse check). paths are files
 * (a flow, tenant.yaml or offers.yaml) or folders (a tenant folder or the
 * flows root). Returns the number of errors (all in d). */
size_t content_check(const char *const *paths, size_t npaths, struct diag *d);

/* A snapshot of one tenant alone, never published (generation 0; the
 * staff area's previews): takes over *tc (cleared, also on failure) and
 * loads the catalogues of its languages from o (without statistics).
 * Returns a new snapshot with refs == 1 (caller unrefs), or NULL with the
 * errors in d. */
struct content *content_of_tenant(const struct content_options *o, struct tenant_content *tc,
                                  struct diag *d);

struct content *content_ref(struct content *c);
/* Drops a reference; frees the snapshot when it was the last. NULL is fine. */
void content_unref(struct content *c);

/* Staff previews (docs/staff.md "Previews"): a draft snapshot is marked once
 * when it is made (counted in content_previews_alive until it is freed) and
 * retired when no preview token names it any more; the socket thread then
 * ends the conversations still holding it (content_retirements changes, so
 * it knows when to look). Any thread. */
void content_mark_preview(struct content *c);
void content_retire(struct content *c);
bool content_retired(const struct content *c);
/* Preview snapshots in memory (marked, not yet freed). */
long content_previews_alive(void);
/* How many snapshots were retired since the start (only ever grows). */
unsigned long content_retirements(void);

const struct tenant_content *content_tenant(const struct content *c, const char *id);
const struct flow *tenant_flow(const struct tenant_content *tc, const char *flow_id);
const struct offer *tenant_offer(const struct tenant_content *tc, const char *offer_id);

/* The current snapshot, shared between threads. content_current returns a
 * new reference (caller unrefs) or NULL before the first publish.
 * content_publish takes over the caller's reference to c. */
struct content *content_current(void);
void content_publish(struct content *c);

/* Writes a gettext template (.pot) with every text of the flows, tenants and
 * offers under flows_dir plus the program's own messages, with
 * "#: flows/...:LINE" references and msgctxt/translator comments. Returns 0,
 * or -1 with errors in d. */
int content_extract(const char *flows_dir, const char *out_path, struct diag *d);

/* Prints, per tenant and language it offers, translated / fuzzy /
 * untranslated counts of the texts that tenant shows (po_dir/<lang>.po).
 * Returns how many tenant languages are below threshold (percent
 * translated), or -1 if the content could not be read (errors in d; a
 * missing or broken .po is an error in d and counts as untranslated). */
int content_i18n_status(const char *flows_dir, const char *po_dir, double threshold, FILE *out,
                        struct diag *d);

/* The counts behind content_i18n_status: one row per tenant and language
 * it offers (German left out), in tenant order. */
struct i18n_coverage {
	char tenant[72];
	char lang[8];
	size_t translated, fuzzy, untranslated;
	char review[128];   /* the catalogue's X-Review-Status header ("draft, ..."), or "" */
};
/* Fills a new array (*rows, caller frees; *nrows). Returns 0, or -1 if the
 * content could not be read (errors in d); a missing or broken .po is an
 * error in d and counts as untranslated. */
int content_i18n_coverage(const char *flows_dir, const char *po_dir,
                          struct i18n_coverage **rows, size_t *nrows, struct diag *d);

/* `lotse i18n-lint` (docs/translating.md "Lint"): the default longest
 * answer label, in characters as seen (i18n/textlint.h): at the narrowest
 * answer column of the kiosk page (16rem wide, 1.2rem bold text) about 16
 * to 19 characters fit on a line, so 32 keep a label to two lines. */
#define LINT_LABEL_MAX 32
/* Checks the answer labels of every flow under flows_dir (the German
 * source, and their translations in every po_dir/<lang>.po) against max_label,
 * and every text shown on screen in every po_dir/<lang>.po for Latin text that
 * a right-to-left language (i18n/lang.h) does not isolate and for
 * unbalanced isolates. Every finding goes into d as file:line. Returns the
 * number of findings, or -1 if the content could not be read (errors in d). */
long content_i18n_lint(const char *flows_dir, const char *po_dir, size_t max_label,
                       struct diag *d);

/* Speech forms (docs/translating.md "Speech forms"): the fully vowelled text that is read
 * aloud instead of the displayed translation, from <mo_dir>/speech/<lang>.mo
 * (optional; loaded with the catalogues). Returns the speech form of a text
 * in lang, or NULL when there is none or when, without vowel marks, it is
 * not exactly `shown` (the displayed text, also without marks), so speech
 * never says what the screen does not. Lifetime: the snapshot. */
const char *content_speech_form(const struct content *c, const char *lang, const char *ctx,
                                const char *msgid, const char *shown);

/* The speech words of lang (i18n/saytext.h) for read-aloud: its own
 * translations to recognise the written words, and what is spoken of each
 * from its speech form where there is one (content_speech_form: the same
 * letters), so the words speech text inserts into an Arabic text are
 * vowelled too. Lifetime: the snapshot. */
struct say_words;
void content_say_words(const struct content *c, const char *lang, struct say_words *sw);

/* Checks po_dir/speech/<lang>.po against po_dir/<lang>.po for every text
 * the tenants under flows_dir show (and the program's own texts), for each
 * language that needs speech forms (i18n/vowels.h) or has a speech
 * catalogue: every translated text has a speech form (else *missing++),
 * and every speech form is its displayed text plus vowel marks, with a mark
 * on every word (else *drifted++). Every problem goes into d as
 * file:line. Without a po_dir/speech folder nothing is checked. Returns 0,
 * or -1 if the content could not be read (errors in d). */
int content_speech_forms_check(const char *flows_dir, const char *po_dir, size_t *missing,
                               size_t *drifted, struct diag *d);

/* `lotse speech-text`: prints, one line per text, the words read-aloud
 * speaks for each text in lang, with the catalogue mo_dir/<lang>.mo (no
 * fallback language) and the speech forms mo_dir/speech/<lang>.mo if it
 * exists (the inserted words spoken vowelled; a text whose speech form,
 * without context, has the msgid source is read from that form); German
 * parts as "[de: ...]". source (or NULL) is the German text the texts were
 * translated from (terms in parentheses found in it are German). Returns 0,
 * or -1 with errors in d. */
int content_speech_text(const char *mo_dir, const char *lang, const char *source,
                        const char *const *texts, size_t ntexts, FILE *out, struct diag *d);

#endif
