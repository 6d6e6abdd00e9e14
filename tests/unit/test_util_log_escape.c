/* test_util_log_escape.c - log lines cannot be forged (issue 10, item 8): control bytes in a
 * formatted message (a login name, a path from a client) are escaped by log_msg, ordinary lines
 * come out unchanged. stderr is captured through a pipe. */
#include "check.h"
#include "util/log.h"

#include <string.h>
#include <unistd.h>

static char captured[16384];

/* Runs the log call in the block with stderr on a pipe and leaves what was written in
 * captured (NUL-terminated). The lines are far below the pipe's buffer. */
#define CAPTURE(block) do { \
	int fds_[2]; \
	if (pipe(fds_) != 0) { perror("pipe"); exit(2); } \
	fflush(stderr); \
	int saved_ = dup(2); \
	dup2(fds_[1], 2); \
	close(fds_[1]); \
	block; \
	fflush(stderr); \
	dup2(saved_, 2); \
	close(saved_); \
	size_t n_ = 0; \
	ssize_t r_; \
	while (n_ < sizeof(captured) - 1 && \
	       (r_ = read(fds_[0], captured + n_, sizeof(captured) - 1 - n_)) > 0) \
		n_ += (size_t)r_; \
	captured[n_] = '\0'; \
	close(fds_[0]); \
} while (0)

int main(void)
{
	/* The forged line from issue 10: one line, the newline shown as \n. */
	const char *name = "evil\nlotse: error: FORGED";
	CAPTURE(log_warn("staff: failed login for \"%s\" from %s", name, "127.0.0.1"));
	CHECK_STR(captured,
	          "lotse: warning: staff: failed login for \"evil\\nlotse: error: FORGED\" from 127.0.0.1\n");

	/* Ordinary lines (UTF-8, quotes, backslashes, percent from an argument) are unchanged. */
	CAPTURE(log_info("reload: %s, 12 languages, 100%% of \"Dessau-Roßlau\" \\ %s", "ok", "%s"));
	CHECK_STR(captured, "lotse: info: reload: ok, 12 languages, 100% of \"Dessau-Roßlau\" \\ %s\n");

	/* Other control bytes: CR and TAB by name, the rest as \xNN (also DEL, ESC). */
	CAPTURE(log_err("%s", "a\rb\tc\x1b[31md\x7f" "e\x01"));
	CHECK_STR(captured, "lotse: error: a\\rb\\tc\\x1b[31md\\x7fe\\x01\n");

	/* A message of nothing but newlines, as long as a line may be (2047 bytes): one line of
	 * 2047 escapes, no overflow of the escaped buffer. */
	char many[2048];
	memset(many, '\n', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	CAPTURE(log_err("%s", many));
	size_t len = strlen(captured);
	CHECK(len == strlen("lotse: error: ") + 2 * 2047 + 1);
	CHECK(strncmp(captured, "lotse: error: \\n\\n", 18) == 0);
	CHECK(strchr(captured, '\n') == captured + len - 1);

	/* Below the level nothing is written. */
	CAPTURE(log_debug("hidden\n"));
	CHECK_STR(captured, "");
	log_set_level(LOG_DEBUG);
	CAPTURE(log_debug("shown\n"));
	CHECK_STR(captured, "lotse: debug: shown\\n\n");

	CHECK_DONE();
}
