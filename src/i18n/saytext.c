/* saytext.c - rewriting a text into the words a person would say (see
 * saytext.h and docs/speech.md). One pass from left to right over a
 * sanitised copy of the text; at each word start the rules are tried in a
 * fixed order (e-mail/web address, German address, postcode with town,
 * phone number, weekday, number-led forms: date, time, range, money,
 * percent, ordinal) and the first that matches writes its words. Every
 * word comes from struct say_words (the catalogues). */
#include "i18n/saytext.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "i18n/lang.h"
#include "i18n/vowels.h"
#include "util/utf8.h"

const struct say_entry say_entries[SAYW_COUNT] = {
#define SAY_ROW(id, ctx, msgid, note) {ctx, msgid, note},
	SAY_WORDS(SAY_ROW)
#undef SAY_ROW
};

void say_words_load(struct say_words *sw, const struct catalog_set *cs, const char *lang)
{
	sw->lang = lang;
	for (size_t i = 0; i < SAYW_COUNT; i++) {
		const char *w = catalog_own(cs, lang, say_entries[i].ctx, say_entries[i].msgid);
		sw->w[i] = w && *w ? w : NULL;
		sw->said[i] = sw->w[i];
	}
}

/* ---- characters ---- */

/* The value of the decimal digit at s (ASCII, Arabic-Indic U+0660..0669 or
 * Persian U+06F0..06F9), its length in *len; -1 when s is no digit. */
static int digit_at(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] >= '0' && u[0] <= '9') {
		*len = 1;
		return u[0] - '0';
	}
	if (u[0] == 0xD9 && u[1] >= 0xA0 && u[1] <= 0xA9) {
		*len = 2;
		return u[1] - 0xA0;
	}
	if (u[0] == 0xDB && u[1] >= 0xB0 && u[1] <= 0xB9) {
		*len = 2;
		return u[1] - 0xB0;
	}
	*len = 0;
	return -1;
}

/* The code point at s (s is valid UTF-8, NUL-terminated); its length in *len. */
static int32_t cp_at(const char *s, size_t *len)
{
	if (!*s) {
		*len = 0;
		return 0;
	}
	int32_t c = utf8_decode(s, strlen(s) < 4 ? strlen(s) : 4, len);
	return c < 0 ? 0xFFFD : c;
}

static bool is_letter_cp(int32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return false;
	if (c == 0x200C || c == 0x200D)   /* joiners inside Persian words */
		return true;
	if (c >= 0x2000 && c <= 0x2BFF)   /* punctuation, symbols, arrows */
		return false;
	if (c == 0x060C || c == 0x061B || c == 0x061F || c == 0x066A || c == 0x066B ||
	    c == 0x066C || c == 0x06D4 || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9))
		return false;
	return true;
}

/* Letter or digit at s. */
static bool wordish_at(const char *s)
{
	size_t n;
	if (digit_at(s, &n) >= 0)
		return true;
	return is_letter_cp(cp_at(s, &n));
}

static bool letter_at(const char *s)
{
	size_t n;
	return is_letter_cp(cp_at(s, &n));
}

/* Length of the Arabic vowel marks at s (0 when none): a speech form
 * carries them, the written words do not. */
static size_t marks_len(const char *s)
{
	size_t i = 0, l;
	while (s[i] && vowels_is_mark((uint32_t)cp_at(s + i, &l)))
		i += l;
	return i;
}

/* Whether s starts with the word w[0..wn), both compared without vowel
 * marks: the bytes of s it takes (marks after its last letter included),
 * or 0. */
static size_t prefix_at(const char *s, const char *w, size_t wn)
{
	size_t i = 0, j = 0, l;
	for (;;) {
		while (j < wn && vowels_is_mark((uint32_t)cp_at(w + j, &l)))
			j += l;
		if (j >= wn)
			break;
		i += marks_len(s + i);
		cp_at(w + j, &l);
		if (!l || j + l > wn || strncmp(s + i, w + j, l) != 0)
			return 0;
		i += l;
		j += l;
	}
	return i ? i + marks_len(s + i) : 0;
}

/* Whether s[0..n) has a vowel mark. */
static bool has_mark(const char *s, size_t n)
{
	size_t l;
	for (size_t i = 0; i < n; i += l ? l : 1) {
		if (marks_len(s + i))
			return true;
		cp_at(s + i, &l);
	}
	return false;
}

/* Whether the character just before s (text starts at t) is a letter or digit. */
static bool wordish_before(const char *t, const char *s)
{
	if (s == t)
		return false;
	const char *p = s - 1;
	while (p > t && ((unsigned char)*p & 0xC0) == 0x80)
		p--;
	return wordish_at(p);
}

static bool is_upper_latin(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if (c >= 'A' && c <= 'Z')
		return true;
	/* Ä Ö Ü */
	return c == 0xC3 && ((unsigned char)s[1] == 0x84 || (unsigned char)s[1] == 0x96 ||
	                     (unsigned char)s[1] == 0x9C);
}

