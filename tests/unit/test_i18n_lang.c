/* test_i18n_lang.c - the language table: lookups, direction, completeness. */
#include <string.h>

#include "check.h"
#include "i18n/lang.h"

int main(void)
{
	const struct lang *l = lang_find("de");
	CHECK(l != NULL);
	CHECK_STR(l ? l->autonym : NULL, "Deutsch");
	CHECK_STR(l ? l->english : NULL, "German");
	CHECK(l && !l->rtl);

	l = lang_find("ar");
	CHECK_STR(l ? l->autonym : NULL, "العربية");
	CHECK(l && l->rtl);
	CHECK_STR(lang_find("uk") ? lang_find("uk")->autonym : NULL, "Українська");
	CHECK_STR(lang_find("ku") ? lang_find("ku")->autonym : NULL, "Kurdî (Kurmancî)");
	CHECK_STR(lang_find("ti") ? lang_find("ti")->autonym : NULL, "ትግርኛ");
	CHECK_STR(lang_find("prs") ? lang_find("prs")->english : NULL, "Dari");

	CHECK_STR(lang_dir("fa"), "rtl");
	CHECK_STR(lang_dir("ps"), "rtl");
	CHECK_STR(lang_dir("ckb"), "rtl");
	CHECK_STR(lang_dir("prs"), "rtl");
	CHECK_STR(lang_dir("tr"), "ltr");
	CHECK_STR(lang_dir("ku"), "ltr");
	CHECK_STR(lang_dir("xx"), "ltr");
	CHECK_STR(lang_dir(NULL), "ltr");
	CHECK(lang_find("xx") == NULL);
	CHECK(lang_find("") == NULL);
	CHECK(lang_find(NULL) == NULL);
	CHECK(lang_find("DE") == NULL);

	/* Easy German: a private-use tag, left to right, read with the German voice */
	l = lang_find("de-x-es");
	CHECK_STR(l ? l->autonym : NULL, "Einfache Sprache");
	CHECK_STR(l ? l->english : NULL, "Easy German");
	CHECK_STR(lang_dir("de-x-es"), "ltr");
	CHECK_STR(lang_base("de-x-es"), "de");
	CHECK_STR(lang_base("de"), "de");
	CHECK_STR(lang_base("ar"), "ar");
	CHECK(lang_base("xx") == NULL);
	CHECK(lang_base("de-x-zz") == NULL);
	CHECK(lang_base(NULL) == NULL);
	CHECK(lang_code_ok("de") && lang_code_ok("prs") && lang_code_ok("de-x-es"));
	CHECK(lang_code_ok("de-x-ab12") == false);   /* 9 characters: longer than char[8] holds */
	CHECK(lang_code_ok("ckb-x-a") && !lang_code_ok("ckb-x-ab"));
	CHECK(!lang_code_ok("d") && !lang_code_ok("deut") && !lang_code_ok("DE"));
	CHECK(!lang_code_ok("de-") && !lang_code_ok("de-x-") && !lang_code_ok("de-x-E"));
	CHECK(!lang_code_ok("de-at") && !lang_code_ok("de-x-e-s") && !lang_code_ok("de-x-es/"));
	CHECK(!lang_code_ok("") && !lang_code_ok(NULL) && !lang_code_ok("../de"));

	static const char *const required[] = {
		"de", "en", "ar", "fa", "tr", "uk", "ru", "pl", "ro", "bg", "ku", "ps", "ti", "so",
		"sq", "fr", "es", "it", "el", "hr", "sr", "vi", "zh", "ckb", "prs", NULL,
	};
	for (size_t i = 0; required[i]; i++) {
		const struct lang *x = lang_find(required[i]);
		if (!x)
			fprintf(stderr, "missing language %s\n", required[i]);
		CHECK(x != NULL);
	}

	/* Every entry complete, codes unique and short enough for catalog_stats. */
	size_t n = 0;
	for (const struct lang *a = lang_all(); a->code; a++, n++) {
		CHECK(a->autonym && a->autonym[0] && a->english && a->english[0]);
		CHECK(strlen(a->code) >= 2 && strlen(a->code) <= 7);
		CHECK(lang_find(a->code) == a);
		CHECK(lang_code_ok(a->code));
		CHECK(lang_base(a->code) && lang_find(lang_base(a->code)));
	}
	CHECK(n >= 25);
	CHECK_DONE();
}
