/* path.c - splitting the staff API's request path into segments (see
 * util.h), kept apart from api.c's routing so it can be fuzzed. */
#include <string.h>

#include "staff/util.h"

int staff_path_split(char *path, const char **seg, size_t max)
{
	char *p = path;
	size_t n = 0;
	if (!*p)
		return -1;
	for (;;) {
		char *slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		if (!*p || *p == '.' || n == max)
			return -1;
		for (const char *q = p; *q; q++)
			if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			      (*q >= '0' && *q <= '9') || *q == '_' || *q == '-' || *q == '.'))
				return -1;
		seg[n++] = p;
		if (!slash)
			return (int)n;
		p = slash + 1;
	}
}