static bool is_latin_letter(const char *s, size_t *len)
{
	int32_t c = cp_at(s, len);
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* A dash between two parts of a range: '-', '–' or '—', optionally with one
 * space on each side. Returns its length or 0. */
static size_t dash_at(const char *s)
{
	size_t i = 0;
	if (s[i] == ' ')
		i++;
	if (s[i] == '-')
		i += 1;
	else if (!strncmp(s + i, "\xE2\x80\x93", 3) || !strncmp(s + i, "\xE2\x80\x94", 3))
		i += 3;
	else
		return 0;
	if (s[i] == ' ')
		i++;
	return i;
}

/* ---- numbers ---- */

struct num {
	const char *s;   /* the digits as written */
	size_t len;      /* bytes */
	int ndigits;
	long value;      /* capped at 100000000 */
};

/* Reads a run of digits at s; returns its length (0 when none). */
static size_t num_at(const char *s, struct num *n)
{
	size_t i = 0, l;
	int d;
	n->s = s;
	n->ndigits = 0;
	n->value = 0;
	while ((d = digit_at(s + i, &l)) >= 0) {
		if (n->value < 100000000)
			n->value = n->value * 10 + d;
		n->ndigits++;
		i += l;
	}
	n->len = i;
	return i;
}

/* The number without leading zeros (one zero stays). */
static struct num strip_zeros(struct num n)
{
	size_t l;
	while (n.ndigits > 1 && digit_at(n.s, &l) == 0) {
		n.s += l;
		n.len -= l;
		n.ndigits--;
	}
	return n;
}

/* ---- word lists ---- */

/* Length in s of the longest form of the '|'-separated list that s starts
 * with (vowel marks ignored, prefix_at) and that is not followed by a
 * letter (a form ending in '.' may be followed by anything); 0 when none. */
static size_t form_at(const char *list, const char *s)
{
	size_t best = 0;
	if (!list)
		return 0;
	const char *f = list;
	while (*f) {
		const char *e = strchr(f, '|');
		size_t n = e ? (size_t)(e - f) : strlen(f);
		size_t k = n ? prefix_at(s, f, n) : 0;
		if (k > best && (f[n - 1] == '.' || !letter_at(s + k)))
			best = k;
		f += n;
		if (*f == '|')
			f++;
	}
	return best;
}

/* The k-th (0-based) form of a '|'-separated list; *len its length. NULL
 * when the list has fewer forms. */
static const char *nth_form(const char *list, int k, size_t *len)
{
	if (!list)
		return NULL;
	const char *f = list;
	for (int i = 0; i < k; i++) {
		f = strchr(f, '|');
		if (!f)
			return NULL;
		f++;
	}
	const char *e = strchr(f, '|');
	*len = e ? (size_t)(e - f) : strlen(f);
	return *len ? f : NULL;
}

/* Whether word[0..n) ends in one of the list's forms (ASCII case folded). */
static bool ends_in_form(const char *list, const char *word, size_t n)
{
	const char *f = list;
	while (f && *f) {
		const char *e = strchr(f, '|');
		size_t k = e ? (size_t)(e - f) : strlen(f);
		if (k && k < n) {
			bool same = true;
			for (size_t i = 0; i < k && same; i++) {
				char a = word[n - k + i], b = f[i];
				if (a >= 'A' && a <= 'Z')
					a = (char)(a - 'A' + 'a');
				same = a == b;
			}
			if (same)
				return true;
		}
		f += k;
		if (*f == '|')
			f++;
	}
	return false;
}

/* ---- patterns ---- */

struct arg {
	const char *name;   /* "a", "h", "month", ... */
	const char *s;
	size_t len;
};

/* Writes pattern with each {name} replaced by its argument; unknown
 * placeholders are written as they are. */
static void emit(struct strbuf *out, const char *pattern, const struct arg *args, size_t nargs)
{
	const char *p = pattern;
	while (*p) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			size_t k = e ? (size_t)(e - p - 1) : 0;
			size_t i;
			for (i = 0; e && i < nargs; i++)
				if (strlen(args[i].name) == k && !strncmp(p + 1, args[i].name, k))
					break;
			if (e && i < nargs) {
				strbuf_append(out, args[i].s, args[i].len);
				p = e + 1;
				continue;
			}
		}
		strbuf_putc(out, *p++);
	}
}

/* A pattern with one argument. */
static void emit1(struct strbuf *out, const char *pattern, const char *name, const char *s,
                  size_t len)
{
	struct arg a = {name, s, len};
	emit(out, pattern, &a, 1);
}

/* ---- the rewriter's state ---- */

struct say {
	const struct say_words *sw;
	const char *text;      /* start of the sanitised text */
	const char *source;    /* German msgid or NULL */
	bool german;           /* the text's language is German: no marks */
	struct strbuf *out;
};

/* A word as it is spoken (its speech form where one exists). */
static const char *W(const struct say *x, enum say_word w)
{
	return x->sw->said[w];
}

