/* normalise.c - folds text for search (offer texts and queries alike).
 *
 * Explicit code-point tables, no locale or ICU: lower-case (Latin, Cyrillic,
 * Greek, fullwidth ASCII), Latin letters reduced to their base letter
 * (ü→u, ş→s, ł→l, ß→ss, æ→ae, Turkish İ and ı → i, Vietnamese tone marks
 * dropped), combining marks dropped (so decomposed input folds the same),
 * Greek accents and final sigma folded, Cyrillic ё→е, Arabic/Persian letter
 * variants unified (أ إ آ ٱ→ا, ى ي ی ئ→ي, ك ک→ك, ة ۀ→ه, ؤ→و), harakat,
 * superscript alef, tatweel and Quranic marks removed, ZWNJ/ZWJ, bidi marks,
 * soft hyphen and variation selectors removed (Persian writes ZWNJ inside
 * words), Arabic-Indic and Persian digits → ASCII, whitespace, punctuation
 * and symbols → one space between words. Everything else (CJK, Ethiopic,
 * Arabic letters, ...) is kept as is.
 */
#include "i18n/normalise.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/strbuf.h"
#include "util/utf8.h"

enum fold { FOLD_DROP, FOLD_SEP, FOLD_KEEP };

/* Base letters. Digits stand for two-letter results (see digraph()). */
/* U+00C0..U+00FF; '-' = separator (× ÷). */
static const char latin1[] = "aaaaaa1ceeeeiiiidnooooo-ouuuuy43"
                             "aaaaaa1ceeeeiiiidnooooo-ouuuuy4y";
/* U+0100..U+017F */
static const char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii55jjkkk"
                                  "llllllllllnnnnnnnnnoooooo22rrrrrrssssssssttttttuuuuuuuuuuuu"
                                  "wwyyyzzzzzzs";
/* U+1E00..U+1E9F */
static const char latin_ext_add[] = "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkk"
                                    "llllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssss"
                                    "ttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyasss3d";

_Static_assert(sizeof(latin1) - 1 == 64, "latin1 table covers U+00C0..U+00FF");
_Static_assert(sizeof(latin_ext_a) - 1 == 128, "Latin Extended-A table covers U+0100..U+017F");
_Static_assert(sizeof(latin_ext_add) - 1 == 160, "Latin Ext. Additional covers U+1E00..U+1E9F");

/* A range of code points that all fold to the same text. */
struct range {
	uint32_t lo, hi;
	const char *to;  /* ASCII or UTF-8; "" = drop, " " = separator */
};

/* Sorted, non-overlapping. Latin Extended-B, Greek, Cyrillic, Arabic and
 * other blocks handled by range. */
