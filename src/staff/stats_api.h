/* stats_api.h - the statistics of an office for staff (docs/staff.md,
 * "Statistics"): GET /api/stats/<office> (JSON), /api/stats/<office>.csv
 * (one table as CSV) and /api/stats/<office>/flow/<flow>.svg (the flow
 * picture with traffic), read through store/stats_query.h; and the CSV
 * writer they use. Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_STATS_API_H
#define LOTSE_STAFF_STATS_API_H

#include "staff/result.h"
#include "store/stats_query.h"
#include "util/strbuf.h"

/* GET stats/{t}, stats/{t}.csv, stats/{t}/flow/{f}.svg (the router checked
 * the office). */
void staff_stats(struct req *r);

/* Appends table t as CSV (RFC 4180: a header row of the column names, CRLF
 * line ends, a field with a comma, quote, CR or LF in double quotes with
 * quotes doubled). Hidden small values are written "< 3"; a text field
 * starting with = + - @ or a tab is prefixed with ' so that spreadsheets
 * do not run it as a formula. */
void staff_stats_csv(const struct stats_table *t, struct strbuf *out);

#endif
