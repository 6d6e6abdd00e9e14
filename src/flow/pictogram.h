/* pictogram.h - the pictures a flow may give a choice (`icon: baby`), for
 * those who read little: a fixed, curated table of names, each standing for
 * one emoji of Debian's fonts-noto-color-emoji (SIL OFL 1.1), which the kiosk
 * address serves under /fonts/ (no request leaves the server). The names, the
 * code points and their meaning are listed in docs/flows.md ("Pictograms").
 * All strings are static: nothing here allocates.
 */
#ifndef LOTSE_PICTOGRAM_H
#define LOTSE_PICTOGRAM_H

#include <stdbool.h>
#include <stddef.h>

struct pictogram {
	const char *name;       /* [a-z-]+, stable: flows name it */
	const char *emoji;      /* UTF-8: one emoji (maybe a ZWJ sequence or with U+FE0F) */
	const char *emoji_rtl;  /* for right-to-left pages (an arrow that turns), or NULL */
};

/* The table entry of name, or NULL when there is none (also for NULL). */
const struct pictogram *pictogram_find(const char *name);
/* The emoji of name for a page of that direction; NULL for an unknown name. */
const char *pictogram_emoji(const char *name, bool rtl);
/* The known name closest to name (at most 2 edits, a swap of neighbours
 * counting as one, and at most a third of name's length), or NULL. */
const char *pictogram_suggest(const char *name);
/* The table in name order: pictogram_count() entries. */
size_t pictogram_count(void);
const struct pictogram *pictogram_at(size_t i);

#endif