static const struct range ranges[] = {
	{ 0x0180, 0x0180, "b" }, { 0x0187, 0x0188, "c" }, { 0x0189, 0x018A, "d" },
	{ 0x018F, 0x018F, "\xc9\x99" /* ə */ }, { 0x0191, 0x0192, "f" }, { 0x0197, 0x0197, "i" },
	{ 0x0198, 0x0199, "k" }, { 0x019A, 0x019A, "l" }, { 0x019D, 0x019E, "n" },
	{ 0x01A0, 0x01A1, "o" }, { 0x01AF, 0x01B0, "u" }, { 0x01B3, 0x01B4, "y" },
	{ 0x01B5, 0x01B6, "z" }, { 0x01C4, 0x01C6, "dz" }, { 0x01C7, 0x01C9, "lj" },
	{ 0x01CA, 0x01CC, "nj" }, { 0x01CD, 0x01CE, "a" }, { 0x01CF, 0x01D0, "i" },
	{ 0x01D1, 0x01D2, "o" }, { 0x01D3, 0x01DC, "u" }, { 0x01DE, 0x01E1, "a" },
	{ 0x01E2, 0x01E3, "ae" }, { 0x01E4, 0x01E7, "g" }, { 0x01E8, 0x01E9, "k" },
	{ 0x01EA, 0x01ED, "o" }, { 0x01F0, 0x01F0, "j" }, { 0x01F1, 0x01F3, "dz" },
	{ 0x01F4, 0x01F5, "g" }, { 0x01F8, 0x01F9, "n" }, { 0x01FA, 0x01FB, "a" },
	{ 0x01FC, 0x01FD, "ae" }, { 0x01FE, 0x01FF, "o" }, { 0x0200, 0x0203, "a" },
	{ 0x0204, 0x0207, "e" }, { 0x0208, 0x020B, "i" }, { 0x020C, 0x020F, "o" },
	{ 0x0210, 0x0213, "r" }, { 0x0214, 0x0217, "u" }, { 0x0218, 0x0219, "s" },
	{ 0x021A, 0x021B, "t" }, { 0x021E, 0x021F, "h" }, { 0x0226, 0x0227, "a" },
	{ 0x0228, 0x0229, "e" }, { 0x022A, 0x0231, "o" }, { 0x0232, 0x0233, "y" },
	{ 0x02B9, 0x02BF, " " }, { 0x02C2, 0x02DF, " " },       /* modifier apostrophes, accents */
	{ 0x0300, 0x036F, "" },                                  /* combining diacritics */
	{ 0x037E, 0x037E, " " }, { 0x0384, 0x0385, " " },
	{ 0x0386, 0x0386, "\xce\xb1" }, { 0x0387, 0x0387, " " }, /* Ά→α, ano teleia */
	{ 0x0388, 0x0388, "\xce\xb5" }, { 0x0389, 0x0389, "\xce\xb7" },
	{ 0x038A, 0x038A, "\xce\xb9" }, { 0x038C, 0x038C, "\xce\xbf" },
	{ 0x038E, 0x038E, "\xcf\x85" }, { 0x038F, 0x038F, "\xcf\x89" },
	{ 0x0390, 0x0390, "\xce\xb9" },                         /* ΐ→ι */
	{ 0x03AA, 0x03AA, "\xce\xb9" }, { 0x03AB, 0x03AB, "\xcf\x85" },
	{ 0x03AC, 0x03AC, "\xce\xb1" }, { 0x03AD, 0x03AD, "\xce\xb5" },
	{ 0x03AE, 0x03AE, "\xce\xb7" }, { 0x03AF, 0x03AF, "\xce\xb9" },
	{ 0x03B0, 0x03B0, "\xcf\x85" },                         /* ΰ→υ */
	{ 0x03C2, 0x03C2, "\xcf\x83" },                         /* ς→σ */
	{ 0x03CA, 0x03CA, "\xce\xb9" }, { 0x03CB, 0x03CB, "\xcf\x85" },
	{ 0x03CC, 0x03CC, "\xce\xbf" }, { 0x03CD, 0x03CD, "\xcf\x85" },
	{ 0x03CE, 0x03CE, "\xcf\x89" },
	{ 0x0401, 0x0401, "\xd0\xb5" }, { 0x0451, 0x0451, "\xd0\xb5" }, /* Ё ё → е */
	{ 0x0483, 0x0489, "" },                                  /* Cyrillic combining */
	{ 0x055A, 0x055F, " " }, { 0x0589, 0x058A, " " },
	{ 0x0591, 0x05BD, "" }, { 0x05BE, 0x05BE, " " }, { 0x05BF, 0x05BF, "" },
	{ 0x05C0, 0x05C0, " " }, { 0x05C1, 0x05C2, "" }, { 0x05C3, 0x05C3, " " },
	{ 0x05C4, 0x05C5, "" }, { 0x05C6, 0x05C6, " " }, { 0x05C7, 0x05C7, "" },
	{ 0x05F3, 0x05F4, " " },
	{ 0x0600, 0x0605, "" }, { 0x0609, 0x060D, " " }, { 0x0610, 0x061A, "" },
	{ 0x061B, 0x061B, " " }, { 0x061C, 0x061C, "" }, { 0x061D, 0x061F, " " },
	{ 0x0622, 0x0623, "\xd8\xa7" },                         /* آ أ → ا */
	{ 0x0624, 0x0624, "\xd9\x88" },                         /* ؤ → و */
	{ 0x0625, 0x0625, "\xd8\xa7" },                         /* إ → ا */
	{ 0x0626, 0x0626, "\xd9\x8a" },                         /* ئ → ي */
	{ 0x0629, 0x0629, "\xd9\x87" },                         /* ة → ه */
	{ 0x0640, 0x0640, "" },                                  /* tatweel */
	{ 0x0649, 0x0649, "\xd9\x8a" },                         /* ى → ي */
	{ 0x064B, 0x065F, "" },                                  /* harakat */
	{ 0x0660, 0x0669, "0" },                                 /* digits: see fold() */
	{ 0x066A, 0x066D, " " }, { 0x0670, 0x0670, "" },
	{ 0x0671, 0x0673, "\xd8\xa7" },                         /* ٱ ٲ ٳ → ا */
	{ 0x06A9, 0x06AA, "\xd9\x83" },                         /* ک ڪ → ك */
	{ 0x06BE, 0x06BE, "\xd9\x87" },                         /* ھ → ه */
	{ 0x06C0, 0x06C1, "\xd9\x87" },                         /* ۀ ہ → ه */
	{ 0x06CC, 0x06CC, "\xd9\x8a" },                         /* ی → ي */
	{ 0x06D4, 0x06D4, " " }, { 0x06D6, 0x06ED, "" },
	{ 0x06F0, 0x06F9, "0" },                                 /* Persian digits */
	{ 0x0964, 0x0965, " " },
	{ 0x1361, 0x1368, " " },                                 /* Ethiopic punctuation */
	{ 0x1AB0, 0x1AFF, "" }, { 0x1DC0, 0x1DFF, "" },
	{ 0x2000, 0x200B, " " }, { 0x200C, 0x200F, "" },         /* ZWNJ, ZWJ, LRM, RLM */
	{ 0x2010, 0x2029, " " }, { 0x202A, 0x202E, "" }, { 0x202F, 0x205F, " " },
	{ 0x2060, 0x206F, "" },
	{ 0x2070, 0x20CF, " " }, { 0x20D0, 0x20FF, "" }, { 0x2100, 0x2BFF, " " },
	{ 0x2E00, 0x2E7F, " " }, { 0x3000, 0x3004, " " }, { 0x3008, 0x3020, " " },
	{ 0x3030, 0x3030, " " }, { 0xFE00, 0xFE0F, "" }, { 0xFE10, 0xFE1F, " " },
	{ 0xFE20, 0xFE2F, "" }, { 0xFE30, 0xFE6F, " " }, { 0xFEFF, 0xFEFF, "" },
	{ 0xFFF0, 0xFFFF, " " }, { 0x1F000, 0x1FAFF, " " }, { 0xE0000, 0xE0FFF, "" },
};

