/* test_net_metrics.c - the Prometheus text of /metrics (src/net/metrics.c):
 * exact lines for turns, errors, catalogue lookups, generation, reloads. */
#include <string.h>

#include "check.h"
#include "net/metrics.h"

static void check_line(const char *text, const char *line)
{
	const char *p = strstr(text, line);
	/* the whole line: starts a line and ends with a newline */
	bool ok = p && (p == text || p[-1] == '\n') && p[strlen(line)] == '\n';
	if (!ok)
		fprintf(stderr, "missing line: %s\n", line);
	CHECK(ok);
}

int main(void)
{
	static struct catalog_stats cs;
	struct net_metrics m;
	struct strbuf sb;
	memset(&cs, 0, sizeof cs);
	memcpy(cs.lang[0], "ar", 3);
	memcpy(cs.lang[1], "en", 3);
	atomic_store(&cs.lookups[0], 12);
	atomic_store(&cs.fallbacks[0], 2);
	atomic_store(&cs.lookups[1], 5);
	atomic_store(&cs.nlangs, 2);
	metrics_init(&m, &cs);
	metrics_turn(&m, "ar");
	metrics_turn(&m, "ar");
	metrics_turn(&m, "de");
	metrics_turn(&m, "zz");   /* unknown: not counted */
	metrics_error(&m, PROTO_E_UNKNOWN_CHOICE);
	metrics_error(&m, PROTO_E_TOO_BIG);
	metrics_error(&m, PROTO_E_NONE);
	atomic_store(&m.sessions_open, 3);
	atomic_store(&m.reloads_ok, 1);
	atomic_store(&m.reloads_failed, 4);
	strbuf_init(&sb);
	metrics_render(&m, 7, &sb);
	CHECK(strbuf_ok(&sb));
	const char *t = strbuf_str(&sb);
	check_line(t, "# TYPE lotse_sessions_open gauge");
	check_line(t, "lotse_sessions_open 3");
	check_line(t, "lotse_connections_open 0");
	check_line(t, "# TYPE lotse_turns_total counter");
	check_line(t, "lotse_turns_total{lang=\"ar\"} 2");
	check_line(t, "lotse_turns_total{lang=\"de\"} 1");
	CHECK(strstr(t, "lotse_turns_total{lang=\"en\"}") == NULL);
	check_line(t, "lotse_errors_total{code=\"unknown_choice\"} 1");
	check_line(t, "lotse_errors_total{code=\"message_too_big\"} 1");
	check_line(t, "lotse_errors_total{code=\"bad_json\"} 0");
	CHECK(strstr(t, "code=\"none\"") == NULL);
	check_line(t, "lotse_lookups_total{lang=\"ar\"} 12");
	check_line(t, "lotse_lookups_total{lang=\"en\"} 5");
	check_line(t, "lotse_fallback_lookups_total{lang=\"ar\"} 2");
	check_line(t, "lotse_fallback_lookups_total{lang=\"en\"} 0");
	check_line(t, "lotse_content_generation 7");
	check_line(t, "lotse_reloads_total{result=\"ok\"} 1");
	check_line(t, "lotse_reloads_total{result=\"failed\"} 4");
	CHECK(t[strlen(t) - 1] == '\n');
	strbuf_free(&sb);
	CHECK_DONE();
}