/* A word as the texts write it: what a rule recognises. */
static const char *M(const struct say *x, enum say_word w)
{
	return x->sw->w[w];
}

static void mark_begin(struct say *x)
{
	if (!x->german)
		strbuf_putc(x->out, SAY_DE_BEGIN);
}

static void mark_end(struct say *x)
{
	if (!x->german)
		strbuf_putc(x->out, SAY_DE_END);
}

/* Digits one by one, separated by spaces ("38640" -> "3 8 6 4 0"). */
static void spell_digits(struct strbuf *out, const char *s, size_t n)
{
	size_t i = 0, l;
	bool first = true;
	while (i < n) {
		if (digit_at(s + i, &l) < 0)
			l = 1;
		if (!first)
			strbuf_putc(out, ' ');
		strbuf_append(out, s + i, l);
		first = false;
		i += l;
	}
}

/* ---- phone numbers (as before in net/speech_text.c) ---- */

static bool is_ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

void say_phone(struct strbuf *out, const char *s, size_t n)
{
	enum { NONE, DIGIT, TEXT } last = NONE;
	bool pending = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_ascii_digit(c)) {
			if (pending)
				strbuf_puts(out, last == DIGIT ? ", " : " ");
			else if (last == DIGIT)
				strbuf_putc(out, ' ');
			strbuf_putc(out, c);
			last = DIGIT;
			pending = false;
		} else if (c == ' ' || c == '\t' || c == '-' || c == '/' || c == '.' || c == '(' ||
		           c == ')') {
			pending = last != NONE;
		} else if (c == '+') {
			if (pending || last == DIGIT)
				strbuf_putc(out, ' ');
			strbuf_puts(out, "+ ");
			last = NONE;
			pending = false;
		} else {
			if (pending)
				strbuf_putc(out, ' ');
			strbuf_putc(out, c);
			last = TEXT;
			pending = false;
		}
	}
}

/* Length of a phone number at s: '+' or '0' then digits with single ' ',
 * '-' or '/' between groups, at least 6 digits, not running into a letter. */
static size_t phone_len(const char *s)
{
	size_t i = 0, digits = 0;
	if (s[0] == '+')
		i = 1;
	else if (s[0] != '0')
		return 0;
	if (!is_ascii_digit(s[i]))
		return 0;
	size_t end = i, group = 0, longest = 0;
	while (s[i]) {
		if (is_ascii_digit(s[i])) {
			digits++;
			if (++group > longest)
				longest = group;
			end = ++i;
		} else if ((s[i] == ' ' || s[i] == '-' || s[i] == '/') && is_ascii_digit(s[i + 1])) {
			group = 0;
			i++;
		} else {
			break;
		}
	}
	/* longest == 1: already spelt digit by digit (our own output) */
	if (digits < 6 || longest < 2 || wordish_at(s + end))
		return 0;
	return end;
}

/* ---- e-mail and web addresses ---- */

/* Length of the address token at s (up to white space, without trailing
 * punctuation). */
static size_t token_len(const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && s[n] != '(' && s[n] != ')' &&
	       s[n] != '<' && s[n] != '>' && s[n] != '"' && (unsigned char)s[n] < 0x80)
		n++;
	while (n && strchr(".,;:!?", s[n - 1]))
		n--;
	return n;
}

/* Writes host[0..n) with each '.' as the word for "dot". */
static void say_dotted(struct say *x, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			strbuf_putc(x->out, ' ');
			strbuf_puts(x->out, W(x, SAYW_DOT));
			strbuf_putc(x->out, ' ');
		} else {
			strbuf_putc(x->out, s[i]);
		}
	}
}

static size_t try_address_net(struct say *x, const char *s)
{
	if (!W(x, SAYW_DOT))
		return 0;
	size_t n = token_len(s);
	const char *at = memchr(s, '@', n);
	if (at && at > s && W(x, SAYW_AT) && memchr(at, '.', n - (size_t)(at - s)) &&
	    at + 1 < s + n && at[1] != '.') {
		say_dotted(x, s, (size_t)(at - s));
		strbuf_putc(x->out, ' ');
		strbuf_puts(x->out, W(x, SAYW_AT));
		strbuf_putc(x->out, ' ');
		say_dotted(x, at + 1, n - (size_t)(at + 1 - s));
		return n;
	}
	size_t skip = 0;
	if (!strncmp(s, "https://", 8))
		skip = 8;
	else if (!strncmp(s, "http://", 7))
		skip = 7;
	if (!skip && strncmp(s, "www.", 4))
		return 0;
	const char *host = s + skip;
	const char *slash = memchr(host, '/', n - skip);
	size_t hn = slash ? (size_t)(slash - host) : n - skip;
	if (!hn || !memchr(host, '.', hn))
		return 0;
	say_dotted(x, host, hn);
	return n;
}

/* ---- German addresses ---- */