static const char *digraph(char c)
{
	switch (c) {
	case '1': return "ae";
	case '2': return "oe";
	case '3': return "ss";
	case '4': return "th";
	case '5': return "ij";
	default: return NULL;
	}
}

/* The folded text of one code point (at most 4 bytes). */
struct folded {
	char s[4];
	size_t n;
};

static void put_str(struct folded *out, const char *s)
{
	while (*s && out->n < sizeof(out->s))
		out->s[out->n++] = *s++;
}

static void put_base(struct folded *out, char c)
{
	const char *d = digraph(c);
	if (d)
		put_str(out, d);
	else
		out->s[out->n++] = c;
}

static const struct range *find_range(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(ranges) / sizeof(ranges[0]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < ranges[mid].lo)
			hi = mid;
		else if (cp > ranges[mid].hi)
			lo = mid + 1;
		else
			return &ranges[mid];
	}
	return NULL;
}

/* Simple case pairs: Greek capitals, Cyrillic (incl. the extended blocks,
 * upper-case at even code points, except U+04C1..U+04CE), Armenian. Returns cp
 * unchanged if it is not an upper-case letter there. */
static uint32_t lower_case(uint32_t cp)
{
	if ((cp >= 0x0391 && cp <= 0x03A9 && cp != 0x03A2) || (cp >= 0x0410 && cp <= 0x042F))
		return cp + 0x20;
	if (cp >= 0x0400 && cp <= 0x040F)
		return cp + 0x50;
	if ((cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x04BF) ||
	    (cp >= 0x04D0 && cp <= 0x052F))
		return cp | 1;
	if (cp >= 0x0531 && cp <= 0x0556)  /* Armenian */
		return cp + 0x30;
	if (cp == 0x04C0)
		return 0x04CF;
	if (cp >= 0x04C1 && cp <= 0x04CE && (cp & 1))
		return cp + 1;
	if (cp >= 0x0370 && cp <= 0x03FF) {
		if (cp == 0x0370 || cp == 0x0372 || cp == 0x0376 || (cp >= 0x03D8 && cp <= 0x03EF))
			return cp | 1;
	}
	return cp;
}

