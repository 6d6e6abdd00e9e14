/* saytext.h - "speech text": a text rewritten into the words a person would
 * say, per language, before it is synthesised (docs/speech.md).
 *
 * Clock times, time ranges, dates, weekday names and abbreviations, weekday
 * ranges, ordinals, amounts of euros, percentages, phone numbers, e-mail and
 * web addresses become words; German addresses (and German terms that a
 * translation keeps in parentheses) are marked so that they are read with
 * the German voice. Every word and pattern of a language is a catalogue
 * entry (SAY_WORDS below: context, German msgid, translator note); the C
 * code knows no language's words. Pure: no I/O, no global state.
 */
#ifndef LOTSE_SAYTEXT_H
#define LOTSE_SAYTEXT_H

#include <stddef.h>

#include "i18n/catalog.h"
#include "util/strbuf.h"

/* Marks around a German part inside a rewritten text. Never in the output
 * otherwise: the rewriter turns every control character of its input into
 * a space. */
#define SAY_DE_BEGIN '\x02'
#define SAY_DE_END '\x03'

/* X(id, msgctxt, German msgid, translator note). Patterns use {a} {b} {h}
 * {m} {mm} {d} {month} {y} {n} {c} {o}; lists separate their forms with '|'. */
#define SAY_WORDS(X) \
	X(MON, "speech: weekday name, Monday", "Montag", "The day as said on its own.") \
	X(TUE, "speech: weekday name, Tuesday", "Dienstag", "") \
	X(WED, "speech: weekday name, Wednesday", "Mittwoch", "") \
	X(THU, "speech: weekday name, Thursday", "Donnerstag", "") \
	X(FRI, "speech: weekday name, Friday", "Freitag", "") \
	X(SAT, "speech: weekday name, Saturday", "Samstag", "") \
	X(SUN, "speech: weekday name, Sunday", "Sonntag", "") \
	X(MON_W, "speech: how Monday is written in our texts (abbreviations and full name), forms separated by |", "Mo|Mo.|Montag", \
	  "List every way your translations write the day, with and without dot, capital and small, e.g. Pon.|pon.|Pn|poniedziałek. Each form is read as the full name.") \
	X(TUE_W, "speech: how Tuesday is written in our texts (abbreviations and full name), forms separated by |", "Di|Di.|Dienstag", "") \
	X(WED_W, "speech: how Wednesday is written in our texts (abbreviations and full name), forms separated by |", "Mi|Mi.|Mittwoch", "") \
	X(THU_W, "speech: how Thursday is written in our texts (abbreviations and full name), forms separated by |", "Do|Do.|Donnerstag", "") \
	X(FRI_W, "speech: how Friday is written in our texts (abbreviations and full name), forms separated by |", "Fr|Fr.|Freitag", "") \
	X(SAT_W, "speech: how Saturday is written in our texts (abbreviations and full name), forms separated by |", "Sa|Sa.|Samstag", "") \
	X(SUN_W, "speech: how Sunday is written in our texts (abbreviations and full name), forms separated by |", "So|So.|Sonntag", "") \
	X(MON_FROM, "speech: Monday as the first day of a range of days (from Monday to Friday)", "Montag", \
	  "The form the day takes in the range pattern below, e.g. Russian понедельника.") \
	X(TUE_FROM, "speech: Tuesday as the first day of a range of days (from Tuesday to Friday)", "Dienstag", "") \
	X(WED_FROM, "speech: Wednesday as the first day of a range of days (from Wednesday to Friday)", "Mittwoch", "") \
	X(THU_FROM, "speech: Thursday as the first day of a range of days (from Thursday to Saturday)", "Donnerstag", "") \
	X(FRI_FROM, "speech: Friday as the first day of a range of days (from Friday to Sunday)", "Freitag", "") \
	X(SAT_FROM, "speech: Saturday as the first day of a range of days (from Saturday to Sunday)", "Samstag", "") \
	X(SUN_FROM, "speech: Sunday as the first day of a range of days (from Sunday to Thursday)", "Sonntag", "") \
	X(MON_TO, "speech: Monday as the last day of a range of days (from Friday to Monday)", "Montag", \
	  "The form the day takes in the range pattern below, e.g. Russian пятницу.") \
	X(TUE_TO, "speech: Tuesday as the last day of a range of days (from Monday to Tuesday)", "Dienstag", "") \
	X(WED_TO, "speech: Wednesday as the last day of a range of days (from Monday to Wednesday)", "Mittwoch", "") \
	X(THU_TO, "speech: Thursday as the last day of a range of days (from Monday to Thursday)", "Donnerstag", "") \
	X(FRI_TO, "speech: Friday as the last day of a range of days (from Monday to Friday)", "Freitag", "") \
	X(SAT_TO, "speech: Saturday as the last day of a range of days (from Monday to Saturday)", "Samstag", "") \
	X(SUN_TO, "speech: Sunday as the last day of a range of days (from Monday to Sunday)", "Sonntag", "") \
	X(AND, "speech: the word 'and' as written between two weekdays in our texts (Di und Do), forms separated by |", "und", "") \
	X(DAY_RANGE, "speech: a range of days, {a} is the first day, {b} the last (Monday to Thursday)", "{a} bis {b}", \
	  "Keep {a} and {b}; they become the forms 'as the first/last day of a range'.") \
	X(HOURS_RANGE, "speech: a range of full hours, {a} and {b} are the hours as digits (9 to 15 o'clock)", "{a} bis {b} Uhr", "") \
	X(TIME_RANGE, "speech: a range of times with minutes, {a} is the start, {b} the end, both said as times (9:30 to 15 o'clock)", "{a} bis {b}", "") \
	X(NUM_RANGE, "speech: a range of numbers, {a} to {b} (ages 3 to 6)", "{a} bis {b}", "") \
	X(HOUR, "speech: a full hour, {h} is the hour as digits (9 o'clock)", "{h} Uhr", \
	  "Digits stay digits; the voice reads them.") \
	X(HOUR_MIN, "speech: a time with minutes, {h} is the hour, {m} the minutes, {mm} the minutes with a leading zero (9:30, 9:05)", "{h} Uhr {m}", "Use {mm} where 9:05 is said with the zero (nine oh five).") \
	X(HOUR_W, "speech: the word or letter written after a time in our texts (9 Uhr, 9h), forms separated by |", "Uhr|h", \
	  "These are removed after a time, because the pattern for a time says the hour itself.") \
	X(ORDINALS, "speech: the ordinal numbers 1st to 31st as said in a date, 31 forms separated by |", \
	  "erste|zweite|dritte|vierte|fünfte|sechste|siebte|achte|neunte|zehnte|elfte|zwölfte|dreizehnte|vierzehnte|fünfzehnte|sechzehnte|siebzehnte|achtzehnte|neunzehnte|zwanzigste|einundzwanzigste|zweiundzwanzigste|dreiundzwanzigste|vierundzwanzigste|fünfundzwanzigste|sechsundzwanzigste|siebenundzwanzigste|achtundzwanzigste|neunundzwanzigste|dreißigste|einunddreißigste", \
	  "Exactly 31 forms. If your language says the day of a date as a plain number, write the digits 1|2|...|31.") \
	X(ORD_DOT, "speech: a number with a dot before a word (1. Klasse), {o} is the ordinal", "{o}", \
	  "Write - if a dot after a number never means an ordinal in your language.") \
	X(JAN, "speech: month name, January, as said in a date", "Januar", "") \
	X(FEB, "speech: month name, February, as said in a date", "Februar", "") \
	X(MAR, "speech: month name, March, as said in a date", "März", "") \
	X(APR, "speech: month name, April, as said in a date", "April", "") \
	X(MAY, "speech: month name, May, as said in a date", "Mai", "") \
	X(JUN, "speech: month name, June, as said in a date", "Juni", "") \
	X(JUL, "speech: month name, July, as said in a date", "Juli", "") \
	X(AUG, "speech: month name, August, as said in a date", "August", "") \
	X(SEP, "speech: month name, September, as said in a date", "September", "") \
	X(OCT, "speech: month name, October, as said in a date", "Oktober", "") \
	X(NOV, "speech: month name, November, as said in a date", "November", "") \
	X(DEC, "speech: month name, December, as said in a date", "Dezember", "") \
	X(DATE_DMY, "speech: a date with a year, {d} is the day (ordinal), {month} the month, {y} the year (30 May 2024)", "{d} {month} {y}", "") \
	X(DATE_DM, "speech: a date without a year, {d} is the day (ordinal), {month} the month (30 May)", "{d} {month}", "") \
	X(MONEY, "speech: an amount of euros, {n} is the number (5 €)", "{n} Euro", "") \
	X(MONEY_CENT, "speech: an amount of euros and cents, {n} euros, {c} cents (5,50 €)", "{n} Euro {c}", "") \
	X(PERCENT, "speech: a percentage, {n} is the number (12 %)", "{n} Prozent", "") \
	X(AT, "speech: the @ in an e-mail address, as said aloud (info@example.org)", "ät", "") \
	X(DOT, "speech: the dot in an e-mail or web address, as said aloud (example.org)", "Punkt", "") \
	X(STREETS, "speech: endings of German street names, used to find German addresses in texts of every language", \
	  "straße|strasse|str.|weg|platz|allee|ring|gasse|damm|markt|wall|ufer|hof|berg|tor", \
	  "Do not translate: copy this list unchanged. An address found with it is read with the German voice.")

