/* load.c - lotse-bench-load: the benchmark's load generator (command line,
 * address resolution and the report). The sessions live in loop.c.
 *
 * It is a real WebSocket client (RFC 6455, hand-written framing) that opens N
 * concurrent sessions against `lotse serve` (--mode lotse: start, then one
 * choice per step until a terminal step, then start again) or against the
 * bare libwebsockets echo server (--mode echo: a message of the size of a
 * "choose" request, then its echo), and reports turns/s and the latency
 * percentiles of the turns. See docs/benchmarks.md.
 *
 * Output: a human summary, then one machine-readable line
 *   RESULT key=value ...
 * Exit status: 0 = completed without errors, 1 = errors or no turns,
 * 2 = bad usage, 3 = abandoned (could not connect, interrupted).
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "loop.h"
#include "selftest.h"
#include "wsframe.h"

struct url {
	char host[256];                 /* without brackets */
	char port[8];
	char host_port[280];            /* the Host header */
	char path[512];
};

static void load_usage(FILE *f)
{
	fprintf(f,
		"usage: lotse-bench-load --url ws://HOST:PORT/ [options]\n"
		"  --mode lotse|echo      walk conversations (default) or echo messages\n"
		"  --sessions N           concurrent sessions (default 100)\n"
		"  --duration S           measuring window in seconds (default 10; idle: hold time)\n"
		"  --warmup S             seconds after all sessions are up, not measured (default 2)\n"
		"  --think MS             mean pause between an answer and the next request\n"
		"                         (uniform 0.5..1.5 x MS; default 0 = closed loop)\n"
		"  --tenant T --lang L    sent in \"start\" (left out when not given)\n"
		"  --origin URL           Origin header of the handshake\n"
		"  --pick random|first|rr how a choice is picked (default random)\n"
		"  --seed N               random seed (default 1)\n"
		"  --max-steps N          restart a conversation after N choices (default 64)\n"
		"  --message-size B       echo mode: bytes per message (default 40)\n"
		"  --ramp N               handshakes in flight at most (default 200)\n"
		"  --timeout S            answer timeout per turn (default 10)\n"
		"  --connect-timeout S    time for all sessions to connect (default 60)\n"
		"  --server-pid PID       also report the server's CPU and RSS\n"
		"  --idle                 one start per session, then hold them idle;\n"
		"                         with --server-pid: RSS per idle session\n"
		"  --first-step           connect (retrying) until the first step arrives\n"
		"  --since NS             first-step: CLOCK_REALTIME ns to measure from (date +%%s%%N)\n"
		"  --self-test            check the framing, handshake and JSON code, then exit\n"
		"  --verbose              print every error\n");
}

/* Parses ws://host[:port][/path] into u. Returns 0 or -1. */
static int url_parse(const char *s, struct url *u)
{
	const char *p, *h, *hend, *slash;
	size_t hl;
	int n;

	if (strncmp(s, "ws://", 5))
		return -1;
	h = s + 5;
	slash = strchr(h, '/');
	p = slash ? slash : h + strlen(h);
	if (*h == '[') {
		hend = memchr(h, ']', (size_t)(p - h));
		if (!hend)
			return -1;
		hl = (size_t)(hend - h - 1);
		memcpy(u->host, h + 1, hl < sizeof(u->host) ? hl : 0);
		hend++;
	} else {
		hend = memchr(h, ':', (size_t)(p - h));
		if (!hend)
			hend = p;
		hl = (size_t)(hend - h);
		memcpy(u->host, h, hl < sizeof(u->host) ? hl : 0);
	}
	if (hl == 0 || hl >= sizeof(u->host))
		return -1;
	u->host[hl] = '\0';
	if (*hend == ':') {
		size_t pl = (size_t)(p - hend - 1);

		if (pl == 0 || pl >= sizeof(u->port))
			return -1;
		memcpy(u->port, hend + 1, pl);
		u->port[pl] = '\0';
	} else if (hend == p) {
		memcpy(u->port, "80", 3);
	} else {
		return -1;
	}
	n = snprintf(u->path, sizeof(u->path), "%s", slash ? slash : "/");
	if (n < 0 || (size_t)n >= sizeof(u->path))
		return -1;
	n = snprintf(u->host_port, sizeof(u->host_port), "%.*s", (int)(p - h), h);
	return n < 0 || (size_t)n >= sizeof(u->host_port) ? -1 : 0;
}

