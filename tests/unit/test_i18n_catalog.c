/* test_i18n_catalog.c - catalogue sets: lookups through the fallback chain
 * (fa -> en -> msgid, pl -> msgid, default chain), the source language,
 * exact lookup and fallback counters (also across threads and reloads), and
 * the load errors (missing catalogue, unknown fallback, bad code). */
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "i18n/catalog.h"
#include "test_i18n_util.h"

static char dir[256];
static struct catalog_stats stats;

static int slot(const char *lang)
{
	for (unsigned i = 0; i < atomic_load(&stats.nlangs); i++)
		if (strcmp(stats.lang[i], lang) == 0)
			return (int)i;
	return -1;
}

static unsigned long lookups(const char *lang)
{
	int i = slot(lang);
	return i < 0 ? 999999 : atomic_load(&stats.lookups[i]);
}

static unsigned long fallbacks(const char *lang)
{
	int i = slot(lang);
	return i < 0 ? 999999 : atomic_load(&stats.fallbacks[i]);
}

static const char *const default_chain[] = { "en", NULL };
static const char *const fa_chain[] = { "en", NULL };
static const char *const pl_chain[] = { "de", "en", NULL };  /* "de" = the msgids: en never reached */

static struct catalog_set *load_main(struct diag *d)
{
	static const char *const langs[] = { "de", "en", "fa", "ar", "uk", "pl" };
	const char *const *chains[] = { NULL, NULL, fa_chain, NULL, NULL, pl_chain };
	return catalog_set_load(dir, langs, 6, chains, default_chain, &stats, d);
}

