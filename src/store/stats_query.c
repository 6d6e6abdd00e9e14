/* stats_query.c - the statistics report of an office for a range of days
 * (see stats_query.h): one read transaction, one query per table over the
 * counters store/stats.c writes. Conversations on the preview channel (staff
 * trying a draft) are left out of every figure but the preview total and
 * the by_channel table. */
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "store/stats_query.h"
#include "store/store_priv.h"
#include "util/arena.h"

/* The filter of every query on stats_counts (alias c): the office, the
 * range, no previews. ?1 tenant, ?2 from, ?3 to. */
#define RANGE "c.tenant = ?1 AND c.day BETWEEN ?2 AND ?3"
#define W RANGE " AND c.channel <> 'preview'"
/* The ISO 8601 week of a day ("2026-W49"): the week's Thursday decides. */
#define THU(d) "date(" d ", '-3 days', 'weekday 4')"
#define WEEK(d) "strftime('%Y', " THU(d) ") || '-W' || " \
	"printf('%02d', (strftime('%j', " THU(d) ") - 1) / 7 + 1)"
#define SUM_OF(ev) "coalesce(sum(CASE WHEN c.event = '" ev "' THEN c.n END), 0)"
#define ENDS SUM_OF("start") ", " SUM_OF("end_finished") ", " SUM_OF("end_left") ", " \
	SUM_OF("end_restarted")
#define ENDS_IN "('start', 'end_finished', 'end_left', 'end_restarted')"
/* Every day of the range, joined with its counters. */
#define ALL_DAYS "WITH RECURSIVE d(day) AS (SELECT ?2 UNION ALL SELECT date(day, '+1 day') " \
	"FROM d WHERE day < ?3) "
#define JOIN_DAYS " FROM d LEFT JOIN stats_counts c ON c.day = d.day AND c.tenant = ?1 AND " \
	"c.channel <> 'preview' AND c.event IN " ENDS_IN

static const char *const c_days[] = {"day", "conversations", "finished", "left", "restarted"};
static const char *const c_weeks[] = {"week", "conversations", "finished", "left", "restarted"};
static const char *const c_day_lang[] = {"day", "lang", "conversations"};
static const char *const c_day_chan[] = {"day", "channel", "conversations"};
static const char *const c_week_lang[] = {"week", "lang", "conversations"};
static const char *const c_week_chan[] = {"week", "channel", "conversations"};
static const char *const c_lang[] = {"lang", "conversations", "finished", "left"};
static const char *const c_chan[] = {"channel", "conversations", "finished", "left"};
static const char *const c_kiosk[] = {"kiosk", "conversations"};
static const char *const c_steps[] = {"flow", "node", "reached", "left", "left_idle",
                                      "left_closed"};
static const char *const c_step_lang[] = {"flow", "node", "lang", "reached", "left"};
static const char *const c_choices[] = {"flow", "node", "choice", "taken"};
static const char *const c_offers[] = {"id", "shown"};
static const char *const c_feedback[] = {"flow", "node", "helped", "not_helpful", "nothing_fits",
                                         "none_fitted"};
static const char *const c_unmet[] = {"kind", "flow", "node", "facts", "count"};
static const char *const c_help[] = {"lang", "hour", "requests"};
static const char *const c_search[] = {"text", "count"};

struct table_def {
	const char *name;
	const char *const *cols;
	size_t nkeys, ncols;
	bool small;
	const char *sql;
};

#define COLS(a, k) a, k, sizeof(a) / sizeof(a[0])

