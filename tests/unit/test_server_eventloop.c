/* test_server_eventloop.c - the event_loop configuration key (libev by
 * default, poll on request; anything else is an error with its position). */
#include "check.h"
#include "server/config.h"

/* Loads path over the defaults; returns the event_loop value (copied into
 * out) and the first diagnostic (into msg, "" if none). */
static int load(const char *path, char *out, size_t n, char *msg, size_t mn)
{
	struct config c;
	struct diag d;
	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	int rc = path ? config_load(&c, path, &d) : 0;
	snprintf(out, n, "%s", c.event_loop ? c.event_loop : "(null)");
	if (d.n)
		diag_format(&d, 0, msg, mn);
	else
		snprintf(msg, mn, "%s", "");
	config_free(&c);
	diag_free(&d);
	return rc;
}

int main(void)
{
	char v[32], msg[256];
	CHECK(load(NULL, v, sizeof v, msg, sizeof msg) == 0);
	CHECK_STR(v, "libev");
	CHECK(load("tests/data/eventloop/poll.yaml", v, sizeof v, msg, sizeof msg) == 0);
	CHECK_STR(v, "poll");
	CHECK_STR(msg, "");
	CHECK(load("tests/data/eventloop/libev.yaml", v, sizeof v, msg, sizeof msg) == 0);
	CHECK_STR(v, "libev");
	CHECK(load("tests/data/eventloop/bad.yaml", v, sizeof v, msg, sizeof msg) == -1);
	CHECK_STR(v, "libev");
	CHECK_STR(msg, "tests/data/eventloop/bad.yaml:2:13: \"event_loop\" must be libev or poll");
	CHECK_DONE();
}