static void test_lookups(struct catalog_set *cs)
{
	bool fb = true;
	const char *nirgends = "Nirgends";
	CHECK_STR(catalog_gettext(cs, "fa", NULL, "Sprachkurs", &fb), "دوره زبان");
	CHECK(!fb);
	CHECK_STR(catalog_gettext(cs, "fa", NULL, "Nur auf Englisch", &fb), "Only in English");
	CHECK(fb);
	fb = false;
	CHECK(catalog_gettext(cs, "fa", NULL, nirgends, &fb) == nirgends);
	CHECK(fb);
	CHECK_STR(catalog_gettext(cs, "fa", "button", "Weiter", &fb), "بعدی");
	CHECK(!fb);
	CHECK_STR(catalog_gettext(cs, "fa", "direction", "Weiter", &fb), "Onwards");
	CHECK(fb);
	CHECK_STR(catalog_gettext(cs, "fa", NULL, "Weiter", &fb), "Continue");
	CHECK(fb);
	CHECK_STR(catalog_gettext(cs, "fa", NULL, "Leer", &fb), "Leer");  /* empty in en */
	CHECK(fb);
	CHECK_STR(catalog_ngettext(cs, "fa", NULL, "%d Kurs", "%d Kurse", 3, &fb), "%d courses");
	CHECK(fb);
	CHECK_STR(catalog_ngettext(cs, "fa", NULL, "%d Kurs", "%d Kurse", 1, &fb), "%d course");
	CHECK(fb);
	CHECK_STR(catalog_ngettext(cs, "fa", NULL, "%d Angebot", "%d Angebote", 2, &fb),
	          "%d پیشنهادها");
	CHECK(!fb);
	CHECK_STR(catalog_ngettext(cs, "fa", NULL, "%d Nichts", "%d Nichtse", 1, &fb), "%d Nichts");
	CHECK(fb);
	CHECK_STR(catalog_ngettext(cs, "fa", NULL, "%d Nichts", "%d Nichtse", 0, NULL), "%d Nichtse");
	/* fa: 12 lookups, 9 fallbacks */
	CHECK(lookups("fa") == 12);
	CHECK(fallbacks("fa") == 9);

	/* The source language: the msgid itself, never a fallback. */
	CHECK_STR(catalog_gettext(cs, "de", NULL, "Sprachkurs", &fb), "Sprachkurs");
	CHECK(!fb);
	CHECK_STR(catalog_gettext(cs, "de", "button", "Weiter", &fb), "Weiter");
	CHECK(!fb);
	CHECK_STR(catalog_ngettext(cs, "de", NULL, "%d Angebot", "%d Angebote", 1, &fb), "%d Angebot");
	CHECK_STR(catalog_ngettext(cs, "de", NULL, "%d Angebot", "%d Angebote", 0, &fb), "%d Angebote");
	CHECK(!fb);
	CHECK(lookups("de") == 4 && fallbacks("de") == 0);

	/* en: its own catalogue, then (default chain = en itself) the msgid. */
	CHECK_STR(catalog_gettext(cs, "en", NULL, "Sprachkurs", &fb), "Language course");
	CHECK(!fb);
	CHECK_STR(catalog_gettext(cs, "en", NULL, "Leer", &fb), "Leer");
	CHECK(fb);
	CHECK(lookups("en") == 2 && fallbacks("en") == 1);

	/* pl: chain "de" first, so the English text is never used. */
	CHECK_STR(catalog_gettext(cs, "pl", NULL, "Nur auf Englisch", &fb), "Nur auf Englisch");
	CHECK(fb);
	CHECK_STR(catalog_ngettext(cs, "pl", NULL, "%d Angebot", "%d Angebote", 22, &fb), "%d oferty");
	CHECK(!fb);
	CHECK_STR(catalog_ngettext(cs, "pl", NULL, "%d Kurs", "%d Kurse", 22, &fb), "%d Kurse");
	CHECK(fb);
	CHECK(lookups("pl") == 3 && fallbacks("pl") == 2);

	/* ar: default chain (en). Plural from the English catalogue's own rule. */
	CHECK_STR(catalog_gettext(cs, "ar", NULL, "Nur auf Englisch", &fb), "Only in English");
	CHECK(fb);
	CHECK_STR(catalog_ngettext(cs, "ar", NULL, "%d Kurs", "%d Kurse", 0, &fb), "%d courses");
	CHECK_STR(catalog_ngettext(cs, "ar", NULL, "%d Angebot", "%d Angebote", 11, &fb), "%d عرضًا");
	CHECK(!fb);
	CHECK(lookups("ar") == 3 && fallbacks("ar") == 2);

	/* catalog_lookup: same texts, nothing counted */
	CHECK_STR(catalog_lookup(cs, "fa", NULL, "Sprachkurs"), "دوره زبان");
	CHECK_STR(catalog_lookup(cs, "fa", NULL, "Nur auf Englisch"), "Only in English");
	CHECK_STR(catalog_lookup(cs, "fa", "direction", "Weiter"), "Onwards");
	CHECK_STR(catalog_lookup(cs, "de", NULL, "Sprachkurs"), "Sprachkurs");
	CHECK_STR(catalog_lookup(cs, "pl", NULL, "Nur auf Englisch"), "Nur auf Englisch");
	CHECK(lookups("fa") == 12 && fallbacks("fa") == 9 && lookups("de") == 4);
	CHECK(lookups("pl") == 3 && fallbacks("pl") == 2);

	/* A language not in the set: default chain, fallback, no counter slot. */
	CHECK_STR(catalog_gettext(cs, "xx", NULL, "Sprachkurs", &fb), "Language course");
	CHECK(fb);
	CHECK(slot("xx") == -1);
	CHECK(lookups("uk") == 0 && fallbacks("uk") == 0);

	CHECK(catalog_set_has(cs, "fa"));
	CHECK(catalog_set_has(cs, "de"));
	CHECK(!catalog_set_has(cs, "tr"));
	CHECK(!catalog_set_has(cs, NULL));
}

static struct catalog_set *shared;

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5000; i++) {
		catalog_gettext(shared, "uk", NULL, "Sprachkurs", NULL);      /* hit */
		catalog_gettext(shared, "uk", NULL, "Nur auf Englisch", NULL); /* fallback */
	}
	return NULL;
}

static void test_threads(struct catalog_set *cs)
{
	pthread_t t[4];
	shared = cs;
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(lookups("uk") == 40000);
	CHECK(fallbacks("uk") == 20000);
}

static void expect_load_error(const char *const *langs, size_t n, const char *const *const *chains,
                              const char *want)
{
	struct diag d;
	char buf[1024], full[1024];
	diag_init(&d);
	snprintf(full, sizeof(full), "%s%s", dir, want);  /* want starts after the folder */
	CHECK(catalog_set_load(dir, langs, n, chains, default_chain, &stats, &d) == NULL);
	CHECK(d.n == 1);
	CHECK_STR(d.n ? diag_format(&d, 0, buf, sizeof(buf)) : "", full);
	diag_free(&d);
}

