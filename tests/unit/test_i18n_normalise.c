/* test_i18n_normalise.c - search folding: exact results for Turkish,
 * Arabic, Persian, Ukrainian, Russian, Greek, Polish, Romanian, German,
 * Vietnamese, digits, spacing and broken UTF-8, plus every code point run
 * through once (valid UTF-8 out, never longer than the input, no stray
 * spaces). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "i18n/normalise.h"
#include "util/utf8.h"

static char last[1024];

static const char *norm_n(const char *s, size_t n)
{
	char *r = text_normalise(s, n);
	snprintf(last, sizeof(last), "%s", r ? r : "(null)");
	free(r);
	return last;
}

static const char *norm(const char *s)
{
	return norm_n(s, strlen(s));
}

static void same(const char *a, const char *b)
{
	char ra[1024];
	snprintf(ra, sizeof(ra), "%s", norm(a));
	CHECK_STR(ra, norm(b));
}

static void test_examples(void)
{
	/* Turkish */
	CHECK_STR(norm("DİL KURSU"), "dil kursu");
	CHECK_STR(norm("dil kursu"), "dil kursu");
	CHECK_STR(norm("Dıl"), "dil");
	CHECK_STR(norm("ŞEHİR Gösteri ĞÜÇ"), "sehir gosteri guc");
	CHECK_STR(norm("I\xcc\x87stanbul"), "istanbul");  /* I + combining dot above */
	/* Arabic */
	CHECK_STR(norm("دورة اللغة الألمانية"), "دوره اللغه الالمانيه");
	same("دورة اللغة الألمانية", "دوره اللغه الالمانيه");
	CHECK_STR(norm("دَوْرَةُ"), "دوره");             /* harakat */
	CHECK_STR(norm("عـــربي"), "عربي");            /* tatweel */
	CHECK_STR(norm("إسلام آمن ٱلله"), "اسلام امن الله");
	CHECK_STR(norm("مسؤول رئيس على"), "مسوول رييس علي");
	CHECK_STR(norm("أ،ب؛ج؟"), "ا ب ج");
	CHECK_STR(norm("\xd9\xb0"), "");               /* superscript alef alone */
	/* Persian */
	same("یک کتاب", "يك كتاب");
	CHECK_STR(norm("یک کتاب"), "يك كتاب");
	same("می\xe2\x80\x8cخواهم", "میخواهم");         /* ZWNJ inside the word */
	CHECK_STR(norm("می\xe2\x80\x8cخواهم"), "ميخواهم");
	CHECK_STR(norm("خانهٔ"), "خانه");              /* hamza above (U+0654) */
	/* Digits */
	CHECK_STR(norm("٣"), "3");
	CHECK_STR(norm("٠١٢٣٤٥٦٧٨٩"), "0123456789");
	CHECK_STR(norm("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
	CHECK_STR(norm("كلاس ۱۲"), "كلاس 12");
	/* Cyrillic */
	CHECK_STR(norm("Курс німецької мови"), "курс німецької мови");
	CHECK_STR(norm("ЄВРОПА ЇЖАК ІНШЕ ҐАНОК"), "європа їжак інше ґанок");
	CHECK_STR(norm("Ёлка ЁЖ"), "елка еж");
	CHECK_STR(norm("ЯЗЫКОВОЙ КУРС"), "языковой курс");
	CHECK_STR(norm("СРПСКИ Ђ Ћ Џ Љ Њ Ј"), "српски ђ ћ џ љ њ ј");
	/* Greek */
	CHECK_STR(norm("Ελληνικά ΜΑΘΗΜΑΤΑ"), "ελληνικα μαθηματα");
	CHECK_STR(norm("Μάθημα Γλώσσας"), "μαθημα γλωσσασ");
	CHECK_STR(norm("ΆΈΉΊΌΎΏ ϊϋΐΰ"), "αεηιουω ιυιυ");
	/* Latin */
	CHECK_STR(norm("Sprachförderung"), "sprachforderung");
	CHECK_STR(norm("Straße STRASSE ẞ"), "strasse strasse ss");
	CHECK_STR(norm("ÄÖÜ äöü"), "aou aou");
	CHECK_STR(norm("Mu\xcc\x88nchen"), "munchen");   /* decomposed ü */
	CHECK_STR(norm("ŁÓDŹ żółć Gęś Ćma Ńa"), "lodz zolc ges cma na");
	CHECK_STR(norm("Școală Țară învățământ"), "scoala tara invatamant");
	CHECK_STR(norm("Şcoală Ţară"), "scoala tara");  /* cedilla variants */
	CHECK_STR(norm("Tiếng Việt Đường"), "tieng viet duong");
	CHECK_STR(norm("Français Œuvre Æsir Þór Ĳssel"), "francais oeuvre aesir thor ijssel");
	CHECK_STR(norm("Kurdî Kurmancî Xwendin Êş"), "kurdi kurmanci xwendin es");
	CHECK_STR(norm("Shqip Ë ë Ç"), "shqip e e c");
	CHECK_STR(norm("ＡＢＣ１２"), "abc12");
	/* Other scripts kept */
	CHECK_STR(norm("中文 课程"), "中文 课程");
	CHECK_STR(norm("ትግርኛ። ቋንቋ"), "ትግርኛ ቋንቋ");
	/* Spacing and punctuation */
	CHECK_STR(norm("  Hallo,   Welt!  "), "hallo welt");
	CHECK_STR(norm("a\xe2\x80\x94" "b"), "a b");          /* em dash */
	CHECK_STR(norm("a\xc2\xa0" "b\tc\nd"), "a b c d");    /* NBSP, tab, newline */
	CHECK_STR(norm("Sprach\xc2\xad" "kurs"), "sprachkurs"); /* soft hyphen */
	CHECK_STR(norm("«Deutsch» „Kurs“ ‚A‘ (B) [C] {D}"), "deutsch kurs a b c d");
	CHECK_STR(norm("1.000,50 €"), "1 000 50");
	CHECK_STR(norm("don't м'ясо мʼясо"), "don t м ясо м ясо");
	CHECK_STR(norm("☺️ Kurs 🙂"), "kurs");
	CHECK_STR(norm(""), "");
	CHECK_STR(norm("!!! ... ?"), "");
	/* Invalid UTF-8 is dropped without separating */
	CHECK_STR(norm("ab\xff" "cd"), "abcd");
	CHECK_STR(norm("ab\xed\xa0\x80" "cd"), "abcd");       /* surrogate */
	CHECK_STR(norm("a\xc3"), "a");                         /* truncated */
	CHECK_STR(norm_n("a\0b", 3), "a b");                   /* length, not NUL */
	CHECK_STR(norm_n("Kurs", 2), "ku");
}

/* Every code point alone and between letters: valid UTF-8, never longer
 * than the input, no leading, trailing or double spaces. */
static void test_all_code_points(void)
{
	int bad = 0;
	for (uint32_t cp = 0; cp <= 0x10FFFF && bad < 5; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		char in[16];
		size_t n = 0;
		in[n++] = 'x';
		in[n++] = ' ';
		n += utf8_encode(cp, in + n);
		in[n++] = 'y';
		char *r = text_normalise(in, n);
		size_t rl = r ? strlen(r) : 0;
		if (!r || rl > n || utf8_invalid_at(r, rl) != rl || rl < 2 || r[0] != 'x' ||
		    r[rl - 1] != 'y' || strstr(r, "  ")) {
			fprintf(stderr, "  U+%04X folds badly: \"%s\"\n", (unsigned)cp, r ? r : "(null)");
			bad++;
		}
		free(r);
	}
	CHECK(bad == 0);
}

int main(void)
{
	test_examples();
	test_all_code_points();
	CHECK_DONE();
}