static const struct table_def defs[STATS_NTABLES] = {
	[STATS_DAYS] = {"days", COLS(c_days, 1), false,
		ALL_DAYS "SELECT d.day, " ENDS JOIN_DAYS " GROUP BY d.day ORDER BY d.day"},
	[STATS_WEEKS] = {"weeks", COLS(c_weeks, 1), false,
		ALL_DAYS "SELECT " WEEK("d.day") " AS w, " ENDS JOIN_DAYS " GROUP BY w ORDER BY w"},
	[STATS_DAY_LANGUAGES] = {"day_languages", COLS(c_day_lang, 2), true,
		"SELECT c.day, c.lang, sum(c.n) FROM stats_counts c WHERE " W " AND c.event = 'start' "
		"GROUP BY c.day, c.lang ORDER BY c.day, c.lang"},
	[STATS_DAY_CHANNELS] = {"day_channels", COLS(c_day_chan, 2), true,
		"SELECT c.day, c.channel, sum(c.n) FROM stats_counts c WHERE " W " AND c.event = 'start' "
		"GROUP BY c.day, c.channel ORDER BY c.day, c.channel"},
	[STATS_WEEK_LANGUAGES] = {"week_languages", COLS(c_week_lang, 2), true,
		"SELECT " WEEK("c.day") " AS w, c.lang, sum(c.n) FROM stats_counts c WHERE " W
		" AND c.event = 'start' GROUP BY w, c.lang ORDER BY w, c.lang"},
	[STATS_WEEK_CHANNELS] = {"week_channels", COLS(c_week_chan, 2), true,
		"SELECT " WEEK("c.day") " AS w, c.channel, sum(c.n) FROM stats_counts c WHERE " W
		" AND c.event = 'start' GROUP BY w, c.channel ORDER BY w, c.channel"},
	[STATS_BY_LANGUAGE] = {"by_language", COLS(c_lang, 1), false,
		"SELECT c.lang, " SUM_OF("start") ", " SUM_OF("end_finished") ", " SUM_OF("end_left")
		" FROM stats_counts c WHERE " W " AND c.event IN " ENDS_IN
		" GROUP BY c.lang ORDER BY 2 DESC, 1"},
	[STATS_BY_CHANNEL] = {"by_channel", COLS(c_chan, 1), false,
		"SELECT c.channel, " SUM_OF("start") ", " SUM_OF("end_finished") ", " SUM_OF("end_left")
		" FROM stats_counts c WHERE " RANGE " AND c.event IN " ENDS_IN
		" GROUP BY c.channel ORDER BY 2 DESC, 1"},
	[STATS_BY_KIOSK] = {"by_kiosk", COLS(c_kiosk, 1), false,
		"SELECT c.kiosk, sum(c.n) FROM stats_counts c WHERE " W " AND c.event = 'start' AND "
		"c.channel = 'kiosk' AND c.kiosk <> '' GROUP BY c.kiosk ORDER BY 2 DESC, 1"},
	[STATS_STEPS] = {"steps", COLS(c_steps, 2), false,
		"SELECT c.flow, c.node, " SUM_OF("reach") ", " SUM_OF("end_left") ", "
		"coalesce(sum(CASE WHEN c.event = 'end_left' AND c.item = 'idle' THEN c.n END), 0), "
		"coalesce(sum(CASE WHEN c.event = 'end_left' AND c.item = 'closed' THEN c.n END), 0) "
		"FROM stats_counts c WHERE " W " AND c.event IN ('reach', 'end_left') AND c.node <> '' "
		"GROUP BY c.flow, c.node ORDER BY c.flow, 3 DESC, c.node"},
	[STATS_STEP_LANGUAGES] = {"step_languages", COLS(c_step_lang, 3), true,
		"SELECT c.flow, c.node, c.lang, " SUM_OF("reach") ", " SUM_OF("end_left")
		" FROM stats_counts c WHERE " W " AND c.event IN ('reach', 'end_left') AND c.node <> '' "
		"GROUP BY c.flow, c.node, c.lang ORDER BY c.flow, c.node, c.lang"},
	[STATS_CHOICES] = {"choices", COLS(c_choices, 3), false,
		"SELECT c.flow, c.node, c.item, sum(c.n) FROM stats_counts c WHERE " W
		" AND c.event = 'choose' GROUP BY c.flow, c.node, c.item "
		"ORDER BY c.flow, c.node, 4 DESC, c.item"},
	[STATS_OFFERS] = {"offers", COLS(c_offers, 1), false,
		"SELECT c.item, sum(c.n) FROM stats_counts c WHERE " W " AND c.event = 'offer_shown' "
		"GROUP BY c.item ORDER BY 2 DESC, 1"},
	[STATS_FEEDBACK] = {"feedback", COLS(c_feedback, 2), false,
		"SELECT c.flow, c.node, " SUM_OF("helped") ", " SUM_OF("not_helped") ", "
		SUM_OF("nothing_fits") ", " SUM_OF("none_fitted") " FROM stats_counts c WHERE " W
		" AND c.event IN ('helped', 'not_helped', 'nothing_fits', 'none_fitted') "
		"GROUP BY c.flow, c.node ORDER BY c.flow, c.node"},
	[STATS_UNMET] = {"unmet", COLS(c_unmet, 4), true,
		"SELECT CASE c.event WHEN 'not_helped' THEN 'not_helpful' ELSE c.event END AS k, "
		"c.flow, c.node, c.item, sum(c.n) FROM stats_counts c WHERE " W
		" AND c.event IN ('nothing_fits', 'not_helped') GROUP BY k, c.flow, c.node, c.item "
		"ORDER BY 5 DESC, 1, 2, 3, 4"},
	[STATS_HELP] = {"help", COLS(c_help, 2), true,
		"SELECT c.lang, c.item, sum(c.n) FROM stats_counts c WHERE " W " AND c.event = 'person' "
		"GROUP BY c.lang, c.item ORDER BY c.lang, c.item"},
	[STATS_SEARCHES] = {"searches_without_hits", COLS(c_search, 1), false,
		"SELECT t.text, sum(s.n) FROM stats_searches s JOIN stats_search_texts t ON "
		"t.tenant = s.tenant AND t.hash = s.hash WHERE s.tenant = ?1 AND s.day BETWEEN ?2 AND ?3 "
		"GROUP BY s.hash HAVING sum(s.n) >= 5 ORDER BY 2 DESC, 1"},
};
_Static_assert(STATS_SEARCH_MIN == 5, "the searches query says 5");

