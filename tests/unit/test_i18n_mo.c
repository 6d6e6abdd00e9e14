/* test_i18n_mo.c - reading .mo files: catalogues compiled by msgfmt from
 * tests/data/i18n/<lang>.po (context, plural forms for en/ar/uk/pl/fa, empty and
 * fuzzy entries), hand-built images (big-endian, unsorted, no Plural-Forms)
 * and broken files, each rejected with its exact message. */
#include <string.h>

#include "check.h"
#include "i18n/catalog.h"
#include "test_i18n_util.h"

static char dir[256];

static struct mo *load(const char *lang)
{
	char path[512];
	struct diag d;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/%s.mo", dir, lang);
	struct mo *m = mo_load(path, &d);
	if (!m)
		diag_print(&d, stderr);
	diag_free(&d);
	return m;
}

/* Parses buf and returns the first message ("" if it loaded). */
static const char *parse_error(const void *buf, size_t len, char *out, size_t outlen)
{
	struct diag d;
	diag_init(&d);
	struct mo *m = mo_parse("t.mo", buf, len, &d);
	out[0] = '\0';
	if (d.n)
		diag_format(&d, 0, out, outlen);
	CHECK((m == NULL) == (d.n > 0));
	mo_free(m);
	diag_free(&d);
	return out;
}

static void test_en(void)
{
	struct mo *m = load("en");
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(mo_count(m) == 7);  /* header and fuzzy entry not counted */
	CHECK_STR(mo_lookup(m, NULL, "Sprachkurs"), "Language course");
	CHECK_STR(mo_lookup(m, NULL, "Weiter"), "Continue");
	CHECK_STR(mo_lookup(m, "button", "Weiter"), "Next");
	CHECK_STR(mo_lookup(m, "direction", "Weiter"), "Onwards");
	CHECK(mo_lookup(m, "other", "Weiter") == NULL);
	CHECK(mo_lookup(m, "button", "Sprachkurs") == NULL);
	CHECK(mo_lookup(m, "butto", "Weiter") == NULL);
	CHECK(mo_lookup(m, NULL, "Leer") == NULL);      /* empty msgstr */
	CHECK(mo_lookup(m, NULL, "Unsicher") == NULL);  /* fuzzy: not compiled */
	CHECK(mo_lookup(m, NULL, "") == NULL);          /* header is not a message */
	CHECK(mo_lookup(m, NULL, "Nirgends") == NULL);
	CHECK_STR(mo_lookup(m, NULL, "%d Angebot"), "%d offer");
	CHECK_STR(mo_lookup_plural(m, NULL, "%d Angebot", "%d Angebote", 0), "%d offers");
	CHECK_STR(mo_lookup_plural(m, NULL, "%d Angebot", "%d Angebote", 1), "%d offer");
	CHECK_STR(mo_lookup_plural(m, NULL, "%d Angebot", "%d Angebote", 2), "%d offers");
	CHECK(mo_lookup_plural(m, NULL, "%d Nichts", "%d Nichtse", 2) == NULL);
	/* every msgid of the file, looked up in turn (the index works for all) */
	static const char *const ids[] = { "Sprachkurs", "Weiter", "Nur auf Englisch",
	                                   "%d Angebot", "%d Kurs", NULL };
	for (size_t i = 0; ids[i]; i++)
		CHECK(mo_lookup(m, NULL, ids[i]) != NULL);
	mo_free(m);
}

static void test_plurals(void)
{
	struct mo *ar = load("ar"), *uk = load("uk"), *pl = load("pl"), *fa = load("fa");
	CHECK(ar && uk && pl && fa);
	if (ar) {
		static const unsigned long ns[] = { 0, 1, 2, 3, 11, 100, 102, 103, 111, 1000 };
		static const char *const want[] = { "لا عروض (%d)", "عرض واحد (%d)", "عرضان (%d)",
		                                    "%d عروض", "%d عرضًا", "%d عرض", "%d عرض",
		                                    "%d عروض", "%d عرضًا", "%d عرض" };
		for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
			CHECK_STR(mo_lookup_plural(ar, NULL, "%d Angebot", "%d Angebote", ns[i]),
			          want[i]);
	}
	if (uk) {
		static const unsigned long ns[] = { 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111 };
		static const char *const want[] = { "%d пропозиція", "%d пропозиції", "%d пропозиції",
		                                    "%d пропозицій", "%d пропозицій", "%d пропозицій",
		                                    "%d пропозиція", "%d пропозиції", "%d пропозицій",
		                                    "%d пропозиція", "%d пропозицій" };
		for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
			CHECK_STR(mo_lookup_plural(uk, NULL, "%d Angebot", "%d Angebote", ns[i]),
			          want[i]);
	}
	if (pl) {
		static const unsigned long ns[] = { 0, 1, 2, 5, 12, 21, 22, 112, 122 };
		static const char *const want[] = { "%d ofert", "%d oferta", "%d oferty", "%d ofert",
		                                    "%d ofert", "%d ofert", "%d oferty", "%d ofert",
		                                    "%d oferty" };
		for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
			CHECK_STR(mo_lookup_plural(pl, NULL, "%d Angebot", "%d Angebote", ns[i]),
			          want[i]);
	}
	if (fa) {  /* n > 1 */
		CHECK_STR(mo_lookup_plural(fa, NULL, "%d Angebot", "%d Angebote", 0), "%d پیشنهاد");
		CHECK_STR(mo_lookup_plural(fa, NULL, "%d Angebot", "%d Angebote", 1), "%d پیشنهاد");
		CHECK_STR(mo_lookup_plural(fa, NULL, "%d Angebot", "%d Angebote", 2), "%d پیشنهادها");
		CHECK_STR(mo_lookup(fa, "button", "Weiter"), "بعدی");
		CHECK(mo_lookup(fa, NULL, "Weiter") == NULL);
	}
	mo_free(ar);
	mo_free(uk);
	mo_free(pl);
	mo_free(fa);
}

