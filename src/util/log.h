/* log.h - one-line log messages to stderr (journald adds time and unit). */
#ifndef LOTSE_LOG_H
#define LOTSE_LOG_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level lvl);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Rate limit for a line that could repeat thousands of times a second (a
 * refused connection, a failed accept): the first event is reported at
 * once, the following ones are counted and reported together at most once
 * per interval. Thread-safe (HTTP runs in several threads). */
struct log_rate {
	pthread_mutex_t mu;
	long interval;          /* seconds between two lines */
	bool logged;            /* a line has been reported */
	time_t last;            /* when (CLOCK_MONOTONIC seconds) */
	unsigned long held;     /* events counted since that line */
};

/* interval: seconds between lines (at least 1). */
void log_rate_init(struct log_rate *r, long interval);
void log_rate_destroy(struct log_rate *r);
/* Counts one event. Returns the number of events to report in one line now
 * (this one and those held back) when a line is due, and sets *secs to the
 * seconds since the previous line (at least 1; 0 for the very first line:
 * then the count is 1); returns 0 when
 * the event is only counted. */
unsigned long log_rate_hit(struct log_rate *r, long *secs);
/* The events held back, when interval seconds have passed since the last
 * line (or always, with force: at shutdown); 0 if none are due. Sets *secs
 * as log_rate_hit does. */
unsigned long log_rate_flush(struct log_rate *r, bool force, long *secs);

#endif
