/* lang.c - the static table of languages Lotse knows (code, autonym, English
 * name, writing direction) and lookups in it. No locale data is involved. */
#include "i18n/lang.h"

#include <stddef.h>
#include <string.h>

static const struct lang langs[] = {
	{ "de",  "Deutsch",           "German",                   false },
	/* Easy German (Einfache Sprache): BCP 47 private use, read with the
	 * German voice (docs/translating.md "Easy German") */
	{ "de-x-es", "Einfache Sprache", "Easy German",            false },
	{ "en",  "English",           "English",                  false },
	{ "ar",  "العربية",           "Arabic",                   true  },
	{ "fa",  "فارسی",             "Persian",                  true  },
	{ "prs", "دری",               "Dari",                     true  },
	{ "ps",  "پښتو",              "Pashto",                   true  },
	{ "ckb", "کوردی",             "Central Kurdish (Sorani)", true  },
	{ "ku",  "Kurdî (Kurmancî)",  "Kurdish (Kurmanji)",       false },
	{ "ur",  "اردو",              "Urdu",                     true  },
	{ "tr",  "Türkçe",            "Turkish",                  false },
	{ "uk",  "Українська",        "Ukrainian",                false },
	{ "ru",  "Русский",           "Russian",                  false },
	{ "pl",  "Polski",            "Polish",                   false },
	{ "ro",  "Română",            "Romanian",                 false },
	{ "bg",  "Български",         "Bulgarian",                false },
	{ "ti",  "ትግርኛ",              "Tigrinya",                 false },
	{ "am",  "አማርኛ",              "Amharic",                  false },
	{ "so",  "Soomaali",          "Somali",                   false },
	{ "sq",  "Shqip",             "Albanian",                 false },
	{ "fr",  "Français",          "French",                   false },
	{ "es",  "Español",           "Spanish",                  false },
	{ "it",  "Italiano",          "Italian",                  false },
	{ "pt",  "Português",         "Portuguese",               false },
	{ "el",  "Ελληνικά",          "Greek",                    false },
	{ "hr",  "Hrvatski",          "Croatian",                 false },
	{ "sr",  "Српски",            "Serbian",                  false },
	{ "bs",  "Bosanski",          "Bosnian",                  false },
	{ "hu",  "Magyar",            "Hungarian",                false },
	{ "vi",  "Tiếng Việt",        "Vietnamese",               false },
	{ "zh",  "中文",              "Chinese",                  false },
	{ NULL,  NULL,                NULL,                       false },
};

const struct lang *lang_find(const char *code)
{
	if (!code)
		return NULL;
	for (const struct lang *l = langs; l->code; l++)
		if (strcmp(l->code, code) == 0)
			return l;
	return NULL;
}

const char *lang_dir(const char *code)
{
	const struct lang *l = lang_find(code);
	return l && l->rtl ? "rtl" : "ltr";
}

const char *lang_base(const char *code)
{
	const struct lang *l = lang_find(code);
	if (!l)
		return NULL;
	const char *dash = strchr(l->code, '-');
	if (!dash)
		return l->code;
	size_t n = (size_t)(dash - l->code);
	for (const struct lang *b = langs; b->code; b++)
		if (strlen(b->code) == n && memcmp(b->code, l->code, n) == 0)
			return b->code;
	return l->code;
}

static bool lower(char c)
{
	return c >= 'a' && c <= 'z';
}

bool lang_code_ok(const char *s)
{
	size_t n = 0;
	while (s && lower(s[n]))
		n++;
	if (n < 2 || n > 3)
		return false;
	if (s[n] == '\0')
		return true;
	if (strncmp(s + n, "-x-", 3) != 0)
		return false;
	size_t k = n + 3, m = 0;
	while (lower(s[k + m]) || (s[k + m] >= '0' && s[k + m] <= '9'))
		m++;
	return m >= 1 && s[k + m] == '\0' && k + m <= LANG_CODE_MAX;
}

const struct lang *lang_all(void)
{
	return langs;
}