static void test_built(void)
{
	/* Unsorted, big-endian, no Plural-Forms (germanic rule), a context, a
	 * plural with a missing form and one with an empty form. */
	static const struct mo_msg msgs[] = {
		{ MO_STR("zebra"), MO_STR("Zebra!") },
		{ MO_STR(""), MO_STR("Content-Type: text/plain; charset=UTF-8\n") },
		{ MO_STR("ctx\x04" "apfel"), MO_STR("apple in ctx") },
		{ MO_STR("apfel"), MO_STR("apple") },
		{ MO_STR("%d Ei\0%d Eier"), MO_STR("%d egg\0%d eggs") },
		{ MO_STR("%d Tag\0%d Tage"), MO_STR("%d day") },
		{ MO_STR("%d Jahr\0%d Jahre"), MO_STR("\0%d years") },
	};
	for (int big = 0; big <= 1; big++) {
		size_t len = 0;
		unsigned char *b = i18n_build_mo(msgs, sizeof(msgs) / sizeof(msgs[0]), big, &len);
		struct diag d;
		diag_init(&d);
		struct mo *m = mo_parse("built.mo", b, len, &d);
		memset(b, 0, len);  /* the catalogue keeps its own copy */
		free(b);
		CHECK(m != NULL && d.n == 0);
		if (m) {
			CHECK(mo_count(m) == 6);
			CHECK_STR(mo_lookup(m, NULL, "zebra"), "Zebra!");
			CHECK_STR(mo_lookup(m, NULL, "apfel"), "apple");
			CHECK_STR(mo_lookup(m, "ctx", "apfel"), "apple in ctx");
			CHECK_STR(mo_lookup_plural(m, NULL, "%d Ei", "%d Eier", 1), "%d egg");
			CHECK_STR(mo_lookup_plural(m, NULL, "%d Ei", "%d Eier", 0), "%d eggs");
			CHECK_STR(mo_lookup_plural(m, NULL, "%d Ei", "%d Eier", 7), "%d eggs");
			CHECK_STR(mo_lookup_plural(m, NULL, "%d Tag", "%d Tage", 1), "%d day");
			CHECK(mo_lookup_plural(m, NULL, "%d Tag", "%d Tage", 2) == NULL);
			CHECK(mo_lookup_plural(m, NULL, "%d Jahr", "%d Jahre", 1) == NULL);
			CHECK_STR(mo_lookup_plural(m, NULL, "%d Jahr", "%d Jahre", 3), "%d years");
		}
		mo_free(m);
		diag_free(&d);
	}
}

static void expect_built_error(const struct mo_msg *msgs, size_t n, const char *want)
{
	size_t len = 0;
	char err[512];
	unsigned char *b = i18n_build_mo(msgs, n, 0, &len);
	CHECK_STR(parse_error(b, len, err, sizeof(err)), want);
	free(b);
}

static void test_bad_headers(void)
{
	static const struct mo_msg bad_pf[] = {
		{ MO_STR(""), MO_STR("Plural-Forms: nplurals=2; plural=(n != 1;\n") },
	};
	expect_built_error(bad_pf, 1,
	                   "t.mo: invalid Plural-Forms \"nplurals=2; plural=(n != 1;\": expected ')' "
	                   "at character 27");
	static const struct mo_msg bad_np[] = {
		{ MO_STR(""), MO_STR("Plural-Forms: nplurals=0; plural=0;\n") },
	};
	expect_built_error(bad_np, 1,
	                   "t.mo: invalid Plural-Forms \"nplurals=0; plural=0;\": nplurals must be "
	                   "between 1 and 64 at character 10");
	static const struct mo_msg latin1[] = {
		{ MO_STR(""), MO_STR("Content-Type: text/plain; charset=ISO-8859-1\n") },
	};
	expect_built_error(latin1, 1,
	                   "t.mo: catalogue charset must be UTF-8 (Content-Type: text/plain; "
	                   "charset=ISO-8859-1)");
	static const struct mo_msg dup[] = {
		{ MO_STR("b"), MO_STR("x") }, { MO_STR("a"), MO_STR("y") }, { MO_STR("b"), MO_STR("z") },
	};
	expect_built_error(dup, 3, "t.mo: duplicate message \"b\"");
	static const struct mo_msg badutf[] = { { MO_STR("a"), MO_STR("\xc3(") } };
	expect_built_error(badutf, 1, "t.mo: translation string 0 is not valid UTF-8 (byte 1)");
	static const struct mo_msg twohdr[] = { { MO_STR(""), MO_STR("A: b\n") },
	                                        { MO_STR(""), MO_STR("C: d\n") } };
	expect_built_error(twohdr, 2, "t.mo: duplicate header entry (empty msgid)");
}