static int opt_double(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	return errno || end == v || *end || *out < 0 ? -1 : 0;
}

static int opt_size(const char *v, size_t *out)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(v, &end, 10);
	*out = (size_t)x;
	return errno || end == v || *end || *v == '-' ? -1 : 0;
}

static int opt_enum(const char *v, const char *const *names, int *out)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i])) {
			*out = i;
			return 0;
		}
	return -1;
}

/* One option with a value. Returns 0, or -1 if the value is bad or the
 * option unknown. */
static int load_option(struct load_opts *o, const char *a, const char *v)
{
	static const char *const modes[] = { "lotse", "echo", NULL };
	static const char *const picks[] = { "random", "first", "rr", NULL };
	size_t z;
	int e;

	if (!strcmp(a, "--url"))
		return o->url = v, 0;
	if (!strcmp(a, "--tenant"))
		return o->tenant = v, 0;
	if (!strcmp(a, "--lang"))
		return o->lang = v, 0;
	if (!strcmp(a, "--origin"))
		return o->origin = v, 0;
	if (!strcmp(a, "--mode"))
		return opt_enum(v, modes, &e) ? -1 : (o->mode = (enum load_mode)e, 0);
	if (!strcmp(a, "--pick"))
		return opt_enum(v, picks, &e) ? -1 : (o->pick = (enum load_pick)e, 0);
	if (!strcmp(a, "--sessions"))
		return opt_size(v, &o->sessions);
	if (!strcmp(a, "--ramp"))
		return opt_size(v, &o->ramp);
	if (!strcmp(a, "--message-size"))
		return opt_size(v, &o->message_size);
	if (!strcmp(a, "--duration"))
		return opt_double(v, &o->duration);
	if (!strcmp(a, "--warmup"))
		return opt_double(v, &o->warmup);
	if (!strcmp(a, "--think"))
		return opt_double(v, &o->think_ms);
	if (!strcmp(a, "--timeout"))
		return opt_double(v, &o->timeout);
	if (!strcmp(a, "--connect-timeout"))
		return opt_double(v, &o->connect_timeout);
	if (!strcmp(a, "--seed"))
		return opt_size(v, &z) ? -1 : (o->seed = z, 0);
	if (!strcmp(a, "--max-steps"))
		return opt_size(v, &z) || z > 1000000 ? -1 : (o->max_steps = (unsigned)z, 0);
	if (!strcmp(a, "--server-pid"))
		return opt_size(v, &z) || z > 1u << 30 ? -1 : (o->server_pid = (int)z, 0);
	if (!strcmp(a, "--since"))
		return opt_size(v, &z) ? -1 : (o->since_ns = (int64_t)z, 0);
	return -1;
}

/* Parses the command line. Returns 0, 1 for --help, 2 for --self-test, -1 on
 * a usage error (already reported). */
static int load_parse_args(int argc, char **argv, struct load_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (!strcmp(a, "--self-test"))
			return 2;
		if (!strcmp(a, "--idle"))
			o->idle = true;
		else if (!strcmp(a, "--first-step"))
			o->first_step = true;
		else if (!strcmp(a, "--verbose"))
			o->verbose = true;
		else if (i + 1 >= argc || load_option(o, a, argv[i + 1])) {
			fprintf(stderr, "lotse-bench-load: bad option or value: %s%s%s\n", a,
			        i + 1 < argc ? " " : "", i + 1 < argc ? argv[i + 1] : "");
			return -1;
		} else {
			i++;
		}
	}
	if (!o->url || !o->sessions || !o->ramp || o->message_size > 500 ||
	    o->message_size < 32 || (o->idle && o->first_step)) {
		fprintf(stderr, "lotse-bench-load: need --url, --sessions >= 1, --ramp >= 1, "
		                "32 <= --message-size <= 500, not both --idle and --first-step\n");
		return -1;
	}
	return 0;
}