/* A postcode (5 ASCII digits) at s followed by a space and a capitalised
 * town name (one word, or several joined by '-' or ' ' while capitalised);
 * returns the length or 0. */
static size_t postcode_town_len(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (!is_ascii_digit(s[i]))
			return 0;
	if (s[5] != ' ' || !is_upper_latin(s + 6))
		return 0;
	size_t i = 6, l;
	for (;;) {
		while (is_latin_letter(s + i, &l) || s[i] == '-')
			i += s[i] == '-' ? 1 : l;
		if (s[i] == ' ' && is_upper_latin(s + i + 1))
			i++;
		else
			break;
	}
	return i;
}

static void say_postcode_town(struct say *x, const char *s, size_t n)
{
	spell_digits(x->out, s, 5);
	strbuf_append(x->out, s + 5, n - 5);
}

/* A street with house number at s ("Musterstraße 5", "Am Markt 3a",
 * "Bahnhofstr. 12-14"), optionally ", 38640 Goslar". */
static size_t try_street(struct say *x, const char *s)
{
	const char *list = M(x, SAYW_STREETS);
	if (!list || !is_upper_latin(s))
		return 0;
	size_t i = 0, l;
	while (is_latin_letter(s + i, &l) || s[i] == '-')
		i += s[i] == '-' ? 1 : l;
	if (s[i] == '.')
		i++;
	if (!ends_in_form(list, s, i))
		return 0;
	if (s[i] != ' ' || !is_ascii_digit(s[i + 1]))
		return 0;
	i++;
	while (is_ascii_digit(s[i]))
		i++;
	if (s[i] >= 'a' && s[i] <= 'z' && !wordish_at(s + i + 1))
		i++;
	if (s[i] == '-' && is_ascii_digit(s[i + 1]))
		for (i++; is_ascii_digit(s[i]); i++)
			;
	if (wordish_at(s + i))
		return 0;
	mark_begin(x);
	strbuf_append(x->out, s, i);
	size_t pt = s[i] == ',' && s[i + 1] == ' ' ? postcode_town_len(s + i + 2) : 0;
	if (pt) {
		strbuf_puts(x->out, ", ");
		say_postcode_town(x, s + i + 2, pt);
		i += 2 + pt;
	}
	mark_end(x);
	return i;
}

static size_t try_postcode(struct say *x, const char *s)
{
	size_t n = postcode_town_len(s);
	if (!n)
		return 0;
	mark_begin(x);
	say_postcode_town(x, s, n);
	mark_end(x);
	return n;
}

/* ---- weekdays ---- */

/* The weekday (0 = Monday) written at s, its length in *len; -1 if none. */
static int day_at(struct say *x, const char *s, size_t *len)
{
	int best = -1;
	*len = 0;
	for (int d = 0; d < 7; d++) {
		size_t n = form_at(M(x, (enum say_word)(SAYW_MON_W + d)), s);
		if (n > *len) {
			*len = n;
			best = d;
		}
	}
	return best;
}

/* Skips spaces and commas. */
static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == ',')
		s++;
	return s;
}

/* Whether a weekday written at s (length n) stands where days are listed:
 * followed by a dash and another day, a digit, or 'and' and another day;
 * or it is the full name. after_day: a day came just before. */
static bool day_in_context(struct say *x, int d, const char *s, size_t n, bool after_day)
{
	size_t l;
	const char *name = M(x, (enum say_word)(SAYW_MON + d));
	if (after_day || (name && prefix_at(s, name, strlen(name)) == n))
		return true;
	const char *p = s + n;
	size_t dl = dash_at(p);
	if (dl && day_at(x, p + dl, &l) >= 0)
		return true;
	p = skip_blank(p);
	if (digit_at(p, &l) >= 0)
		return true;
	size_t an = form_at(M(x, SAYW_AND), p);
	if (an && day_at(x, skip_blank(p + an), &l) >= 0)
		return true;
	return false;
}

static size_t try_day(struct say *x, const char *s, bool *after_day)
{
	size_t n, n2;
	int d = day_at(x, s, &n);
	if (d < 0 || !day_in_context(x, d, s, n, *after_day))
		return 0;
	const char *name = W(x, (enum say_word)(SAYW_MON + d));
	if (!name)
		return 0;
	size_t dl = dash_at(s + n);
	int d2 = dl ? day_at(x, s + n + dl, &n2) : -1;
	const char *from = W(x, (enum say_word)(SAYW_MON_FROM + d));
	const char *to = d2 >= 0 ? W(x, (enum say_word)(SAYW_MON_TO + d2)) : NULL;
	if (d2 >= 0 && from && to && W(x, SAYW_DAY_RANGE)) {
		struct arg a[] = {{"a", from, strlen(from)}, {"b", to, strlen(to)}};
		emit(x->out, W(x, SAYW_DAY_RANGE), a, 2);
		*after_day = true;
		return n + dl + n2;
	}
	/* The full name in a text that is already a speech form keeps its own
	 * vowels (its case after a preposition); otherwise the spoken name. */
	const char *written = M(x, (enum say_word)(SAYW_MON + d));
	if (has_mark(s, n) && written && prefix_at(s, written, strlen(written)) == n)
		strbuf_append(x->out, s, n);
	else
		strbuf_puts(x->out, name);
	*after_day = true;
	return n;
}

