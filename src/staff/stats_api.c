/* stats_api.c - the statistics routes of the staff area (see stats_api.h):
 * reads the range (?from, ?to; default the last 30 days up to today),
 * builds the office's report (store/stats_query.h) on the staff
 * connection, and answers it as JSON, as one table in CSV, or as the flow
 * picture with traffic (DOT through `dot -Tsvg`, like the flow picture).
 * Which figures are hidden as "<3" is the report's (stats_hidden). */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow/dot_traffic.h"
#include "staff/request.h"
#include "staff/stats_api.h"
#include "staff/sys.h"
#include "util/arena.h"
#include "util/log.h"

#define DOT_TIMEOUT 20
#define SVG_MAX (16u << 20)
#define DEFAULT_DAYS 30

static void bad_request(struct req *r, const char *message)
{
	staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_range", message);
}

static void not_found(struct req *r, const char *message)
{
	staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", message);
}

/* The local date `back` days before now, as YYYY-MM-DD. */
static void local_day(int back, char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_mday -= back;
	tm.tm_hour = 12;   /* away from DST edges */
	tm.tm_isdst = -1;
	time_t then = mktime(&tm);
	localtime_r(&then, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* Everything a statistics answer needs: the office, the range, the report
 * (in arena a) and the content snapshot it was read with (a reference). */
struct stats_ctx {
	char tenant[128];
	struct content *content;
	const struct tenant_content *tc;
	struct arena *a;
	struct stats_report rep;
};

static void ctx_free(struct stats_ctx *x)
{
	content_unref(x->content);
	arena_free(x->a);
}

/* Reads the range and builds the report; false with the answer set. */
static bool load(struct req *r, const char *tenant, struct stats_ctx *x)
{
	char from[16], to[16], err[512];
	const char *qf = staff_query(r, "from"), *qt = staff_query(r, "to");
	snprintf(x->tenant, sizeof(x->tenant), "%s", tenant);
	x->content = content_current();
	x->tc = x->content ? content_tenant(x->content, tenant) : NULL;
	if (!x->tc) {
		not_found(r, "Dieses Bildungsbüro gibt es nicht.");
		return false;
	}
	if (qt)
		snprintf(to, sizeof(to), "%.15s", qt);
	else
		local_day(0, to, sizeof(to));
	if (qf)
		snprintf(from, sizeof(from), "%.15s", qf);
	else if (qt && stats_date_ok(qt)) {
		/* DEFAULT_DAYS up to the given end */
		struct tm tm = {0};
		tm.tm_year = atoi(to) - 1900;
		tm.tm_mon = atoi(to + 5) - 1;
		tm.tm_mday = atoi(to + 8) - (DEFAULT_DAYS - 1);
		tm.tm_hour = 12;
		tm.tm_isdst = -1;
		time_t t = mktime(&tm);
		localtime_r(&t, &tm);
		strftime(from, sizeof(from), "%Y-%m-%d", &tm);
	} else
		local_day(DEFAULT_DAYS - 1, from, sizeof(from));
	const struct offer_list *ol = x->tc->offers;
	size_t n = ol ? ol->n : 0;
	const char **ids = calloc(n ? n : 1, sizeof(*ids));
	x->a = arena_new();
	if (!ids || !x->a) {
		free(ids);
		staff_res_internal(r, "out of memory (statistics)");
		return false;
	}
	for (size_t i = 0; i < n; i++)
		ids[i] = ol->offers[i].id;
	int rc = stats_report_build(r->st->db, tenant, from, to, ids, n, x->a, &x->rep, err,
	                            sizeof(err));
	free(ids);
	if (rc == -1)
		bad_request(r, err);
	else if (rc < 0)
		staff_res_internal(r, store_error(r->st->db));
	return rc == 0;
}

/* ---- JSON ---- */

static json_t *value(const struct stats_table *t, size_t col, long long v)
{
	return stats_hidden(t, col, v) ? json_string("<3") : json_integer(v);
}

static json_t *table_json(const struct stats_table *t)
{
	json_t *list = json_array();
	for (size_t i = 0; i < t->nrows; i++) {
		json_t *o = json_object();
		for (size_t k = 0; k < t->nkeys; k++)
			json_object_set_new(o, t->cols[k], staff_jtext(t->rows[i].key[k],
			                                                strlen(t->rows[i].key[k])));
		for (size_t v = 0; v < t->nvals; v++)
			json_object_set_new(o, t->cols[t->nkeys + v],
			                    value(t, t->nkeys + v, t->rows[i].val[v]));
		json_array_append_new(list, o);
	}
	return list;
}

/* {key: first value} of a table with one key column. */
static json_t *map_json(const struct stats_table *t)
{
	json_t *o = json_object();
	for (size_t i = 0; i < t->nrows; i++)
		json_object_set_new(o, t->rows[i].key[0], value(t, 1, t->rows[i].val[0]));
	return o;
}

static void answer_json(struct req *r, struct stats_ctx *x)
{
	const struct stats_totals *t = &x->rep.totals;
	const struct stats_table *tabs = x->rep.tables;
	json_t *o = json_pack(
		"{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"office", x->tenant, "from", x->rep.from, "to", x->rep.to,
		"conversations", (json_int_t)t->conversations, "finished", (json_int_t)t->finished,
		"left", (json_int_t)t->left, "restarted", (json_int_t)t->restarted,
		"preview_conversations", (json_int_t)t->preview,
		"nothing_fits", (json_int_t)t->nothing_fits, "not_helpful", (json_int_t)t->not_helpful,
		"helped", (json_int_t)t->helped, "none_fitted", (json_int_t)t->none_fitted,
		"help_requests", (json_int_t)t->help_requests, "prints", (json_int_t)t->prints,
		"qr", (json_int_t)t->qr, "read_aloud", (json_int_t)t->read_aloud,
		"language_switches", (json_int_t)t->language_switches,
		"searches_total", (json_int_t)t->searches,
		"searches_other", (json_int_t)t->searches_other);
	if (!o)
		return staff_res_internal(r, "out of memory (statistics)");
	json_object_set_new(o, "languages", map_json(&tabs[STATS_BY_LANGUAGE]));
	json_object_set_new(o, "channels", map_json(&tabs[STATS_BY_CHANNEL]));
	json_object_set_new(o, "kiosks", map_json(&tabs[STATS_BY_KIOSK]));
	json_t *names = json_array();
	for (size_t i = 0; i < STATS_NTABLES; i++) {
		json_object_set_new(o, tabs[i].name, table_json(&tabs[i]));
		json_array_append_new(names, json_string(tabs[i].name));
	}
	json_object_set_new(o, "tables", names);
	json_object_set_new(o, "small_below", json_integer(STATS_SMALL));
	staff_res_json(r, MHD_HTTP_OK, o);
}

/* ---- CSV ---- */

static void answer_csv(struct req *r, struct stats_ctx *x)
{
	const char *name = staff_query(r, "table");
	const struct stats_table *t = name ? stats_report_table(&x->rep, name) : NULL;
	if (!t) {
		struct strbuf msg;
		strbuf_init(&msg);
		strbuf_puts(&msg, name ? "Diese Tabelle gibt es nicht. " : "?table= fehlt. ");
		strbuf_puts(&msg, "Tabellen:");
		for (size_t i = 0; i < STATS_NTABLES; i++)
			strbuf_printf(&msg, "%s %s", i ? "," : "", x->rep.tables[i].name);
		strbuf_puts(&msg, ".");
		staff_res_error(r, name ? MHD_HTTP_NOT_FOUND : MHD_HTTP_BAD_REQUEST,
		                name ? "not_found" : "bad_request", strbuf_str(&msg));
		strbuf_free(&msg);
		return;
	}
	struct strbuf csv;
	char disp[300];
	strbuf_init(&csv);
	staff_stats_csv(t, &csv);
	if (!strbuf_ok(&csv)) {
		strbuf_free(&csv);
		return staff_res_internal(r, "out of memory (statistics CSV)");
	}
	size_t len = csv.len;
	staff_res_take(r, MHD_HTTP_OK, "text/csv; charset=utf-8; header=present", strbuf_steal(&csv),
	               len);
	snprintf(disp, sizeof(disp), "attachment; filename=\"lotse-%s-%s-%s-%s.csv\"", x->tenant,
	         t->name, x->rep.from, x->rep.to);
	staff_res_header(r, "Content-Disposition", disp);
}

/* ---- the flow picture with traffic ---- */

static void answer_svg(struct req *r, struct stats_ctx *x, const char *flow_id)
{
	const struct flow *f = NULL;
	for (size_t i = 0; i < x->tc->nflows && !f; i++)
		if (!strcmp(x->tc->flows[i]->id, flow_id))
			f = x->tc->flows[i];
	if (!f)
		return not_found(r, "Diesen Ablauf gibt es nicht.");
	const struct stats_table *st = &x->rep.tables[STATS_STEPS];
	const struct stats_table *ch = &x->rep.tables[STATS_CHOICES];
	struct dot_step *steps = arena_alloc(x->a, (st->nrows + 1) * sizeof(*steps));
	struct dot_taken *taken = arena_alloc(x->a, (ch->nrows + 1) * sizeof(*taken));
	char caption[64];
	struct strbuf dot, svg, errs;
	char err[256];
	if (!steps || !taken)
		return staff_res_internal(r, "out of memory (statistics picture)");
	struct dot_traffic t = {steps, 0, taken, 0, caption};
	for (size_t i = 0; i < st->nrows; i++)
		if (!strcmp(st->rows[i].key[0], flow_id))
			steps[t.nsteps++] = (struct dot_step){st->rows[i].key[1], st->rows[i].val[0],
			                                      st->rows[i].val[1]};
	for (size_t i = 0; i < ch->nrows; i++)
		if (!strcmp(ch->rows[i].key[0], flow_id))
			taken[t.nchoices++] = (struct dot_taken){ch->rows[i].key[1], ch->rows[i].key[2],
			                                         ch->rows[i].val[0]};
	snprintf(caption, sizeof(caption), "%s – %s", x->rep.from, x->rep.to);
	strbuf_init(&dot);
	strbuf_init(&svg);
	strbuf_init(&errs);
	const char *argv[] = {"dot", "-Tsvg", NULL};
	if (flow_dot_traffic(f, &t, &dot) < 0) {
		staff_res_internal(r, "out of memory (statistics picture)");
	} else {
		int rc = sys_run(argv, dot.data, dot.len, DOT_TIMEOUT, SVG_MAX, &svg, &errs, err,
		                 sizeof(err));
		if (rc != 0 || !strbuf_ok(&svg)) {
			log_err("staff: dot (statistics): %s %s", rc < 0 ? err : "failed:",
			        strbuf_str(&errs));
			staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
			                "Das Bild konnte nicht erzeugt werden (Graphviz).");
		} else {
			staff_res_bytes(r, MHD_HTTP_OK, "image/svg+xml", svg.data, svg.len);
		}
	}
	strbuf_free(&dot);
	strbuf_free(&svg);
	strbuf_free(&errs);
}

void staff_stats(struct req *r)
{
	char tenant[128], flow_id[128];
	const char *seg1 = r->seg[1];
	size_t l1 = strlen(seg1);
	bool csv = r->nseg == 2 && l1 > 4 && !strcmp(seg1 + l1 - 4, ".csv");
	bool svg = r->nseg == 4;
	snprintf(tenant, sizeof(tenant), "%.*s", (int)(csv ? l1 - 4 : l1), seg1);
	if (svg) {
		size_t lf = strlen(r->seg[3]);
		snprintf(flow_id, sizeof(flow_id), "%.*s", (int)(lf > 4 ? lf - 4 : 0), r->seg[3]);
		if (strcmp(r->seg[2], "flow") || !staff_id_ok(flow_id))
			return not_found(r, "Diesen Ablauf gibt es nicht.");
	}
	struct stats_ctx x = {0};
	if (load(r, tenant, &x)) {
		if (csv)
			answer_csv(r, &x);
		else if (svg)
			answer_svg(r, &x, flow_id);
		else
			answer_json(r, &x);
	}
	ctx_free(&x);
}