/* Raises the open-file limit to the hard limit; fails if N sessions do not
 * fit. */
static int load_raise_nofile(size_t sessions)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if (rl.rlim_cur != RLIM_INFINITY && sessions + 32 > rl.rlim_cur) {
		fprintf(stderr, "lotse-bench-load: %zu sessions need more open files than the "
		                "hard limit %llu (ulimit -Hn)\n", sessions,
		        (unsigned long long)rl.rlim_cur);
		return -1;
	}
	return 0;
}

static uint64_t load_errors(const struct load_result *r)
{
	uint64_t n = 0;

	for (int i = 0; i < ERR_KINDS; i++)
		n += r->err[i];
	return n;
}

static void load_report_errors(const struct load_result *r)
{
	printf("  errors       %llu", (unsigned long long)load_errors(r));
	for (int i = 0; i < ERR_KINDS; i++)
		if (r->err[i])
			printf(" %s=%llu", load_err_name((enum load_err)i),
			       (unsigned long long)r->err[i]);
	printf("\n");
}

static void load_report_turns(const struct load_opts *o, const struct load_result *r)
{
	const struct hist *h = &r->hist;
	double rate = r->window_s > 0 ? (double)r->turns / r->window_s : 0;
	double per = o->server_pid && r->server_rss_kib >= 0 && r->rss_before_kib >= 0
		? (double)(r->server_rss_kib - r->rss_before_kib) * 1024.0 / (double)o->sessions : -1;

	printf("lotse-bench-load: mode=%s url=%s sessions=%zu think=%gms window=%.2fs\n",
	       o->mode == MODE_ECHO ? "echo" : "lotse", o->url, o->sessions, o->think_ms,
	       r->window_s);
	printf("  ramp         %.3f s to connect all sessions\n", r->ramp_s);
	printf("  turns        %llu in the window (%.1f/s), %llu in all, %llu conversations "
	       "finished\n", (unsigned long long)r->turns, rate,
	       (unsigned long long)r->turns_total, (unsigned long long)r->conversations);
	printf("  latency ms   p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f\n",
	       (double)hist_quantile(h, 0.5) / 1e6, (double)hist_quantile(h, 0.9) / 1e6,
	       (double)hist_quantile(h, 0.99) / 1e6, (double)hist_quantile(h, 0.999) / 1e6,
	       (double)h->max / 1e6, hist_mean(h) / 1e6);
	load_report_errors(r);
	printf("  client cpu   %.0f%% of one core\n",
	       r->window_s > 0 ? 100.0 * r->client_cpu / r->window_s : 0.0);
	if (o->server_pid)
		printf("  server       pid %d: cpu %.0f%% of one core, rss %ld KiB (%ld before the "
		       "run: %.1f KiB per active session)\n", o->server_pid,
		       r->window_s > 0 && r->server_cpu >= 0 ? 100.0 * r->server_cpu / r->window_s
		                                             : -1.0, r->server_rss_kib,
		       r->rss_before_kib, per / 1024.0);
	printf("RESULT mode=%s sessions=%zu think_ms=%g window_s=%.3f turns=%llu "
	       "turns_per_s=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
	       "mean_us=%.1f errors=%llu unsolicited=%llu client_cpu=%.3f server_cpu=%.3f "
	       "server_rss_kib=%ld rss_per_session_b=%.0f ramp_s=%.3f\n",
	       o->mode == MODE_ECHO ? "echo" : "lotse", o->sessions, o->think_ms, r->window_s,
	       (unsigned long long)r->turns, rate, (double)hist_quantile(h, 0.5) / 1e3,
	       (double)hist_quantile(h, 0.9) / 1e3, (double)hist_quantile(h, 0.99) / 1e3,
	       (double)hist_quantile(h, 0.999) / 1e3, (double)h->max / 1e3, hist_mean(h) / 1e3,
	       (unsigned long long)load_errors(r), (unsigned long long)r->unsolicited,
	       r->window_s > 0 ? r->client_cpu / r->window_s : 0.0,
	       r->window_s > 0 && r->server_cpu >= 0 ? r->server_cpu / r->window_s : -1.0,
	       r->server_rss_kib, per, r->ramp_s);
}