/* ---- times, dates, amounts ---- */

/* A time at s: H:MM, H.MM or H followed by an hour word, or H:MM with an
 * optional hour word. */
struct time {
	struct num h, m;   /* m.len == 0: a full hour; m without leading zero */
	struct num mm;     /* the minutes as written ("05") */
	bool sure;         /* a colon or an hour word: certainly a time */
	size_t len;
};

/* Length of an hour word at s (after optional space), 0 if none. */
static size_t hour_word_at(struct say *x, const char *s)
{
	size_t sp = s[0] == ' ' ? 1 : 0;
	size_t n = form_at(M(x, SAYW_HOUR_W), s + sp);
	return n ? sp + n : 0;
}

static bool time_at(struct say *x, const char *s, struct time *t)
{
	memset(t, 0, sizeof(*t));
	size_t i = num_at(s, &t->h);
	if (!i || t->h.ndigits > 2 || t->h.value > 24)
		return false;
	struct num m;
	size_t l;
	if ((s[i] == ':' || s[i] == '.') && num_at(s + i + 1, &m) && m.ndigits == 2 &&
	    m.value < 60 && !wordish_at(s + i + 1 + m.len)) {
		size_t hw = hour_word_at(x, s + i + 1 + m.len);
		if (s[i] == '.' && !hw)
			return false;
		t->m = m.value ? strip_zeros(m) : (struct num){0};
		t->mm = m;
		t->sure = true;
		t->len = i + 1 + m.len + hw;
		return true;
	}
	size_t hw = hour_word_at(x, s + i);
	if (hw) {
		t->len = i + hw;
		t->sure = true;
		/* 9h30 */
		if (s[i] != ' ' && num_at(s + t->len, &m) && m.ndigits == 2 && m.value < 60 &&
		    !wordish_at(s + t->len + m.len)) {
			t->m = m.value ? strip_zeros(m) : (struct num){0};
			t->mm = m;
			t->len += m.len;
		}
		return true;
	}
	if (wordish_at(s + i) || (digit_at(s + i, &l) >= 0))
		return false;
	t->len = i;
	return true;
}

/* Writes a time in words: HOUR or HOUR_MIN. */
static void say_time(struct say *x, const struct time *t, struct strbuf *out)
{
	if (t->m.len && W(x, SAYW_HOUR_MIN)) {
		struct arg a[] = {{"h", t->h.s, t->h.len}, {"m", t->m.s, t->m.len},
		                  {"mm", t->mm.s, t->mm.len}};
		emit(out, W(x, SAYW_HOUR_MIN), a, 3);
	} else if (W(x, SAYW_HOUR)) {
		emit1(out, W(x, SAYW_HOUR), "h", t->h.s, t->h.len);
	} else {
		strbuf_append(out, t->h.s, t->h.len);
	}
}

static size_t try_time(struct say *x, const char *s)
{
	struct time a, b;
	if (!time_at(x, s, &a))
		return 0;
	size_t dl = dash_at(s + a.len);
	bool range = dl && time_at(x, s + a.len + dl, &b) && (a.sure || b.sure);
	/* "9 Uhr - 15 Uhr" keeps a's hour word; "9–15 Uhr" has it only on b */
	if (range && !(a.sure && !b.sure)) {
		if (!a.m.len && !b.m.len && W(x, SAYW_TIME_RANGE) && W(x, SAYW_HOURS_RANGE)) {
			struct arg g[] = {{"a", a.h.s, a.h.len}, {"b", b.h.s, b.h.len}};
			emit(x->out, W(x, SAYW_HOURS_RANGE), g, 2);
			return a.len + dl + b.len;
		}
		if (W(x, SAYW_TIME_RANGE)) {
			struct strbuf sa, sb;
			strbuf_init(&sa);
			strbuf_init(&sb);
			say_time(x, &a, &sa);
			say_time(x, &b, &sb);
			struct arg g[] = {{"a", strbuf_str(&sa), sa.len}, {"b", strbuf_str(&sb), sb.len}};
			emit(x->out, W(x, SAYW_TIME_RANGE), g, 2);
			if (!strbuf_ok(&sa) || !strbuf_ok(&sb))
				x->out->failed = true;
			strbuf_free(&sa);
			strbuf_free(&sb);
			return a.len + dl + b.len;
		}
	}
	if (!a.sure)
		return 0;
	say_time(x, &a, x->out);
	return a.len;
}

/* The ordinal form of day 1..31 when the list has all 31 forms, else the
 * digits without leading zeros. */
