/* test_server_config.c - the server configuration file: defaults, every key,
 * and each kind of error with its exact position. */
#include "check.h"
#include "server/config.h"

static void test_good(void)
{
	struct config c;
	struct diag d;
	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	CHECK(c.kiosk.port == 8080);
	CHECK_STR(c.staff.host, "127.0.0.1");
	CHECK(config_load(&c, "tests/data/config/good.yaml", &d) == 0);
	diag_print(&d, stderr);
	CHECK(diag_count(&d) == 0);
	/* relative: against the file's folder; absolute: as written */
	CHECK_STR(c.flows_dir, "tests/data/config/../content/flows");
	CHECK_STR(c.db_path, "/tmp/x.db");
	CHECK_STR(c.mo_dir, "build/po");
	CHECK_STR(c.kiosk.host, "127.0.0.1");
	CHECK(c.kiosk.port == 0);
	CHECK_STR(c.socket.host, "::1");
	CHECK(c.socket.port == 9001);
	CHECK_STR(c.staff.host, "0.0.0.0");
	CHECK(c.norigins == 1);
	CHECK_STR(c.origins[0], "https://kiosk.example.org");
	CHECK(c.max_message == 4096);
	CHECK(c.nfallbacks == 1);
	CHECK_STR(c.fallbacks[0].lang, "fa");
	CHECK_STR(c.fallbacks[0].chain[0], "en");
	CHECK(c.fallbacks[0].chain[1] == NULL);
	CHECK_STR(c.default_chain[1], "tr");
	CHECK_STR(c.log_level, "debug");
	config_free(&c);
	diag_free(&d);
}

