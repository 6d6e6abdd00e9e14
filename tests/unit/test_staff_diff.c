/* test_staff_diff.c - the staff area's line diff prints exactly what
 * `diff -u` prints: context, merged and separate hunks, additions at the
 * start, empty files, a missing newline at the end, and identical inputs. */
#include <string.h>

#include "check.h"
#include "staff/util.h"

static const char *diff(const char *a, const char *b, struct strbuf *sb)
{
	strbuf_reset(sb);
	CHECK(staff_diff(a, strlen(a), b, strlen(b), "A", "B", 3, sb) == 0);
	return strbuf_str(sb);
}

int main(void)
{
	struct strbuf sb;
	strbuf_init(&sb);
	CHECK_STR(diff("a\nb\n", "a\nb\n", &sb), "");
	CHECK_STR(diff("", "", &sb), "");
	/* one change in the middle, one line added at the end: one hunk */
	CHECK_STR(diff("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\n", &sb),
	          "--- A\n+++ B\n@@ -1,10 +1,11 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n h\n i\n j\n+k\n");
	/* changes more than 6 equal lines apart: two hunks */
	CHECK_STR(diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
	               "x\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ny\n", &sb),
	          "--- A\n+++ B\n@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n"
	          "-12\n+y\n");
	/* a line inserted at the start; an empty first file; an emptied file */
	CHECK_STR(diff("x\ny\n", "w\nx\ny\n", &sb), "--- A\n+++ B\n@@ -1,2 +1,3 @@\n+w\n x\n y\n");
	CHECK_STR(diff("", "w\nx\n", &sb), "--- A\n+++ B\n@@ -0,0 +1,2 @@\n+w\n+x\n");
	CHECK_STR(diff("w\n", "", &sb), "--- A\n+++ B\n@@ -1 +0,0 @@\n-w\n");
	/* no newline at the end of the old file */
	CHECK_STR(diff("x\ny", "w\nx\ny\n", &sb),
	          "--- A\n+++ B\n@@ -1,2 +1,3 @@\n+w\n x\n-y\n\\ No newline at end of file\n+y\n");
	/* a line deleted far into a long file keeps exact line numbers */
	struct strbuf a, b;
	strbuf_init(&a);
	strbuf_init(&b);
	for (int i = 1; i <= 500; i++) {
		strbuf_printf(&a, "line %d\n", i);
		if (i != 250)
			strbuf_printf(&b, "line %d\n", i);
	}
	strbuf_reset(&sb);
	CHECK(staff_diff(a.data, a.len, b.data, b.len, "A", "B", 1, &sb) == 0);
	CHECK_STR(strbuf_str(&sb),
	          "--- A\n+++ B\n@@ -249,3 +249,2 @@\n line 249\n-line 250\n line 251\n");
	/* too many differences: one hunk replacing everything (still exact) */
	strbuf_reset(&b);
	for (int i = 1; i <= 3000; i++)
		strbuf_printf(&b, "other %d\n", i);
	strbuf_reset(&sb);
	CHECK(staff_diff(a.data, a.len, b.data, b.len, "A", "B", 3, &sb) == 0);
	const char *head = "--- A\n+++ B\n@@ -1,500 +1,3000 @@\n-line 1\n";
	CHECK(strncmp(strbuf_str(&sb), head, strlen(head)) == 0);
	CHECK(sb.len > 3000 * strlen("+other 1000\n"));
	strbuf_free(&a);
	strbuf_free(&b);
	strbuf_free(&sb);
	CHECK_DONE();
}
