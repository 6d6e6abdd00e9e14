/* recordings_status.c - the recordings part of `lotse i18n-status`: per
 * office and language, how many of the texts the office shows are recorded
 * (a recording for exactly the current translation), outdated (recorded
 * for another text), synthesised (no usable recording, espeak-ng has a
 * voice) or silent (neither). Translations come from the compiled
 * catalogues (<mo_dir>/<lang>.mo), recordings from the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/scan.h"
#include "i18n/catalog.h"
#include "net/speech.h"
#include "staff/staff.h"

struct tally {
	struct store *db;
	const char *tenant, *lang;
	const struct mo *mo;           /* NULL: nothing translated (or German) */
	bool voice;
	size_t n[4];                   /* recorded, outdated, synthesised, silent */
	const struct text **seen;      /* texts counted already (a text used twice counts once) */
	size_t nseen, capseen;
};

static bool counted(struct tally *t, const struct text *x)
{
	for (size_t i = 0; i < t->nseen; i++) {
		const struct text *s = t->seen[i];
		if (!strcmp(s->msgid, x->msgid) && !strcmp(s->context ? s->context : "",
		                                          x->context ? x->context : ""))
			return true;
	}
	if (t->nseen == t->capseen) {
		size_t cap = t->capseen ? t->capseen * 2 : 256;
		const struct text **m = realloc(t->seen, cap * sizeof(*m));
		if (!m)
			return true;
		t->seen = m;
		t->capseen = cap;
	}
	t->seen[t->nseen++] = x;
	return false;
}

static void each_text(void *ud, const struct text *x, const char *file, const char *role)
{
	(void)file;
	(void)role;
	struct tally *t = ud;
	if (counted(t, x))
		return;
	const char *shown = !strcmp(t->lang, CATALOG_SOURCE_LANG) ? x->msgid
	                  : t->mo ? mo_lookup(t->mo, x->context, x->msgid) : NULL;
	struct store_recording r = {0};
	int found = t->db ? store_recording_current(t->db, t->tenant, t->lang, x->context, x->msgid,
	                                            false, &r) : 0;
	if (found == 1)
		t->n[shown && !strcmp(shown, r.text) ? 0 : 1]++;
	else
		t->n[t->voice ? 2 : 3]++;
	store_recording_free(&r);
}

int staff_recordings_status(const char *flows_dir, const char *mo_dir, const char *db_path,
                            FILE *out, struct diag *d)
{
	struct tenant_content *tcs = NULL;
	size_t ntc = 0;
	char err[512], path[4096];
	int rc = scan_tenants(flows_dir, &tcs, &ntc, d) == 0 ? 0 : -1;
	struct store *db = NULL;
	if (rc == 0 && db_path && access(db_path, F_OK) == 0 &&
	    !(db = store_open(db_path, err, sizeof(err)))) {
		diag_add(d, db_path, 0, 0, "%s", err);
		rc = -1;
	}
	struct speech *sp = rc == 0 ? speech_create(0, NULL) : NULL;
	if (rc == 0)
		fprintf(out, "\n%-16s %-7s %9s %9s %12s %7s  %s\n", "recordings", "lang", "recorded",
		        "outdated", "synthesised", "silent", "voice");
	for (size_t i = 0; rc == 0 && sp && i < ntc; i++) {
		const struct tenant *tn = tcs[i].tenant;
		for (size_t l = 0; l < tn->nlangs; l++) {
			struct tally t = {.db = db, .tenant = tn->id, .lang = tn->langs[l]};
			struct diag md;
			diag_init(&md);
			snprintf(path, sizeof(path), "%s/%s.mo", mo_dir, t.lang);
			struct mo *mo = strcmp(t.lang, CATALOG_SOURCE_LANG) ? mo_load(path, &md) : NULL;
			diag_free(&md);
			t.mo = mo;
			t.voice = speech_has_voice(sp, t.lang);
			scan_each_text(&tcs[i], each_text, &t);
			fprintf(out, "%-16s %-7s %9zu %9zu %12zu %7zu  %s\n", tn->id, t.lang, t.n[0], t.n[1],
			        t.n[2], t.n[3], t.voice ? "espeak-ng" : "none (recordings only)");
			free(t.seen);
			mo_free(mo);
		}
	}
	speech_destroy(sp);
	store_close(db);
	for (size_t i = 0; i < ntc; i++)
		scan_tenant_free(&tcs[i]);
	free(tcs);
	return rc;
}
