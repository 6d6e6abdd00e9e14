/* metrics.c - the counters behind /metrics and their Prometheus rendering. */
#include "net/metrics.h"

#include "content/content.h"

#include <string.h>

#include "i18n/lang.h"

static void header(struct strbuf *out, const char *name, const char *type, const char *help);

void metrics_init(struct net_metrics *m, struct catalog_stats *catalog)
{
	atomic_init(&m->sessions_open, 0);
	atomic_init(&m->connections_open, 0);
	for (size_t i = 0; i < METRICS_MAX_LANGS; i++)
		atomic_init(&m->turns[i], 0);
	for (size_t i = 0; i < PROTO_E_COUNT; i++)
		atomic_init(&m->errors[i], 0);
	atomic_init(&m->sessions_unsealed, 0);
	atomic_init(&m->preview_sessions, 0);
	atomic_init(&m->reloads_ok, 0);
	atomic_init(&m->reloads_failed, 0);
	atomic_init(&m->speech_synth, 0);
	atomic_init(&m->speech_cache_hits, 0);
	atomic_init(&m->speech_unvowelled, 0);
	m->catalog = catalog;
	for (size_t l = 0; l < NET_LISTENERS; l++) {
		atomic_init(&m->conns[l], 0);
		atomic_init(&m->accept_errors[l], 0);
		for (size_t r = 0; r < NET_REFUSALS; r++)
			atomic_init(&m->refused[l][r], 0);
		for (size_t d = 0; d < NET_DEADLINES; d++)
			atomic_init(&m->deadline[l][d], 0);
	}
}

const char *metrics_listener_name(enum net_listener l)
{
	static const char *const names[NET_LISTENERS] = {"socket", "kiosk", "staff"};
	return (unsigned)l < NET_LISTENERS ? names[l] : "?";
}

/* Connections per listener, refusals, deadlines and accept errors. */
static void render_limits(const struct net_metrics *m, struct strbuf *out)
{
	static const char *const reasons[NET_REFUSALS] = {"total_limit", "per_address_limit"};
	static const char *const phases[NET_DEADLINES] = {"headers", "body"};
	header(out, "lotse_listener_connections", "gauge",
	       "Open TCP connections per listener (counted against the limits).");
	for (int l = 0; l < NET_LISTENERS; l++)
		strbuf_printf(out, "lotse_listener_connections{listener=\"%s\"} %ld\n",
		              metrics_listener_name((enum net_listener)l), atomic_load(&m->conns[l]));
	header(out, "lotse_connections_refused_total", "counter",
	       "Connections refused by a connection limit, by listener and limit.");
	for (int l = 0; l < NET_LISTENERS; l++)
		for (int r = 0; r < NET_REFUSALS; r++)
			strbuf_printf(out,
			              "lotse_connections_refused_total{listener=\"%s\",reason=\"%s\"} %lu\n",
			              metrics_listener_name((enum net_listener)l), reasons[r],
			              atomic_load(&m->refused[l][r]));
	header(out, "lotse_http_deadline_closed_total", "counter",
	       "HTTP connections closed because a request's headers or body did not arrive in time.");
	for (int l = NET_KIOSK; l < NET_LISTENERS; l++)
		for (int d = 0; d < NET_DEADLINES; d++)
			strbuf_printf(out,
			              "lotse_http_deadline_closed_total{listener=\"%s\",phase=\"%s\"} %lu\n",
			              metrics_listener_name((enum net_listener)l), phases[d],
			              atomic_load(&m->deadline[l][d]));
	header(out, "lotse_accept_errors_total", "counter",
	       "Failed accept() calls (out of file descriptors), by listener.");
	for (int l = 0; l < NET_LISTENERS; l++)
		strbuf_printf(out, "lotse_accept_errors_total{listener=\"%s\"} %lu\n",
		              metrics_listener_name((enum net_listener)l),
		              atomic_load(&m->accept_errors[l]));
}

/* Index of a language code in lang_all(), or -1. */
static int lang_index(const char *code)
{
	const struct lang *all = lang_all();
	for (int i = 0; all[i].code && i < METRICS_MAX_LANGS; i++)
		if (code && strcmp(all[i].code, code) == 0)
			return i;
	return -1;
}

void metrics_turn(struct net_metrics *m, const char *lang)
{
	int i = lang_index(lang);
	if (i >= 0)
		atomic_fetch_add_explicit(&m->turns[i], 1, memory_order_relaxed);
}

void metrics_error(struct net_metrics *m, enum proto_err e)
{
	if ((unsigned)e < PROTO_E_COUNT && e != PROTO_E_NONE)
		atomic_fetch_add_explicit(&m->errors[e], 1, memory_order_relaxed);
}

