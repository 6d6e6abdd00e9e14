/* test_content_budget.c - the size budget (util/budget.h, content/budget.h):
 * a step whose text is made of '"' (two bytes each as JSON) passes `lotse
 * check` just under BUDGET_CONTENT_MAX and is refused one character over,
 * with file:line:col, the step, the text and the limit; the 608 KB text of
 * issue 10 (finding 7) is refused; the limits are tied together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "content/budget.h"
#include "content/content.h"
#include "content/scan.h"
#include "util/budget.h"

#define SRC LOTSE_SOURCE_DIR "/tests/data/net/flows/testamt"

static char dir[64], tenant[128];

static void copy_file(const char *name, const char *to_dir)
{
	char from[512], to[512], buf[8192];
	snprintf(from, sizeof(from), "%s/%s", SRC, name);
	snprintf(to, sizeof(to), "%s/%s", to_dir, name);
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;
	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

/* Writes main.yaml with the text of step "who" replaced by k '"'. */
static void write_main(size_t k)
{
	char from[512], to[512];
	snprintf(from, sizeof(from), "%s/main.yaml", SRC);
	snprintf(to, sizeof(to), "%s/main.yaml", tenant);
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char line[1024];
	while (in && out && fgets(line, sizeof(line), in)) {
		if (!strcmp(line, "    ask: Für wen suchen Sie ein Angebot?\n")) {
			fputs("    ask: '", out);
			for (size_t i = 0; i < k; i++)
				fputc('"', out);
			fputs("'\n", out);
		} else {
			fputs(line, out);
		}
	}
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

/* lotse check on the tenant folder: the errors, one per line. */
static size_t check(char *out, size_t cap)
{
	struct diag d;
	const char *paths[] = {tenant};
	diag_init(&d);
	size_t n = content_check(paths, 1, &d);
	FILE *f = fmemopen(out, cap, "w");
	diag_print(&d, f);
	fclose(f);
	diag_free(&d);
	return n;
}

int main(void)
{
	static char msg[4096];
	char expect[1024];
	snprintf(dir, sizeof(dir), "/tmp/lotse-budget-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(tenant, sizeof(tenant), "%s/testamt", dir);
	CHECK(mkdir(tenant, 0700) == 0);
	copy_file("tenant.yaml", tenant);
	copy_file("offers.yaml", tenant);

	/* JSON sizes: quotes included, 2 for '"' '\\' and \n, 6 for other controls */
	CHECK(budget_json_len(NULL) == 4);
	CHECK(budget_json_len("") == 2);
	CHECK(budget_json_len("ab") == 4);
	CHECK(budget_json_len("\"\\\n\t") == 10);
	CHECK(budget_json_len("\x01") == 8);
	CHECK(budget_json_len("ü") == 4);   /* UTF-8 goes as it is */
	CHECK(BUDGET_QUEUE_BYTES >= 2 * BUDGET_MESSAGE_MAX);

	/* what the step "who" carries besides its text, from the real content */
	struct tenant_content tc;
	struct diag d;
	diag_init(&d);
	write_main(1);
	CHECK(scan_tenant(tenant, "testamt", &tc, &d) == 0);
	const struct flow *f = tc.nflows ? tc.flows[0] : NULL;
	const struct node *who = f ? flow_node(f, "who") : NULL;
	CHECK(who != NULL);
	size_t rest = who ? budget_step_bytes(&tc, f, who, NULL, NULL) - budget_json_len("\"") : 0;
	/* tenant, flow and node ids; the three choices' ids and labels */
	CHECK(rest == budget_json_len("testamt") + budget_json_len("main") + budget_json_len("who") +
	              4 /* no "none" text: null */ + budget_json_len("child") +
	              budget_json_len("Für mein Kind") + budget_json_len("me") +
	              budget_json_len("Für mich selbst") + budget_json_len("person") +
	              budget_json_len("Mit jemandem sprechen"));
	scan_tenant_free(&tc);
	diag_free(&d);

	size_t fit = (BUDGET_CONTENT_MAX - rest - 2) / 2;   /* '"' takes 2 bytes, quotes 2 */
	CHECK(rest + 2 * fit + 2 <= BUDGET_CONTENT_MAX && rest + 2 * fit + 4 > BUDGET_CONTENT_MAX);
	write_main(fit);
	CHECK(check(msg, sizeof(msg)) == 0);
	CHECK_STR(msg, "");

	write_main(fit + 1);
	CHECK(check(msg, sizeof(msg)) == 1);
	snprintf(expect, sizeof(expect),
	         "%s/main.yaml:6:10: step \"who\" is too big to send: its content takes %zu bytes "
	         "as JSON, more than the limit of %u bytes per message; its longest text "
	         "\"%s...\" takes %zu\n", tenant, rest + 2 * (fit + 1) + 2, BUDGET_CONTENT_MAX,
	         "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"", 2 * (fit + 1) + 2);
	CHECK_STR(msg, expect);

	/* issue 10: 608 KB of '"' in a file under the 1 MiB limit */
	write_main(608 * 1024);
	CHECK(check(msg, sizeof(msg)) == 1);
	CHECK(strstr(msg, ":6:10: step \"who\" is too big to send: its content takes") != NULL);

	char p[256];
	snprintf(p, sizeof(p), "%s/main.yaml", tenant);
	unlink(p);
	snprintf(p, sizeof(p), "%s/tenant.yaml", tenant);
	unlink(p);
	snprintf(p, sizeof(p), "%s/offers.yaml", tenant);
	unlink(p);
	rmdir(tenant);
	rmdir(dir);
	CHECK_DONE();
}
