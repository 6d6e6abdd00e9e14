/* log.c - leveled one-line logging to stderr. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level current = LOG_INFO;

void log_set_level(enum log_level lvl)
{
	current = lvl;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};
	if (lvl > current)
		return;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Control bytes (< 0x20, 0x7f) in the formatted message are escaped, so a
	 * name or path from a client or a staff member cannot start or forge a
	 * line: "\n" -> "\\n", "\r" -> "\\r", "\t" -> "\\t", others "\\xNN". */
	static const char hex[] = "0123456789abcdef";
	char safe[sizeof(line) * 4];
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
		unsigned char c = *p;
		if (c >= 0x20 && c != 0x7f) {
			safe[o++] = (char)c;
			continue;
		}
		safe[o++] = '\\';
		if (c == '\n' || c == '\r' || c == '\t') {
			safe[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else {
			safe[o++] = 'x';
			safe[o++] = hex[c >> 4];
			safe[o++] = hex[c & 15];
		}
	}
	safe[o] = '\0';
	/* One fprintf per line so concurrent threads do not interleave. */
	fprintf(stderr, "lotse: %s: %s\n", names[lvl], safe);
}

/* ---- rate-limited lines (log.h, struct log_rate) ---- */

static time_t mono_secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void log_rate_init(struct log_rate *r, long interval)
{
	pthread_mutex_init(&r->mu, NULL);
	r->interval = interval < 1 ? 1 : interval;
	r->logged = false;
	r->last = 0;
	r->held = 0;
}

void log_rate_destroy(struct log_rate *r)
{
	pthread_mutex_destroy(&r->mu);
}

unsigned long log_rate_hit(struct log_rate *r, long *secs)
{
	unsigned long n = 0;
	time_t now = mono_secs();
	pthread_mutex_lock(&r->mu);
	if (r->logged && now - r->last < r->interval) {
		r->held++;
	} else {
		n = r->held + 1;
		*secs = !r->logged ? 0 : now - r->last < 1 ? 1 : (long)(now - r->last);
		r->held = 0;
		r->last = now;
		r->logged = true;
	}
	pthread_mutex_unlock(&r->mu);
	return n;
}

unsigned long log_rate_flush(struct log_rate *r, bool force, long *secs)
{
	unsigned long n = 0;
	time_t now = mono_secs();
	pthread_mutex_lock(&r->mu);
	if (r->held && (force || now - r->last >= r->interval)) {
		n = r->held;
		*secs = now - r->last < 1 ? 1 : (long)(now - r->last);
		r->held = 0;
		r->last = now;
	}
	pthread_mutex_unlock(&r->mu);
	return n;
}