static void load_report_idle(const struct load_opts *o, const struct load_result *r)
{
	long delta = r->rss_after_kib - r->rss_before_kib;
	double per = r->idle_ready ? (double)delta * 1024.0 / (double)r->idle_ready : 0;

	printf("lotse-bench-load: idle sessions=%zu url=%s\n", o->sessions, o->url);
	printf("  ramp         %.3f s until all sessions had their first step\n", r->ramp_s);
	if (o->server_pid)
		printf("  server rss   %ld KiB before, %ld KiB with %llu idle sessions: "
		       "%.0f bytes (%.2f KiB) per session\n", r->rss_before_kib, r->rss_after_kib,
		       (unsigned long long)r->idle_ready, per, per / 1024.0);
	load_report_errors(r);
	printf("RESULT mode=%s idle=1 sessions=%llu rss_before_kib=%ld rss_after_kib=%ld "
	       "rss_per_session_b=%.0f errors=%llu ramp_s=%.3f\n",
	       o->mode == MODE_ECHO ? "echo" : "lotse", (unsigned long long)r->idle_ready,
	       r->rss_before_kib, r->rss_after_kib, o->server_pid ? per : -1.0,
	       (unsigned long long)load_errors(r), r->ramp_s);
}

static void load_report_first_step(const struct load_result *r)
{
	printf("lotse-bench-load: first step after %.1f ms (connected after %.1f ms, %u "
	       "attempts; first frame after %.1f ms)\n", r->first_step_ms, r->first_connect_ms,
	       r->attempts, r->first_hello_ms);
	load_report_errors(r);
	printf("RESULT first_step_ms=%.1f connect_ms=%.1f hello_ms=%.1f attempts=%u errors=%llu\n",
	       r->first_step_ms, r->first_connect_ms, r->first_hello_ms, r->attempts,
	       (unsigned long long)load_errors(r));
}

/* Resolves the URL's host and runs. Returns the exit status. */
static int load_main(const struct load_opts *o)
{
	static struct load_result r;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	struct url u;
	int gai;

	if (url_parse(o->url, &u)) {
		fprintf(stderr, "lotse-bench-load: bad URL (want ws://host:port/path): %s\n", o->url);
		return 2;
	}
	gai = getaddrinfo(u.host, u.port, &hints, &ai);
	if (gai) {
		fprintf(stderr, "lotse-bench-load: %s: %s\n", u.host, gai_strerror(gai));
		return 2;
	}
	if (load_raise_nofile(o->sessions)) {
		freeaddrinfo(ai);
		return 2;
	}
	if (load_run(o, ai->ai_addr, ai->ai_addrlen, u.host_port, u.path, &r) < 0) {
		freeaddrinfo(ai);
		fprintf(stderr, "lotse-bench-load: run abandoned: %s\n", r.fatal);
		load_report_errors(&r);
		return 3;
	}
	freeaddrinfo(ai);
	if (o->first_step)
		load_report_first_step(&r);
	else if (o->idle)
		load_report_idle(o, &r);
	else
		load_report_turns(o, &r);
	fflush(stdout);
	if (load_errors(&r))
		return 1;
	return o->idle || o->first_step || r.turns ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct load_opts o = {
		.mode = MODE_LOTSE, .sessions = 100, .duration = -1, .warmup = 2, .seed = 1,
		.pick = PICK_RANDOM, .max_steps = 64, .ramp = 200, .timeout = 10,
		.connect_timeout = 60, .message_size = 40,
	};
	int r = load_parse_args(argc, argv, &o);

	if (r == 1) {
		load_usage(stdout);
		return 0;
	}
	if (r == 2)
		return load_self_test() ? 1 : 0;
	if (r < 0) {
		load_usage(stderr);
		return 2;
	}
	if (o.duration < 0)
		o.duration = o.idle ? 0 : 10;
	return load_main(&o);
}