static void test_errors(void)
{
	unsigned before = atomic_load(&stats.nlangs);
	static const char *const missing[] = { "de", "en", "tr" };
	expect_load_error(missing, 3, NULL,
	                  "/tr.mo: cannot open catalogue: No such file or directory");
	static const char *const bad[] = { "en", "../en" };
	expect_load_error(bad, 2, NULL, ": invalid language code \"../en\"");
	static const char *const twice[] = { "en", "fa", "en" };
	expect_load_error(twice, 3, NULL, ": language \"en\" configured twice");
	static const char *const ru_chain[] = { "ru", NULL };
	static const char *const fa_only[] = { "en", "fa" };
	const char *const *chains[] = { NULL, ru_chain };
	expect_load_error(fa_only, 2, chains,  /* fallbacks are loaded too: ru.mo is missing */
	                  "/ru.mo: cannot open catalogue: No such file or directory");
	const char *many[CATALOG_MAX_LANGS + 1];
	for (size_t i = 0; i <= CATALOG_MAX_LANGS; i++)
		many[i] = "en";
	expect_load_error(many, CATALOG_MAX_LANGS + 1, NULL,
	                  ": more than 32 languages (with their fallbacks) configured");
	/* a failed load adds no counter slots */
	CHECK(atomic_load(&stats.nlangs) == before);
}

static void test_reload(void)
{
	/* A new set with the same stats keeps the slots and goes on counting. */
	static const char *const langs[] = { "uk", "fa" };
	struct diag d;
	diag_init(&d);
	struct catalog_set *cs = catalog_set_load(dir, langs, 2, NULL, NULL, &stats, &d);
	CHECK(cs != NULL && d.n == 0);
	CHECK(atomic_load(&stats.nlangs) == 6);
	CHECK(slot("fa") == 2 && slot("uk") == 4);
	unsigned long fl = lookups("fa"), ff = fallbacks("fa");
	bool fb = false;
	/* empty default chain: straight to the msgid */
	CHECK_STR(catalog_gettext(cs, "fa", NULL, "Nur auf Englisch", &fb), "Nur auf Englisch");
	CHECK(fb);
	CHECK(lookups("fa") == fl + 1 && fallbacks("fa") == ff + 1);
	catalog_set_free(cs);
	diag_free(&d);
}

static void test_fallback_loaded(void)
{
	/* en is only a fallback here: it is loaded anyway. */
	static const char *const langs[] = { "ar" };
	static const char *const ar_chain[] = { "de", NULL };
	const char *const *chains[] = { ar_chain };
	struct diag d;
	bool fb = false;
	diag_init(&d);
	struct catalog_set *cs = catalog_set_load(dir, langs, 1, NULL, default_chain, &stats, &d);
	CHECK(cs != NULL && d.n == 0);
	CHECK(catalog_set_has(cs, "en") && catalog_set_has(cs, "ar") && !catalog_set_has(cs, "fa"));
	CHECK_STR(catalog_gettext(cs, "ar", NULL, "Nur auf Englisch", &fb), "Only in English");
	CHECK(fb);
	CHECK_STR(catalog_gettext(cs, "en", NULL, "Sprachkurs", &fb), "Language course");
	CHECK(!fb);
	catalog_set_free(cs);
	/* "de" first in the chain: en is not needed and not loaded */
	cs = catalog_set_load(dir, langs, 1, chains, NULL, &stats, &d);
	CHECK(cs != NULL && d.n == 0);
	CHECK(!catalog_set_has(cs, "en"));
	CHECK_STR(catalog_gettext(cs, "ar", NULL, "Nur auf Englisch", &fb), "Nur auf Englisch");
	CHECK(fb);
	catalog_set_free(cs);
	CHECK(atomic_load(&stats.nlangs) == 6);
	diag_free(&d);
}

int main(void)
{
	static const char *const langs[] = { "en", "ar", "uk", "pl", "fa", NULL };
	static const char *const files[] = { "en.mo", "ar.mo", "uk.mo", "pl.mo", "fa.mo", NULL };
	CHECK(i18n_tmpdir(dir, sizeof(dir))[0] != '\0');
	for (size_t i = 0; langs[i]; i++)
		CHECK(i18n_compile_po(dir, langs[i]) == 0);

	struct diag d;
	diag_init(&d);
	struct catalog_set *cs = load_main(&d);
	diag_print(&d, stderr);
	CHECK(cs != NULL && d.n == 0);
	diag_free(&d);
	CHECK(atomic_load(&stats.nlangs) == 6);
	CHECK_STR(stats.lang[0], "de");
	CHECK_STR(stats.lang[5], "pl");
	if (cs) {
		test_lookups(cs);
		test_threads(cs);
	}
	catalog_set_free(cs);
	test_errors();
	test_reload();
	test_fallback_loaded();
	i18n_rmdir(dir, files);
	CHECK_DONE();
}
