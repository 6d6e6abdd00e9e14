/* test_staff_stats_csv.c - staff_stats_csv: the header row, CRLF line
 * ends, RFC 4180 quoting (comma, quote, line break), the formula guard for
 * texts a family typed, and small numbers written "< 3" only in tables
 * that hide them (0 stays 0). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "staff/stats_api.h"

int main(void)
{
	static const char *const cols[] = {"text", "lang", "count", "other"};
	const char *k1[] = {"schwimm,kurs", "de"}, *k2[] = {"sagt \"hallo\"\nneu", "tr"},
	           *k3[] = {"=HYPERLINK(\"x\")", "ar"}, *k4[] = {"-1", "uk"};
	long long v1[] = {2, 0}, v2[] = {3, 1}, v3[] = {1, 12}, v4[] = {0, 2};
	struct stats_line rows[] = {{k1, v1}, {k2, v2}, {k3, v3}, {k4, v4}};
	struct stats_table t = {"t", cols, 2, 2, true, rows, 4};
	struct strbuf out;
	strbuf_init(&out);
	staff_stats_csv(&t, &out);
	CHECK_STR(strbuf_str(&out),
	          "text,lang,count,other\r\n"
	          "\"schwimm,kurs\",de,< 3,0\r\n"
	          "\"sagt \"\"hallo\"\"\nneu\",tr,3,< 3\r\n"
	          "\"'=HYPERLINK(\"\"x\"\")\",ar,< 3,12\r\n"
	          "'-1,uk,0,< 3\r\n");
	/* the same table without hiding */
	t.small = false;
	strbuf_reset(&out);
	staff_stats_csv(&t, &out);
	CHECK_STR(strbuf_str(&out),
	          "text,lang,count,other\r\n"
	          "\"schwimm,kurs\",de,2,0\r\n"
	          "\"sagt \"\"hallo\"\"\nneu\",tr,3,1\r\n"
	          "\"'=HYPERLINK(\"\"x\"\")\",ar,1,12\r\n"
	          "'-1,uk,0,2\r\n");
	strbuf_free(&out);
	CHECK_DONE();
}