/* ---- dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/* Parses YYYY-MM-DD into *days; false when it is not a real date. */
static bool parse_date(const char *s, long *days)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

bool stats_date_ok(const char *s)
{
	long d;
	return parse_date(s, &d);
}

/* ---- queries ---- */

static int fail(struct store *s, const char *what, char *err, size_t errlen)
{
	store_fail(s, what);
	snprintf(err, errlen, "Die Statistik konnte nicht gelesen werden (%s).", s->err);
	return -1;
}

static sqlite3_stmt *prepare(struct store *s, const char *sql, const char *tenant,
                             const struct stats_report *r)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, r->from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, r->to, -1, SQLITE_TRANSIENT);
	return st;
}

/* Appends a row to t (grows its array in a); NULL when out of memory. */
static struct stats_line *add_row(struct stats_table *t, size_t *cap, struct arena *a)
{
	if (t->nrows == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		t->rows = arena_grow(a, t->rows, *cap, ncap, sizeof(*t->rows));
		if (!t->rows)
			return NULL;
		*cap = ncap;
	}
	struct stats_line *row = &t->rows[t->nrows];
	row->key = arena_alloc(a, (t->nkeys ? t->nkeys : 1) * sizeof(*row->key));
	row->val = arena_alloc(a, (t->nvals ? t->nvals : 1) * sizeof(*row->val));
	if (!row->key || !row->val)
		return NULL;
	t->nrows++;
	return row;
}

/* Runs def's query into t. Returns 0 or -1. */
static int run_table(struct store *s, const struct table_def *def, const char *tenant,
                     struct stats_report *r, struct stats_table *t, size_t *cap,
                     struct arena *a)
{
	t->name = def->name;
	t->cols = def->cols;
	t->nkeys = def->nkeys;
	t->nvals = def->ncols - def->nkeys;
	t->small = def->small;
	sqlite3_stmt *st = prepare(s, def->sql, tenant, r);
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		struct stats_line *row = add_row(t, cap, a);
		if (!row) {
			rc = SQLITE_NOMEM;
			break;
		}
		for (size_t k = 0; k < t->nkeys; k++) {
			const unsigned char *v = sqlite3_column_text(st, (int)k);
			row->key[k] = arena_strdup(a, v ? (const char *)v : "");
			if (!row->key[k])
				rc = SQLITE_NOMEM;
		}
		for (size_t v = 0; v < t->nvals; v++)
			row->val[v] = sqlite3_column_int64(st, (int)(t->nkeys + v));
		if (rc == SQLITE_NOMEM)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Adds the offers never shown, with 0. Returns 0 or -1. */
static int add_unshown(struct stats_table *t, size_t *cap, const char *const *ids, size_t n,
                       struct arena *a)
{
	size_t shown = t->nrows;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < shown && !seen; j++)
			seen = !strcmp(t->rows[j].key[0], ids[i]);
		if (seen)
			continue;
		struct stats_line *row = add_row(t, cap, a);
		if (!row || !(row->key[0] = arena_strdup(a, ids[i])))
			return -1;
		row->val[0] = 0;
	}
	return 0;
}

