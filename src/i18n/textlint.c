/* textlint.c - the length of a text as seen, and the isolation of Latin
 * text inside right-to-left translations (see textlint.h). */
#include "i18n/textlint.h"

#include "util/utf8.h"

bool textlint_is_mark(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x0483 && c <= 0x0489) ||
	       (c >= 0x0591 && c <= 0x05BD) || c == 0x05BF || c == 0x05C1 || c == 0x05C2 ||
	       c == 0x05C4 || c == 0x05C5 || c == 0x05C7 || (c >= 0x0610 && c <= 0x061A) ||
	       (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06DC) ||
	       (c >= 0x06DF && c <= 0x06E4) || c == 0x06E7 || c == 0x06E8 ||
	       (c >= 0x06EA && c <= 0x06ED) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	       (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
	       (c >= 0xFE20 && c <= 0xFE2F);
}

/* Invisible format characters. */
static bool is_format(uint32_t c)
{
	return c == 0x00AD || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206F) || c == 0xFEFF ||
	       (c >= 0xFE00 && c <= 0xFE0F);
}

size_t textlint_length(const char *s, size_t n)
{
	size_t count = 0, i = 0, l;
	while (i < n) {
		int32_t c = utf8_decode(s + i, n - i, &l);
		if (c < 0 || (!textlint_is_mark((uint32_t)c) && !is_format((uint32_t)c)))
			count++;
		i += l ? l : 1;
	}
	return count;
}

bool textlint_is_latin(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7) ||
	       (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) ||
	       (c >= 0xA720 && c <= 0xA7FF) || (c >= 0xFF21 && c <= 0xFF3A) ||
	       (c >= 0xFF41 && c <= 0xFF5A);
}

/* A letter of another script (Greek, Cyrillic, Hebrew, Arabic, ...; the
 * Arabic digits and punctuation are not letters): it ends a Latin stretch. */
static bool is_other_letter(uint32_t c)
{
	if (c == 0x060C || c == 0x061B || c == 0x061F || (c >= 0x0660 && c <= 0x066D) ||
	    c == 0x06D4 || (c >= 0x06F0 && c <= 0x06F9))
		return false;
	return (c >= 0x0370 && c <= 0x1DBF && !textlint_is_mark(c)) || (c >= 0x1F00 && c <= 0x1FFF) ||
	       (c >= 0x2D00 && c <= 0x2DFF) || (c >= 0x3040 && c <= 0x9FFF) ||
	       (c >= 0xA000 && c <= 0xA6FF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	       (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC) || c >= 0x10000;
}

enum cls { C_LATIN, C_DIGIT, C_NEUTRAL, C_OTHER, C_OPEN, C_CLOSE, C_BREAK };

static enum cls classify(int32_t c)
{
	if (c < 0)
		return C_NEUTRAL;
	uint32_t u = (uint32_t)c;
	if (u == TEXTLINT_LRI || u == TEXTLINT_RLI || u == TEXTLINT_FSI)
		return C_OPEN;
	if (u == TEXTLINT_PDI)
		return C_CLOSE;
	if (u == '\n' || u == '\r' || u == 0x2029 || u == 0x0085)
		return C_BREAK;
	if (textlint_is_latin(u))
		return C_LATIN;
	if (u >= '0' && u <= '9')
		return C_DIGIT;
	if (is_other_letter(u))
		return C_OTHER;
	return C_NEUTRAL;
}

/* The state of one Latin stretch being read (depth 0 only). */
struct stretch {
	bool open;
	size_t off, col;       /* where it starts */
	size_t end;            /* byte after its last Latin letter, digit or closing bracket */
	int brackets;          /* '(' and '[' not yet closed in it */
	bool latin2;           /* two Latin letters in a row seen */
};

static size_t finish(struct stretch *st, bool rtl, textlint_fn fn, void *ud)
{
	size_t found = 0;
	if (st->open && st->latin2 && rtl) {
		struct textlint_finding f = {TEXTLINT_LATIN, st->off, st->end - st->off, st->col};
		if (fn)
			fn(ud, &f);
		found = 1;
	}
	st->open = false;
	return found;
}

size_t textlint_isolation(const char *s, size_t n, bool rtl, textlint_fn fn, void *ud)
{
	size_t found = 0, i = 0, col = 0, l;
	/* open isolates of this line: where the outermost one started */
	size_t depth = 0, first_off = 0, first_len = 0, first_col = 0;
	struct stretch st = {0};
	enum cls prev = C_NEUTRAL;
	for (;;) {
		int32_t c = i < n ? utf8_decode(s + i, n - i, &l) : 0;
		enum cls k = i < n ? classify(c) : C_BREAK;
		if (i >= n)
			l = 0;
		col++;
		if (i < n && c >= 0 && textlint_is_mark((uint32_t)c)) {
			/* part of the letter before it: neither a letter nor a break */
			if (st.open && depth == 0 && (prev == C_LATIN || prev == C_DIGIT))
				st.end = i + l;
			i += l;
			continue;
		}
		if (k == C_OTHER || k == C_OPEN || k == C_CLOSE || k == C_BREAK)
			found += finish(&st, rtl, fn, ud);
		if (k == C_OPEN) {
			if (depth++ == 0) {
				first_off = i;
				first_len = l;
				first_col = col;
			}
		} else if (k == C_CLOSE) {
			if (depth) {
				depth--;
			} else {
				struct textlint_finding f = {TEXTLINT_PDI_ALONE, i, l, col};
				if (fn)
					fn(ud, &f);
				found++;
			}
		} else if (k == C_BREAK) {
			if (depth) {
				struct textlint_finding f = {TEXTLINT_UNCLOSED, first_off, first_len, first_col};
				if (fn)
					fn(ud, &f);
				found++;
			}
			depth = 0;
		} else if (depth == 0 && (k == C_LATIN || k == C_DIGIT)) {
			if (!st.open) {
				st = (struct stretch){.open = true, .off = i, .col = col};
			}
			if (k == C_LATIN && prev == C_LATIN)
				st.latin2 = true;
			st.end = i + l;
		} else if (depth == 0 && st.open && k == C_NEUTRAL && c >= 0) {
			if (c == '(' || c == '[') {
				st.brackets++;
			} else if ((c == ')' || c == ']') && st.brackets > 0) {
				st.brackets--;
				st.end = i + l;
			}
		}
		if (i >= n)
			break;
		prev = k;
		i += l ? l : 1;
	}
	return found;
}
