/* pictogram.c - the table of pictogram names and their emoji (see
 * pictogram.h; docs/flows.md lists them, test_flow_pictogram checks that the
 * list and this table agree). Sorted by name (strcmp) for bsearch. */
#include "flow/pictogram.h"

#include <stdlib.h>
#include <string.h>

static const struct pictogram table[] = {
	{ "adult", "\U0001F9D4", NULL },
	{ "advice", "\U0001F91D", NULL },
	{ "arrival", "\U0001F9F3", NULL },
	{ "baby", "\U0001F476", NULL },
	{ "back", "\u2B05\uFE0F", "\u27A1\uFE0F" },
	{ "bicycle", "\U0001F6B2", NULL },
	{ "book", "\U0001F4D6", NULL },
	{ "books", "\U0001F4DA", NULL },
	{ "bus", "\U0001F68C", NULL },
	{ "calendar", "\U0001F4C5", NULL },
	{ "certificate", "\U0001F4DC", NULL },
	{ "chart", "\U0001F4CA", NULL },
	{ "child", "\U0001F9D2", NULL },
	{ "clock", "\U0001F552", NULL },
	{ "compass", "\U0001F9ED", NULL },
	{ "computer", "\U0001F4BB", NULL },
	{ "culture", "\U0001F3A8", NULL },
	{ "daycare", "\U0001F9F8", NULL },
	{ "democracy", "\U0001F5F3\uFE0F", NULL },
	{ "doctor", "\U0001F9D1\u200D\u2695\uFE0F", NULL },
	{ "document", "\U0001F4C4", NULL },
	{ "done", "\u2705", NULL },
	{ "email", "\U0001F4E7", NULL },
	{ "family", "\U0001F46A", NULL },
	{ "food", "\U0001F34E", NULL },
	{ "form", "\U0001F4DD", NULL },
	{ "free", "\U0001F193", NULL },
	{ "german", "\U0001F1E9\U0001F1EA", NULL },
	{ "graduation", "\U0001F393", NULL },
	{ "health", "\U0001FA7A", NULL },
	{ "heart", "\u2764\uFE0F", NULL },
	{ "home", "\U0001F3E1", NULL },
	{ "house", "\U0001F3E0", NULL },
	{ "idea", "\U0001F4A1", NULL },
	{ "inclusion", "\u267F", NULL },
	{ "info", "\u2139\uFE0F", NULL },
	{ "internship", "\U0001F9D1\u200D\U0001F527", NULL },
	{ "language", "\U0001F524", NULL },
	{ "letter", "\u2709\uFE0F", NULL },
	{ "location", "\U0001F4CD", NULL },
	{ "map", "\U0001F5FA\uFE0F", NULL },
	{ "math", "\U0001F522", NULL },
	{ "me", "\U0001F64B", NULL },
	{ "money", "\U0001F4B6", NULL },
	{ "music", "\U0001F3B5", NULL },
	{ "nature", "\U0001F333", NULL },
	{ "next", "\u27A1\uFE0F", "\u2B05\uFE0F" },
	{ "parent", "\U0001F9D1\u200D\U0001F37C", NULL },
	{ "pencil", "\u270F\uFE0F", NULL },
	{ "phone", "\U0001F4DE", NULL },
	{ "playground", "\U0001F6DD", NULL },
	{ "print", "\U0001F5A8\uFE0F", NULL },
	{ "pupil", "\U0001F392", NULL },
	{ "puzzle", "\U0001F9E9", NULL },
	{ "question", "\u2753", NULL },
	{ "school", "\U0001F3EB", NULL },
	{ "school-start", "\U0001F6B8", NULL },
	{ "science", "\U0001F52C", NULL },
	{ "search", "\U0001F50D", NULL },
	{ "seedling", "\U0001F331", NULL },
	{ "sport", "\u26BD", NULL },
	{ "star", "\u2B50", NULL },
	{ "strength", "\U0001F4AA", NULL },
	{ "swimming", "\U0001F3CA", NULL },
	{ "talk", "\U0001F4AC", NULL },
	{ "teacher", "\U0001F9D1\u200D\U0001F3EB", NULL },
	{ "team", "\U0001F465", NULL },
	{ "theatre", "\U0001F3AD", NULL },
	{ "tools", "\U0001F6E0\uFE0F", NULL },
	{ "translate", "\U0001F310", NULL },
	{ "work", "\U0001F4BC", NULL },
	{ "world", "\U0001F30D", NULL },
	{ "writing", "\u270D\uFE0F", NULL },
	{ "young-adult", "\U0001F9D1", NULL },
	{ "youth", "\U0001F9D1\u200D\U0001F393", NULL },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

static int by_name(const void *key, const void *entry)
{
	return strcmp(key, ((const struct pictogram *)entry)->name);
}

const struct pictogram *pictogram_find(const char *name)
{
	if (!name)
		return NULL;
	return bsearch(name, table, NTABLE, sizeof(table[0]), by_name);
}

const char *pictogram_emoji(const char *name, bool rtl)
{
	const struct pictogram *p = pictogram_find(name);
	if (!p)
		return NULL;
	return rtl && p->emoji_rtl ? p->emoji_rtl : p->emoji;
}

#define NAME_MAX_LEN 64

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Edit distance of a and b (optimal string alignment: insert, delete,
 * replace, swap two neighbours); both at most NAME_MAX_LEN bytes. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
	unsigned char d[NAME_MAX_LEN + 1][NAME_MAX_LEN + 1];   /* values <= NAME_MAX_LEN */
	for (size_t i = 0; i <= na; i++)
		d[i][0] = (unsigned char)i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = (unsigned char)j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = min3(d[i - 1][j] + 1u, d[i][j - 1] + 1u, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[na][nb];
}

const char *pictogram_suggest(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > NAME_MAX_LEN)
		return NULL;
	const char *best = NULL;
	size_t best_d = 3;   /* at most 2 edits */
	for (size_t i = 0; i < NTABLE; i++) {
		size_t k = strlen(table[i].name);
		if (k > NAME_MAX_LEN)
			continue;
		size_t dd = distance(name, n, table[i].name, k);
		if (dd < best_d && dd * 3 <= n) {
			best = table[i].name;
			best_d = dd;
		}
	}
	return best;
}

size_t pictogram_count(void)
{
	return NTABLE;
}

const struct pictogram *pictogram_at(size_t i)
{
	return i < NTABLE ? &table[i] : NULL;
}
