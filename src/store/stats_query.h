/* stats_query.h - reading the statistics counters (tables stats_counts,
 * stats_searches, stats_search_texts; written by store/stats.h) back as
 * one report of an office for a range of days: totals and the tables the
 * staff area shows and exports (docs/staff.md, "Statistics"). Nothing here
 * writes. Every table is rows of text keys and integer values; which
 * tables hide small numbers (1 and 2 become "<3") is part of the table. */
#ifndef LOTSE_STATS_QUERY_H
#define LOTSE_STATS_QUERY_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct store;

/* The tables of a report, in the order the dashboard shows them. */
enum stats_table_id {
	STATS_DAYS,            /* day, conversations, finished, left, restarted (every day) */
	STATS_WEEKS,           /* week (ISO, "2026-W49"), the same values */
	STATS_DAY_LANGUAGES,   /* day, lang, conversations (small) */
	STATS_DAY_CHANNELS,    /* day, channel, conversations (small) */
	STATS_WEEK_LANGUAGES,  /* week, lang, conversations (small) */
	STATS_WEEK_CHANNELS,   /* week, channel, conversations (small) */
	STATS_BY_LANGUAGE,     /* lang, conversations, finished, left */
	STATS_BY_CHANNEL,      /* channel, conversations, finished, left (previews included) */
	STATS_BY_KIOSK,        /* kiosk, conversations */
	STATS_STEPS,           /* flow, node, reached, left, left_idle, left_closed */
	STATS_STEP_LANGUAGES,  /* flow, node, lang, reached, left (small) */
	STATS_CHOICES,         /* flow, node, choice, taken */
	STATS_OFFERS,          /* id, shown (never shown offers with 0) */
	STATS_FEEDBACK,        /* flow, node, helped, not_helpful, nothing_fits, none_fitted */
	STATS_UNMET,           /* kind, flow, node, facts, count (small) */
	STATS_HELP,            /* lang, hour, requests (small) */
	STATS_SEARCHES,        /* text, count: texts asked >= STATS_SEARCH_MIN times */
	STATS_NTABLES
};

#define STATS_SEARCH_MIN 5     /* a search text is shown once asked this often in the range */
#define STATS_SMALL 3          /* values 1 .. STATS_SMALL-1 of small tables are hidden */
#define STATS_MAX_DAYS 1100    /* the longest range a report covers (about three years) */

struct stats_line {
	const char **key;      /* nkeys texts */
	long long *val;        /* nvals counts */
};

struct stats_table {
	const char *name;      /* the JSON key and the CSV ?table= name */
	const char *const *cols;   /* nkeys key columns, then nvals value columns */
	size_t nkeys, nvals;
	bool small;            /* values 1 .. STATS_SMALL-1 are shown as "<3" */
	struct stats_line *rows;
	size_t nrows;
};

/* Office-wide totals of the range (conversations on the preview channel are
 * counted only in preview and in the by_channel table). */
struct stats_totals {
	long long conversations, finished, left, restarted, preview;
	long long helped, not_helpful, nothing_fits, none_fitted, help_requests;
	long long prints, qr, read_aloud, language_switches, backs, restarts;
	long long searches;        /* free-text searches without hits */
	long long searches_other;  /* those whose text is not shown in STATS_SEARCHES */
};

struct stats_report {
	char from[11], to[11];     /* YYYY-MM-DD, inclusive */
	struct stats_totals totals;
	struct stats_table tables[STATS_NTABLES];
};

/* True when s is a real date written YYYY-MM-DD (2026-02-30 is not). */
bool stats_date_ok(const char *s);

/* Fills *out for tenant and the days from .. to (inclusive; both checked
 * with stats_date_ok, from <= to, at most STATS_MAX_DAYS days: else -1 with
 * a German message for people in err). offer_ids (n of them, may be NULL)
 * are the office's offers: those never shown get a row with 0 in
 * STATS_OFFERS. Every row and string is allocated from a (freed with the
 * arena). Returns 0; -1 for a bad range, -2 for a database error (also in
 * store_error), both with a German message for people in err. */
int stats_report_build(struct store *s, const char *tenant, const char *from, const char *to,
                       const char *const *offer_ids, size_t noffers, struct arena *a,
                       struct stats_report *out, char *err, size_t errlen);

/* The table named name, or NULL. */
const struct stats_table *stats_report_table(const struct stats_report *r, const char *name);

/* True when value v of column col of table t is shown as "<3". */
bool stats_hidden(const struct stats_table *t, size_t col, long long v);

#endif