static void test_bad(void)
{
	static const char *const want[] = {
		"tests/data/config/bad.yaml:3:10: \"kiosk\" must be an address like 127.0.0.1:8080 or [::1]:8080 (port 0: any free port)",
		"tests/data/config/bad.yaml:4:3: unknown key \"sockett\" in listen",
		"tests/data/config/bad.yaml:5:14: \"max_message\" must be a whole number from 256 to 32768",
		"tests/data/config/bad.yaml:7:3: unknown language code \"xx\"",
		"tests/data/config/bad.yaml:8:8: unknown language code \"zz\"",
		"tests/data/config/bad.yaml:9:12: \"log_level\" must be error, warning, info or debug",
		"tests/data/config/bad.yaml:10:11: origin must start with http:// or https:// (origins)",
		"tests/data/config/bad.yaml:11:1: unknown key \"colour\" (see docs/operating.md)",
	};
	struct config c;
	struct diag d;
	char buf[512];
	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	CHECK(config_load(&c, "tests/data/config/bad.yaml", &d) == -1);
	diag_sort(&d);
	CHECK(d.n == sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d.n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(diag_format(&d, i, buf, sizeof(buf)), want[i]);
	config_free(&c);
	diag_free(&d);

	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	CHECK(config_load(&c, "tests/data/config/missing.yaml", &d) == -1);
	CHECK(diag_count(&d) == 1);
	config_free(&c);
	diag_free(&d);
}

/* The limits mapping (docs/operating.md, "Limits"): defaults, every key,
 * range and unknown-key errors. */
static void test_limits(void)
{
	static const char *const want[] = {
		"tests/data/config/limits_bad.yaml:2:23: \"socket_connections\" must be a whole number from 1 to 1000000",
		"tests/data/config/limits_bad.yaml:3:3: unknown key \"per_address\" in limits",
		"tests/data/config/limits_bad.yaml:4:19: \"header_timeout\" must be a whole number from 1 to 3600",
		"tests/data/config/limits_bad.yaml:5:1: unknown key \"limits2\" (see docs/operating.md)",
	};
	struct config c;
	struct diag d;
	char buf[512];
	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	CHECK(c.socket_connections == 16000 && c.socket_per_address == 256);
	CHECK(c.http_connections == 256 && c.http_per_address == 64);
	CHECK(c.header_timeout == 10 && c.body_timeout == 60 && c.http_idle_timeout == 30);
	CHECK(c.limits_log_interval == 10);
	CHECK(c.socket_connections < c.max_sessions);
	CHECK(config_load(&c, "tests/data/config/limits.yaml", &d) == 0);
	CHECK(c.socket_connections == 500 && c.socket_per_address == 20);
	CHECK(c.http_connections == 100 && c.http_per_address == 10);
	CHECK(c.header_timeout == 5 && c.body_timeout == 30 && c.http_idle_timeout == 15);
	CHECK(c.limits_log_interval == 60);
	config_free(&c);
	diag_free(&d);

	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	CHECK(config_load(&c, "tests/data/config/limits_bad.yaml", &d) == -1);
	diag_sort(&d);
	CHECK(d.n == sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d.n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(diag_format(&d, i, buf, sizeof(buf)), want[i]);
	config_free(&c);
	diag_free(&d);
}

/* The staff mapping (docs/operating.md): defaults, every key, addresses and
 * networks of trusted proxies, errors with their positions. */
static void test_staff(void)
{
	static const char *const want[] = {
		"tests/data/config/staff_bad.yaml:2:32: \"proxy.example.org\" is not an IP address or network (10.0.0.0/8; host bits zero) (trusted_proxies)",
		"tests/data/config/staff_bad.yaml:2:53: \"10.0.0.1/8\" is not an IP address or network (10.0.0.0/8; host bits zero) (trusted_proxies)",
		"tests/data/config/staff_bad.yaml:3:18: \"login_workers\" must be a whole number from 1 to 64",
		"tests/data/config/staff_bad.yaml:4:3: unknown key \"audit_retention\" in staff",
	};
	struct config c;
	struct diag d;
	char buf[512];
	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	CHECK(c.ntrusted_proxies == 0);
	CHECK(c.staff_login_workers == 2 && c.staff_login_queue == 16);
	CHECK(c.audit_retention_days == 365);
	CHECK(config_load(&c, "tests/data/config/staff.yaml", &d) == 0);
	CHECK(c.ntrusted_proxies == 3);
	if (c.ntrusted_proxies == 3) {
		CHECK_STR(c.trusted_proxies[0], "127.0.0.1");
		CHECK_STR(c.trusted_proxies[1], "::1");
		CHECK_STR(c.trusted_proxies[2], "10.0.0.0/8");
	}
	CHECK(c.staff_login_workers == 4 && c.staff_login_queue == 50);
	CHECK(c.audit_retention_days == 90);
	config_free(&c);
	diag_free(&d);

	diag_init(&d);
	CHECK(config_defaults(&c) == 0);
	CHECK(config_load(&c, "tests/data/config/staff_bad.yaml", &d) == -1);
	diag_sort(&d);
	CHECK(d.n == sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d.n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(diag_format(&d, i, buf, sizeof(buf)), want[i]);
	config_free(&c);
	diag_free(&d);
}

static void test_addr(void)
{
	struct config c;
	struct listen_addr a;
	CHECK(config_defaults(&c) == 0);
	CHECK(config_parse_addr(&c, "localhost:80", &a) == 0);
	CHECK_STR(a.host, "localhost");
	CHECK(a.port == 80);
	CHECK(config_parse_addr(&c, ":0", &a) == 0);
	CHECK_STR(a.host, "0.0.0.0");
	CHECK(config_parse_addr(&c, "host:65536", &a) == -1);
	CHECK(config_parse_addr(&c, "host:", &a) == -1);
	CHECK(config_parse_addr(&c, "host:12x", &a) == -1);
	CHECK(config_parse_addr(&c, "noport", &a) == -1);
	config_free(&c);
}

int main(void)
{
	test_good();
	test_bad();
	test_addr();
	test_limits();
	test_staff();
	CHECK_DONE();
}
