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
	/* One fprintf per line so concurrent threads do not interleave. */
	fprintf(stderr, "lotse: %s: %s\n", names[lvl], line);
}