static void say_ordinal(struct say *x, const struct num *n, struct strbuf *out)
{
	size_t l = 0;
	const char *list = W(x, SAYW_ORDINALS);
	const char *o = n->value >= 1 && n->value <= 31 && nth_form(list, 30, &l)
	                    ? nth_form(list, (int)n->value - 1, &l) : NULL;
	struct num z = strip_zeros(*n);
	if (o)
		strbuf_append(out, o, l);
	else
		strbuf_append(out, z.s, z.len);
}

/* The month (1..12) whose name is at s, its length in *len; 0 if none. */
static int month_at(struct say *x, const char *s, size_t *len)
{
	for (int m = 0; m < 12; m++) {
		const char *name = M(x, (enum say_word)(SAYW_JAN + m));
		size_t n = name && *name ? prefix_at(s, name, strlen(name)) : 0;
		if (n && !wordish_at(s + n)) {
			*len = n;
			return m + 1;
		}
	}
	return 0;
}

static size_t say_date(struct say *x, const struct num *d, int month, const struct num *y,
                       size_t len)
{
	const char *pat = W(x, y ? SAYW_DATE_DMY : SAYW_DATE_DM);
	const char *mname = W(x, (enum say_word)(SAYW_JAN + month - 1));
	if (!pat || !mname)
		return 0;
	struct strbuf ord;
	strbuf_init(&ord);
	say_ordinal(x, d, &ord);
	struct arg a[] = {{"d", strbuf_str(&ord), ord.len},
	                  {"month", mname, strlen(mname)},
	                  {"y", y ? y->s : "", y ? y->len : 0}};
	emit(x->out, pat, a, 3);
	if (!strbuf_ok(&ord))
		x->out->failed = true;
	strbuf_free(&ord);
	return len;
}

static size_t try_date(struct say *x, const char *s)
{
	struct num d, m, y;
	size_t i = num_at(s, &d), l;
	if (!i || d.ndigits > 2 || d.value < 1 || d.value > 31)
		return 0;
	/* 30.05.2024, 30.5.2024, 30.5. */
	if (s[i] == '.' && num_at(s + i + 1, &m) && m.ndigits <= 2 && m.value >= 1 && m.value <= 12 &&
	    s[i + 1 + m.len] == '.') {
		size_t j = i + 1 + m.len + 1;
		if (num_at(s + j, &y) && y.ndigits == 4 && !wordish_at(s + j + y.len))
			return say_date(x, &d, (int)m.value, &y, j + y.len);
		if (!wordish_at(s + j) && digit_at(s + j, &l) < 0)
			return say_date(x, &d, (int)m.value, NULL, j);
		return 0;
	}
	/* 30. Mai 2024, 30 May 2024 */
	size_t j = i;
	if (s[j] == '.')
		j++;
	if (s[j] != ' ')
		return 0;
	j++;
	int mon = month_at(x, s + j, &l);
	if (!mon)
		return 0;
	j += l;
	if (s[j] == ' ' && num_at(s + j + 1, &y) && y.ndigits == 4 && !wordish_at(s + j + 1 + y.len))
		return say_date(x, &d, mon, &y, j + 1 + y.len);
	return say_date(x, &d, mon, NULL, j);
}

/* "€" at s (length 3) or "EUR" as a word. */
static size_t euro_at(const char *s)
{
	if (!strncmp(s, "\xE2\x82\xAC", 3))
		return 3;
	if (!strncmp(s, "EUR", 3) && !wordish_at(s + 3))
		return 3;
	return 0;
}

/* An amount at s: digits, optionally ",50", ".50" or ",-". */
static size_t amount_at(const char *s, struct num *n, struct num *c)
{
	size_t i = num_at(s, n);
	c->len = 0;
	if (!i)
		return 0;
	if ((s[i] == ',' || s[i] == '.') && num_at(s + i + 1, c) && c->ndigits == 2 &&
	    !wordish_at(s + i + 1 + c->len))
		return i + 1 + c->len;
	c->len = 0;
	if (s[i] == ',' && s[i + 1] == '-')
		return i + 2;
	return i;
}

static size_t say_money(struct say *x, const struct num *n, const struct num *c, size_t len)
{
	if (c->len && c->value && W(x, SAYW_MONEY_CENT)) {
		struct num cs = strip_zeros(*c);
		struct arg a[] = {{"n", n->s, n->len}, {"c", cs.s, cs.len}};
		emit(x->out, W(x, SAYW_MONEY_CENT), a, 2);
		return len;
	}
	if (!W(x, SAYW_MONEY))
		return 0;
	emit1(x->out, W(x, SAYW_MONEY), "n", n->s, n->len);
	return len;
}

static size_t try_money(struct say *x, const char *s)
{
	struct num n, c;
	size_t i = amount_at(s, &n, &c);
	if (!i)
		return 0;
	size_t sp = s[i] == ' ' ? 1 : 0;
	size_t e = euro_at(s + i + sp);
	if (!e || (!sp && s[i] == 'E'))   /* "12EUR" is no amount; "12 EUR" and "12€" are */
		return 0;
	size_t len = i + sp + e;
	/* "5 € EUR": the second sign says nothing more */
	while (s[len] == ' ' && euro_at(s + len + 1))
		len += 1 + euro_at(s + len + 1);
	return say_money(x, &n, &c, len);
}