/* Appends the folded form of cp; returns whether it is a letter, a
 * separator or dropped. */
static enum fold fold(uint32_t cp, struct folded *out)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 0x20;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			out->s[out->n++] = (char)cp;
			return FOLD_KEEP;
		}
		return FOLD_SEP;
	}
	if (cp < 0xC0)
		return cp == 0xAD ? FOLD_DROP : FOLD_SEP;  /* soft hyphen; C1, NBSP, « » ¿ ... */
	if (cp <= 0xFF) {
		char c = latin1[cp - 0xC0];
		if (c == '-')
			return FOLD_SEP;
		put_base(out, c);
		return FOLD_KEEP;
	}
	if (cp <= 0x17F) {
		put_base(out, latin_ext_a[cp - 0x100]);
		return FOLD_KEEP;
	}
	if (cp >= 0x1E00 && cp <= 0x1E9F) {
		put_base(out, latin_ext_add[cp - 0x1E00]);
		return FOLD_KEEP;
	}
	if (cp >= 0x1EA0 && cp <= 0x1EF9) {  /* Vietnamese */
		put_base(out, cp < 0x1EB8 ? 'a' : cp < 0x1EC8 ? 'e' : cp < 0x1ECC ? 'i' :
		              cp < 0x1EE4 ? 'o' : cp < 0x1EF2 ? 'u' : 'y');
		return FOLD_KEEP;
	}
	if (cp >= 0xFF01 && cp <= 0xFF5E)  /* fullwidth ASCII */
		return fold(cp - 0xFEE0, out);
	const struct range *r = find_range(cp);
	if (!r) {
		out->n = utf8_encode(lower_case(cp), out->s);
		return FOLD_KEEP;
	}
	if (r->to[0] == '\0')
		return FOLD_DROP;
	if (r->to[0] == ' ')
		return FOLD_SEP;
	if (r->to[0] == '0' && r->to[1] == '\0')  /* a digit block */
		out->s[out->n++] = (char)('0' + (cp - r->lo));
	else
		put_str(out, r->to);
	return FOLD_KEEP;
}

/* Returns a newly allocated folded copy (caller frees); see normalise.h. */
char *text_normalise(const char *s, size_t n)
{
	struct strbuf out;
	bool space = false;
	strbuf_init(&out);
	for (size_t i = 0; i < n;) {
		size_t len;
		int32_t cp = utf8_decode(s + i, n - i, &len);
		i += len;
		if (cp < 0)
			continue;  /* invalid byte: dropped */
		struct folded f = { .n = 0 };
		switch (fold((uint32_t)cp, &f)) {
		case FOLD_KEEP:
			if (space && out.len > 0)
				strbuf_putc(&out, ' ');
			strbuf_append(&out, f.s, f.n);
			space = false;
			break;
		case FOLD_SEP:
			space = true;
			break;
		case FOLD_DROP:
			break;
		}
	}
	return strbuf_steal(&out);
}
