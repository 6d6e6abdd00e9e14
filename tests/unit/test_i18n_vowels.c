/* test_i18n_vowels.c - speech forms (i18n/vowels.h): which code points are
 * marks and letters, stripping marks, the rule "every Arabic word of two or
 * more letters has a mark", and the exact messages of vowels_check for a
 * drifted form and a bare word. */
#include "check.h"
#include "i18n/vowels.h"

#include <stdlib.h>

int main(void)
{
	/* marks and letters */
	CHECK(vowels_is_mark(0x064E) && vowels_is_mark(0x0651) && vowels_is_mark(0x0652));
	CHECK(vowels_is_mark(0x064B) && vowels_is_mark(0x0670));
	CHECK(!vowels_is_mark(0x0653) && !vowels_is_mark(0x0654) && !vowels_is_mark(0x0627));
	CHECK(vowels_is_letter(0x0643) && vowels_is_letter(0x0621) && vowels_is_letter(0x06CC));
	CHECK(!vowels_is_letter(0x0640) && !vowels_is_letter(0x064E) && !vowels_is_letter('k'));
	CHECK(vowels_wanted("ar") && !vowels_wanted("fa") && !vowels_wanted("de") &&
	      !vowels_wanted(NULL));

	/* stripping keeps everything but the marks */
	char *s = vowels_strip("كَمْ عُمْرُ طِفْلِكُمْ؟ (Kita) 9:00–15:00");
	CHECK_STR(s, "كم عمر طفلكم؟ (Kita) 9:00–15:00");
	free(s);
	s = vowels_strip("هٰذَا عَرْضًا، مَجَّانِيٌّ");
	CHECK_STR(s, "هذا عرضا، مجاني");
	free(s);
	s = vowels_strip("a\xff" "b");   /* invalid bytes are kept */
	CHECK_STR(s, "a\xff" "b");
	free(s);

	/* the word rule */
	size_t off = 99, len = 99;
	CHECK(vowels_every_word_marked("كَمْ عُمْرُ طِفْلِكُمْ؟", &off, &len));
	CHECK(vowels_every_word_marked("وَ 13 (Kita) و", &off, &len));   /* one letter: no rule */
	CHECK(vowels_every_word_marked("", &off, &len));
	CHECK(!vowels_every_word_marked("كَمْ عمر طِفْلِكُمْ", &off, &len));
	CHECK(off == strlen("كَمْ ") && len == strlen("عمر"));
	CHECK(!vowels_every_word_marked("(Kita) لطفلي", &off, &len));
	CHECK(off == strlen("(Kita) ") && len == strlen("لطفلي"));

	/* vowels_check: equal letters, a drift, a bare word */
	struct diag d;
	char line[512];
	diag_init(&d);
	CHECK(vowels_check("كَمْ عُمْرُ طِفْلِكُمْ؟", "كم عمر طفلكم؟", "po/speech/ar.po", 7,
	                   "po/ar.po", 9, &d) == 0);
	/* a shadda that the displayed text has too is no difference */
	CHECK(vowels_check("تَعَذَّرَتْ", "تعذّرت", "s.po", 1, "a.po", 1, &d) == 0);
	CHECK(d.n == 0);
	CHECK(vowels_check("كَمْ عُمْرُ طِفْلِكِ؟", "كم عمر طفلكم؟", "po/speech/ar.po", 7,
	                   "po/ar.po", 9, &d) == 1);
	CHECK(vowels_check("كَمْ عمر", "كم عمر", "po/speech/ar.po", 12, "po/ar.po", 14, &d) == 1);
	CHECK(vowels_check("كم", "كمم", "x.po", 3, "y.po", 4, &d) == 2);
	CHECK(d.n == 4);
	CHECK_STR(diag_format(&d, 0, line, sizeof(line)),
	          "po/speech/ar.po:7: speech form differs from the displayed text (po/ar.po:9) once "
	          "its vowel marks are removed, from character 12: \"؟\" instead of \"م؟\"");
	CHECK_STR(diag_format(&d, 1, line, sizeof(line)),
	          "po/speech/ar.po:12: word \"عمر\" has no vowel mark (every Arabic word of two or "
	          "more letters needs at least one)");
	CHECK_STR(diag_format(&d, 2, line, sizeof(line)),
	          "x.po:3: speech form differs from the displayed text (y.po:4) once its vowel marks "
	          "are removed, from character 3: \"\" instead of \"م\"");
	diag_free(&d);
	CHECK_DONE();
}