/* "€ 5", "€5" */
static size_t try_money_before(struct say *x, const char *s)
{
	size_t e = euro_at(s);
	if (!e)
		return 0;
	size_t sp = s[e] == ' ' ? 1 : 0;
	struct num n, c;
	size_t i = amount_at(s + e + sp, &n, &c);
	if (!i || wordish_at(s + e + sp + i))
		return 0;
	return say_money(x, &n, &c, e + sp + i);
}

/* A number with an optional decimal part ("12", "2,5"). */
static size_t decimal_at(const char *s, struct num *n)
{
	size_t i = num_at(s, n);
	struct num f;
	if (i && (s[i] == ',' || s[i] == '.') && num_at(s + i + 1, &f))
		i += 1 + f.len;
	n->len = i;
	return i;
}

static size_t try_percent(struct say *x, const char *s)
{
	struct num n;
	size_t i = decimal_at(s, &n);
	if (!i || !W(x, SAYW_PERCENT))
		return 0;
	size_t sp = s[i] == ' ' ? 1 : 0;
	if (s[i + sp] != '%')
		return 0;
	emit1(x->out, W(x, SAYW_PERCENT), "n", n.s, n.len);
	return i + sp + 1;
}

/* "%12" (Turkish) */
static size_t try_percent_before(struct say *x, const char *s)
{
	struct num n;
	if (s[0] != '%' || !W(x, SAYW_PERCENT))
		return 0;
	if (s[1] == '%') {   /* "%%12": no percentage; kept as written */
		size_t k = 0;
		while (s[k] == '%')
			k++;
		k += decimal_at(s + k, &n);
		strbuf_append(x->out, s, k);
		return k;
	}
	size_t i = decimal_at(s + 1, &n);
	if (!i || wordish_at(s + 1 + i))
		return 0;
	emit1(x->out, W(x, SAYW_PERCENT), "n", n.s, n.len);
	return 1 + i;
}

/* "3–6", and "5–10 €", "5–10 %" with the unit said after the second number. */
static size_t try_num_range(struct say *x, const char *s)
{
	struct num a, b;
	size_t i = num_at(s, &a);
	if (!i || a.ndigits > 4 || !W(x, SAYW_NUM_RANGE))
		return 0;
	size_t dl = dash_at(s + i);
	size_t j = dl ? num_at(s + i + dl, &b) : 0;
	if (!j || b.ndigits > 4 || wordish_at(s + i + dl + j))
		return 0;
	size_t end = i + dl + j;
	size_t sp = s[end] == ' ' ? 1 : 0;
	size_t e = euro_at(s + end + sp);
	if (e && !sp && s[end] == 'E')
		e = 0;
	const char *unit = e ? W(x, SAYW_MONEY) : s[end + sp] == '%' ? W(x, SAYW_PERCENT) : NULL;
	struct strbuf bs;
	strbuf_init(&bs);
	if (unit) {
		emit1(&bs, unit, "n", b.s, b.len);
		end += sp + (e ? e : 1);
	} else {
		strbuf_append(&bs, b.s, b.len);
	}
	struct arg g[] = {{"a", a.s, a.len}, {"b", strbuf_str(&bs), bs.len}};
	emit(x->out, W(x, SAYW_NUM_RANGE), g, 2);
	if (!strbuf_ok(&bs))
		x->out->failed = true;
	strbuf_free(&bs);
	return end;
}

static size_t try_ordinal(struct say *x, const char *s)
{
	struct num n;
	size_t l, i = num_at(s, &n);
	const char *pat = W(x, SAYW_ORD_DOT);
	if (!i || !pat || !strcmp(pat, "-") || n.value < 1 || n.value > 31 || s[i] != '.' ||
	    s[i + 1] != ' ' || !is_letter_cp(cp_at(s + i + 2, &l)) ||
	    !nth_form(W(x, SAYW_ORDINALS), 30, &l))
		return 0;
	struct strbuf o;
	strbuf_init(&o);
	say_ordinal(x, &n, &o);
	emit1(x->out, pat, "o", strbuf_str(&o), o.len);
	if (!strbuf_ok(&o))
		x->out->failed = true;
	strbuf_free(&o);
	return i + 1;
}