static void header(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void render_turns(const struct net_metrics *m, struct strbuf *out)
{
	const struct lang *all = lang_all();
	header(out, "lotse_turns_total", "counter", "Steps and answers sent, by language.");
	for (int i = 0; all[i].code && i < METRICS_MAX_LANGS; i++) {
		unsigned long v = atomic_load_explicit(&m->turns[i], memory_order_relaxed);
		if (v)
			strbuf_printf(out, "lotse_turns_total{lang=\"%s\"} %lu\n", all[i].code, v);
	}
}

static void render_errors(const struct net_metrics *m, struct strbuf *out)
{
	header(out, "lotse_errors_total", "counter",
	       "Protocol errors answered or connections closed, by code.");
	for (int e = PROTO_E_NONE + 1; e < PROTO_E_COUNT; e++) {
		unsigned long v = atomic_load_explicit(&m->errors[e], memory_order_relaxed);
		strbuf_printf(out, "lotse_errors_total{code=\"%s\"} %lu\n",
		              proto_err_code((enum proto_err)e), v);
	}
}

/* Catalogue lookups: the stats table fills its language slots as it goes;
 * only slots below nlangs are published (their names are written once). */
static void render_catalog(const struct catalog_stats *cs, struct strbuf *out)
{
	unsigned n = cs ? atomic_load(&cs->nlangs) : 0;
	if (n > CATALOG_MAX_LANGS)
		n = CATALOG_MAX_LANGS;
	header(out, "lotse_lookups_total", "counter", "Catalogue lookups, by requested language.");
	for (unsigned i = 0; i < n; i++)
		strbuf_printf(out, "lotse_lookups_total{lang=\"%.7s\"} %lu\n", cs->lang[i],
		              atomic_load_explicit(&cs->lookups[i], memory_order_relaxed));
	header(out, "lotse_fallback_lookups_total", "counter",
	       "Catalogue lookups answered by a fallback language or the source text.");
	for (unsigned i = 0; i < n; i++)
		strbuf_printf(out, "lotse_fallback_lookups_total{lang=\"%.7s\"} %lu\n", cs->lang[i],
		              atomic_load_explicit(&cs->fallbacks[i], memory_order_relaxed));
}

void metrics_render(const struct net_metrics *m, unsigned long generation, struct strbuf *out)
{
	header(out, "lotse_sessions_open", "gauge",
	       "Conversations alive (connected or waiting to be resumed).");
	strbuf_printf(out, "lotse_sessions_open %ld\n", atomic_load(&m->sessions_open));
	header(out, "lotse_preview_sessions", "gauge",
	       "Conversations on a staff preview's draft (connected or waiting to be resumed).");
	strbuf_printf(out, "lotse_preview_sessions %ld\n", atomic_load(&m->preview_sessions));
	header(out, "lotse_preview_snapshots", "gauge",
	       "Staff preview drafts in memory (shared by all conversations on them).");
	strbuf_printf(out, "lotse_preview_snapshots %ld\n", content_previews_alive());
	header(out, "lotse_connections_open", "gauge", "Open conversation sockets.");
	strbuf_printf(out, "lotse_connections_open %ld\n", atomic_load(&m->connections_open));
	render_turns(m, out);
	render_errors(m, out);
	render_catalog(m->catalog, out);
	header(out, "lotse_sessions_unsealed_total", "counter",
	       "Conversations continued from a sealed resume token this instance had not held.");
	strbuf_printf(out, "lotse_sessions_unsealed_total %lu\n", atomic_load(&m->sessions_unsealed));
	header(out, "lotse_content_generation", "gauge", "Generation of the content being served.");
	strbuf_printf(out, "lotse_content_generation %lu\n", generation);
	header(out, "lotse_reloads_total", "counter", "Content reloads, by result.");
	strbuf_printf(out, "lotse_reloads_total{result=\"ok\"} %lu\n",
	              atomic_load(&m->reloads_ok));
	strbuf_printf(out, "lotse_reloads_total{result=\"failed\"} %lu\n",
	              atomic_load(&m->reloads_failed));
	header(out, "lotse_speech_synth_total", "counter", "Read-aloud audio files synthesised.");
	strbuf_printf(out, "lotse_speech_synth_total %lu\n", atomic_load(&m->speech_synth));
	header(out, "lotse_speech_cache_hits_total", "counter",
	       "Read-aloud audio files served from the cache.");
	strbuf_printf(out, "lotse_speech_cache_hits_total %lu\n",
	              atomic_load(&m->speech_cache_hits));
	header(out, "lotse_speech_unvowelled_total", "counter",
	       "Texts read aloud without a speech form although their language needs one "
	       "(docs/translating.md, Speech forms).");
	strbuf_printf(out, "lotse_speech_unvowelled_total %lu\n",
	              atomic_load(&m->speech_unvowelled));
	render_limits(m, out);
}
