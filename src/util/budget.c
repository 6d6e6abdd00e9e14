/* budget.c - the JSON size of a string, for the size budget (budget.h). */
#include "util/budget.h"

size_t budget_json_len(const char *s)
{
	if (!s)
		return 4;
	size_t n = 2;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': case '\\': case '\b': case '\f': case '\n': case '\r': case '\t':
			n += 2;
			break;
		default:
			n += *p < 0x20 ? 6 : 1;
			break;
		}
	}
	return n;
}