enum say_word {
#define SAY_ENUM(id, ctx, msgid, note) SAYW_##id,
	SAY_WORDS(SAY_ENUM)
#undef SAY_ENUM
	SAYW_COUNT
};

/* One catalogue entry of the speech words (for `lotse extract`, coverage). */
struct say_entry {
	const char *ctx;
	const char *msgid;
	const char *note;
};
/* The SAYW_COUNT entries, in enum order. */
extern const struct say_entry say_entries[SAYW_COUNT];

/* The words of one language. A word that is missing (not translated) is
 * NULL, and the rules that need it leave the text as it is. w[] is each
 * word as the language's texts are written (it recognises weekdays, hour
 * words, month names in a text); said[] is what is spoken: the same word,
 * or its speech form (Arabic with vowel marks, docs/translating.md "Speech
 * forms") when one was given. Recognising ignores Arabic vowel marks, so a
 * vowelled text matches the plain words. Points into the catalogue set,
 * the speech-form catalogue (or the msgids): valid as long as they are. */
struct say_words {
	const char *lang;
	const char *w[SAYW_COUNT];
	const char *said[SAYW_COUNT];
};

/* Fills sw with lang's own translations of every speech word (the msgids
 * for the source language), said[] = w[]; no fallback language is used and
 * no lookup is counted. cs may be NULL (then only German has words). */
void say_words_load(struct say_words *sw, const struct catalog_set *cs, const char *lang);

/* Appends to out the speech text of text (UTF-8) in sw's language. source
 * is the German msgid the text was translated from, or NULL: a term in
 * parentheses that occurs in it unchanged is marked German. German parts
 * are enclosed in SAY_DE_BEGIN .. SAY_DE_END (never nested). Invalid UTF-8
 * and control characters become spaces. Each rule writes a bounded number
 * of words per matched character, so the output grows at most linearly. */
void say_text(const struct say_words *sw, const char *text, const char *source,
              struct strbuf *out);

/* Appends the phone number s[0..n) so that each digit is read on its own:
 * digits separated by spaces, groups by ", ", a leading '+' as "+ ", other
 * text kept ("0340 204-1305" -> "0 3 4 0, 2 0 4, 1 3 0 5"). */
void say_phone(struct strbuf *out, const char *s, size_t n);

/* Appends said (say_text's output) for a person: each German part as
 * "[de: ...]", everything else as it is. */
void say_show(const char *said, struct strbuf *out);

#endif