static long long *total_of(struct stats_totals *t, const char *event)
{
	static const struct {
		const char *event;
		size_t off;
	} map[] = {
		{"start", offsetof(struct stats_totals, conversations)},
		{"end_finished", offsetof(struct stats_totals, finished)},
		{"end_left", offsetof(struct stats_totals, left)},
		{"end_restarted", offsetof(struct stats_totals, restarted)},
		{"helped", offsetof(struct stats_totals, helped)},
		{"not_helped", offsetof(struct stats_totals, not_helpful)},
		{"nothing_fits", offsetof(struct stats_totals, nothing_fits)},
		{"none_fitted", offsetof(struct stats_totals, none_fitted)},
		{"person", offsetof(struct stats_totals, help_requests)},
		{"print", offsetof(struct stats_totals, prints)},
		{"qr", offsetof(struct stats_totals, qr)},
		{"read_aloud", offsetof(struct stats_totals, read_aloud)},
		{"lang_switch", offsetof(struct stats_totals, language_switches)},
		{"back", offsetof(struct stats_totals, backs)},
		{"restart", offsetof(struct stats_totals, restarts)},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].event, event))
			return (long long *)((char *)t + map[i].off);
	return NULL;
}

static int run_totals(struct store *s, const char *tenant, struct stats_report *r)
{
	static const char by_event[] =
		"SELECT c.event, sum(c.n) FROM stats_counts c WHERE " W " GROUP BY c.event";
	static const char preview[] = "SELECT coalesce(sum(c.n), 0) FROM stats_counts c WHERE " RANGE
		" AND c.channel = 'preview' AND c.event = 'start'";
	static const char searches[] = "SELECT coalesce(sum(c.n), 0) FROM stats_searches c WHERE "
		RANGE;
	sqlite3_stmt *st = prepare(s, by_event, tenant, r);
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		long long *p = total_of(&r->totals, (const char *)sqlite3_column_text(st, 0));
		if (p)
			*p = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	const char *one[] = {preview, searches};
	long long *into[] = {&r->totals.preview, &r->totals.searches};
	for (size_t i = 0; i < 2; i++) {
		st = prepare(s, one[i], tenant, r);
		rc = st ? sqlite3_step(st) : SQLITE_ERROR;
		if (rc == SQLITE_ROW)
			*into[i] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return -1;
	}
	return 0;
}

int stats_report_build(struct store *s, const char *tenant, const char *from, const char *to,
                       const char *const *offer_ids, size_t noffers, struct arena *a,
                       struct stats_report *out, char *err, size_t errlen)
{
	long d0 = 0, d1 = 0;
	memset(out, 0, sizeof(*out));
	if (!parse_date(from, &d0) || !parse_date(to, &d1)) {
		snprintf(err, errlen, "Das Datum \"%s\" ist ungültig (erwartet: JJJJ-MM-TT, z. B. "
		         "2026-03-01).", parse_date(from, &d0) ? to : from);
		return -1;
	}
	if (d0 > d1) {
		snprintf(err, errlen, "Der Beginn (%s) liegt nach dem Ende (%s).", from, to);
		return -1;
	}
	if (d1 - d0 + 1 > STATS_MAX_DAYS) {
		snprintf(err, errlen, "Der Zeitraum ist zu lang (%ld Tage, höchstens %d).",
		         d1 - d0 + 1, STATS_MAX_DAYS);
		return -1;
	}
	snprintf(out->from, sizeof(out->from), "%s", from);
	snprintf(out->to, sizeof(out->to), "%s", to);
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(s, "BEGIN", err, errlen) - 1;
	int rc = run_totals(s, tenant, out);
	for (size_t i = 0; rc == 0 && i < STATS_NTABLES; i++) {
		size_t cap = 0;
		rc = run_table(s, &defs[i], tenant, out, &out->tables[i], &cap, a);
		if (rc == 0 && i == STATS_OFFERS)
			rc = add_unshown(&out->tables[i], &cap, offer_ids, noffers, a);
	}
	if (rc < 0) {
		fail(s, "statistics query", err, errlen);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -2;
	}
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	long long shown = 0;
	const struct stats_table *t = &out->tables[STATS_SEARCHES];
	for (size_t i = 0; i < t->nrows; i++)
		shown += t->rows[i].val[0];
	out->totals.searches_other = out->totals.searches - shown;
	return 0;
}

const struct stats_table *stats_report_table(const struct stats_report *r, const char *name)
{
	for (size_t i = 0; name && i < STATS_NTABLES; i++)
		if (r->tables[i].name && !strcmp(r->tables[i].name, name))
			return &r->tables[i];
	return NULL;
}

bool stats_hidden(const struct stats_table *t, size_t col, long long v)
{
	return t->small && col >= t->nkeys && v > 0 && v < STATS_SMALL;
}