static void test_corrupt(void)
{
	char path[512], err[512];
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/en.mo", dir);
	unsigned char *b = i18n_read(path, &len);
	CHECK(b != NULL && len > 200);
	if (!b)
		return;
	CHECK_STR(parse_error(b, len, err, sizeof(err)), "");
	CHECK_STR(parse_error(b, 20, err, sizeof(err)),
	          "t.mo: truncated: 20 bytes, a .mo file has at least 28");
	CHECK_STR(parse_error(b, 0, err, sizeof(err)),
	          "t.mo: truncated: 0 bytes, a .mo file has at least 28");
	/* Cut inside the strings: msgfmt writes "Onwards" (translation 7) last. */
	snprintf(path, sizeof(path),
	         "t.mo: translation string 7 lies outside the file (offset %zu, length 7, "
	         "file size %zu)", len - 8, len - 3);
	CHECK_STR(parse_error(b, len - 3, err, sizeof(err)), path);
	const char *e;

	unsigned char *c = malloc(len);
	memcpy(c, b, len);
	memcpy(c, "\x12\x34\x56\x78", 4);
	CHECK_STR(parse_error(c, len, err, sizeof(err)), "t.mo: not a .mo file (bad magic 0x78563412)");

	memcpy(c, b, len);
	i18n_put32(c + 4, 0x00010000, 0);
	CHECK_STR(parse_error(c, len, err, sizeof(err)), "t.mo: unsupported .mo revision 1.0");

	memcpy(c, b, len);
	i18n_put32(c + 8, 0x20000000, 0);  /* message count far beyond the file */
	snprintf(path, sizeof(path),
	         "t.mo: string tables lie outside the file (536870912 messages, tables at 28 and "
	         "92, file size %zu)", len);
	CHECK_STR(parse_error(c, len, err, sizeof(err)), path);

	memcpy(c, b, len);
	i18n_put32(c + 28 + 8 * 2 + 4, 0xfffffff0u, 0);  /* offset of original 2 */
	unsigned l2 = (unsigned)c[28 + 16] | (unsigned)c[28 + 17] << 8;
	snprintf(path, sizeof(path),
	         "t.mo: original string 2 lies outside the file (offset 4294967280, length %u, "
	         "file size %zu)", l2, len);
	CHECK_STR(parse_error(c, len, err, sizeof(err)), path);

	memcpy(c, b, len);
	i18n_put32(c + 28 + 8 * 8, 0xffffffffu, 0);  /* length of translation 0 */
	e = parse_error(c, len, err, sizeof(err));
	CHECK(strstr(e, "translation string 0 lies outside the file (offset ") != NULL);

	memcpy(c, b, len);
	{
		/* original 1 one byte longer: its NUL is now the next string's first byte */
		unsigned l = (unsigned)c[28 + 8] | (unsigned)c[28 + 9] << 8;
		i18n_put32(c + 28 + 8, l + 1, 0);
		CHECK(strstr(parse_error(c, len, err, sizeof(err)),
		             "original string 1 is not NUL-terminated") != NULL);
	}
	free(c);
	free(b);

	struct diag d;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/none.mo", dir);
	CHECK(mo_load(path, &d) == NULL);
	char want[600];
	snprintf(want, sizeof(want), "%s: cannot open catalogue: No such file or directory", path);
	CHECK(d.n == 1);
	if (d.n)
		CHECK_STR(diag_format(&d, 0, err, sizeof(err)), want);
	diag_free(&d);
}

int main(void)
{
	static const char *const langs[] = { "en", "ar", "uk", "pl", "fa", NULL };
	static const char *const files[] = { "en.mo", "ar.mo", "uk.mo", "pl.mo", "fa.mo", NULL };
	CHECK(i18n_tmpdir(dir, sizeof(dir))[0] != '\0');
	for (size_t i = 0; langs[i]; i++)
		CHECK(i18n_compile_po(dir, langs[i]) == 0);
	test_en();
	test_plurals();
	test_built();
	test_bad_headers();
	test_corrupt();
	i18n_rmdir(dir, files);
	CHECK_DONE();
}