/* A term in parentheses that the German source contains unchanged. */
static size_t try_paren(struct say *x, const char *s)
{
	if (s[0] != '(' || !x->source || x->german)
		return 0;
	const char *e = strchr(s + 1, ')');
	size_t n = e ? (size_t)(e - s - 1) : 0;
	if (!n || n > 120)
		return 0;
	bool latin = false;
	size_t l;
	for (size_t i = 0; i < n; i += l ? l : 1) {
		if (is_latin_letter(s + 1 + i, &l))
			latin = true;
		else if (!strchr(" -.&/", s[1 + i]))
			return 0;
	}
	if (!latin)
		return 0;
	const char *f = x->source;
	bool found = false;
	while ((f = strstr(f, "(")) != NULL && !found) {
		found = !strncmp(f + 1, s + 1, n) && f[1 + n] == ')';
		f++;
	}
	if (!found) {
		/* the term itself anywhere in the source, as a whole word */
		for (f = x->source; *f && !found; f++)
			found = !strncmp(f, s + 1, n) && !wordish_before(x->source, f) && !wordish_at(f + n);
	}
	if (!found)
		return 0;
	strbuf_putc(x->out, '(');
	mark_begin(x);
	strbuf_append(x->out, s + 1, n);
	mark_end(x);
	strbuf_putc(x->out, ')');
	return n + 2;
}

/* ---- the pass ---- */

/* The invisible direction controls a right-to-left translation wraps
 * Latin text in (U+2066..U+2069 isolates, U+202A..U+202E embeddings,
 * LRM, RLM, ALM): nothing to say, and the rules must see the text as if
 * they were not there. The length of the one at s, or 0. */
static size_t bidi_control_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)
		return 3;   /* U+2066..U+2069 */
	if (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0xAA && u[2] <= 0xAE) || u[2] == 0x8E ||
	                                     u[2] == 0x8F))
		return 3;   /* U+202A..U+202E, U+200E, U+200F */
	if (u[0] == 0xD8 && u[1] == 0x9C)
		return 2;   /* U+061C ARABIC LETTER MARK */
	return 0;
}

/* Copies text with invalid UTF-8 and control characters as spaces, and
 * without direction controls. */
static void sanitise(const char *text, struct strbuf *in)
{
	size_t n = strlen(text);
	size_t i = 0;
	while (i < n) {
		size_t bad = utf8_invalid_at(text + i, n - i);
		for (size_t k = 0; k < bad; k++) {
			unsigned char c = (unsigned char)text[i + k];
			size_t skip = bidi_control_len(text + i + k);
			if (skip && k + skip <= bad) {
				k += skip - 1;
				continue;
			}
			strbuf_putc(in, c < 0x20 || c == 0x7F ? ' ' : (char)c);
		}
		i += bad;
		if (i < n) {
			strbuf_putc(in, ' ');
			i++;
		}
	}
}

void say_text(const struct say_words *sw, const char *text, const char *source,
              struct strbuf *out)
{
	struct strbuf in;
	strbuf_init(&in);
	sanitise(text, &in);
	if (!strbuf_ok(&in)) {
		out->failed = true;
		strbuf_free(&in);
		return;
	}
	struct say x = {.sw = sw, .text = strbuf_str(&in), .source = source, .out = out,
	                .german = sw->lang && lang_base(sw->lang) &&
	                          !strcmp(lang_base(sw->lang), CATALOG_SOURCE_LANG)};
	const char *p = x.text;
	bool after_day = false;   /* a weekday came before, only blanks and 'and' since */
	while (*p) {
		size_t n = 0;
		if (!wordish_before(x.text, p) && *p != ' ' && *p != ',') {
			bool day = false, was_day = after_day;
			if (!(n = try_address_net(&x, p)) && !(n = try_street(&x, p)) &&
			    !(n = try_postcode(&x, p)) && (n = phone_len(p)) != 0)
				say_phone(out, p, n);
			if (!n) {
				n = try_day(&x, p, &after_day);
				day = n != 0;
			}
			if (!n && !(n = try_date(&x, p)) && !(n = try_time(&x, p)) &&
			    !(n = try_money(&x, p)) && !(n = try_money_before(&x, p)) &&
			    !(n = try_percent(&x, p)) && !(n = try_percent_before(&x, p)) &&
			    !(n = try_num_range(&x, p)) && !(n = try_ordinal(&x, p)))
				n = try_paren(&x, p);
			after_day = day || (!n && was_day && form_at(M(&x, SAYW_AND), p));
		}
		if (n) {
			p += n;
			continue;
		}
		/* copy one code point, or a whole word */
		size_t l;
		if (wordish_at(p)) {
			const char *q = p;
			while (*q && wordish_at(q)) {
				cp_at(q, &l);
				q += l ? l : 1;
			}
			strbuf_append(out, p, (size_t)(q - p));
			p = q;
		} else {
			cp_at(p, &l);
			strbuf_append(out, p, l ? l : 1);
			p += l ? l : 1;
		}
	}
	strbuf_free(&in);
}

void say_show(const char *said, struct strbuf *out)
{
	for (const char *p = said; *p; p++) {
		if (*p == SAY_DE_BEGIN)
			strbuf_puts(out, "[de: ");
		else if (*p == SAY_DE_END)
			strbuf_putc(out, ']');
		else
			strbuf_putc(out, *p);
	}
}
