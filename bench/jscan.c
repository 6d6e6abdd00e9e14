/* jscan.c - a small validating JSON scanner for server frames; see jscan.h.
 * Recursive descent over RFC 8259 grammar with a depth limit. */
#include "jscan.h"

#include <string.h>

#define JSCAN_MAX_DEPTH 64

struct jscan {
	const char *p, *end;
	const char *err;
	int depth;
};

static void jscan_ws(struct jscan *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jscan_fail(struct jscan *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return -1;
}

static bool jscan_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Scans a string at j->p (the opening quote); *s and *len get its raw body. */
static int jscan_string(struct jscan *j, const char **s, size_t *len)
{
	const char *start;

	if (j->p >= j->end || *j->p != '"')
		return jscan_fail(j, "string expected");
	start = ++j->p;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20)
			return jscan_fail(j, "control character in string");
		if (c == '\\') {
			if (++j->p >= j->end)
				break;
			if (*j->p == 'u') {
				if (j->end - j->p < 5 || !jscan_hex(j->p[1]) || !jscan_hex(j->p[2]) ||
				    !jscan_hex(j->p[3]) || !jscan_hex(j->p[4]))
					return jscan_fail(j, "bad \\u escape");
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p) || !*j->p) {
				return jscan_fail(j, "bad escape");
			}
		}
		j->p++;
	}
	if (j->p >= j->end)
		return jscan_fail(j, "unterminated string");
	*s = start;
	*len = (size_t)(j->p - start);
	j->p++;
	return 0;
}

static int jscan_number(struct jscan *j)
{
	const char *start = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (j->p < j->end && *j->p >= '1' && *j->p <= '9')
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	else
		return jscan_fail(j, "value expected");
	if (j->p < j->end && *j->p == '.') {
		const char *digits = ++j->p;

		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
		if (j->p == digits)
			return jscan_fail(j, "digit expected after '.'");
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		const char *digits;

		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		digits = j->p;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
		if (j->p == digits)
			return jscan_fail(j, "digit expected in exponent");
	}
	return j->p > start ? 0 : -1;
}

/* Scans a literal; returns 1 for true, 0 for false/null, -1 on error. */
static int jscan_literal(struct jscan *j)
{
	static const char *const words[] = { "true", "false", "null" };

	for (int i = 0; i < 3; i++) {
		size_t l = strlen(words[i]);

		if ((size_t)(j->end - j->p) >= l && !memcmp(j->p, words[i], l)) {
			j->p += l;
			return i == 0;
		}
	}
	return jscan_fail(j, "value expected");
}

static int jscan_value(struct jscan *j, struct jscan_frame *out, int role);

/* Roles: what the value being scanned means to the caller. */
enum { ROLE_NONE, ROLE_TOP, ROLE_ID_LIST, ROLE_ID_ITEM, ROLE_ID };

static void jscan_keep_id(struct jscan_frame *out, const char *s, size_t len)
{
	if (out->nids >= JSCAN_MAX_IDS || len > JSCAN_MAX_ID) {
		out->ids_truncated = true;
		return;
	}
	memcpy(out->ids[out->nids], s, len);
	out->ids[out->nids][len] = '\0';
	out->nids++;
}

/* The role a member's value gets, from the object's role and the key. */
static int jscan_member_role(int role, const char *key, size_t klen)
{
	if (role == ROLE_TOP && ((klen == 7 && !memcmp(key, "choices", 7)) ||
	                         (klen == 7 && !memcmp(key, "tenants", 7))))
		return ROLE_ID_LIST;
	if (role == ROLE_ID_ITEM && klen == 2 && !memcmp(key, "id", 2))
		return ROLE_ID;
	return ROLE_NONE;
}

static int jscan_top_member(struct jscan *j, struct jscan_frame *out, const char *key,
                            size_t klen)
{
	const char *s;
	size_t len;
	int r;

	if (klen == 4 && !memcmp(key, "type", 4) && j->p < j->end && *j->p == '"') {
		if (jscan_string(j, &s, &len))
			return -1;
		if (len < sizeof(out->type)) {
			memcpy(out->type, s, len);
			out->type[len] = '\0';
		}
		return 0;
	}
	if (klen == 8 && !memcmp(key, "terminal", 8) && j->p < j->end &&
	    (*j->p == 't' || *j->p == 'f')) {
		r = jscan_literal(j);
		if (r < 0)
			return -1;
		out->terminal = r;
		return 0;
	}
	return jscan_value(j, out, jscan_member_role(ROLE_TOP, key, klen));
}

static int jscan_object(struct jscan *j, struct jscan_frame *out, int role)
{
	const char *key;
	size_t klen;

	j->p++;
	jscan_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		jscan_ws(j);
		if (jscan_string(j, &key, &klen))
			return -1;
		jscan_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return jscan_fail(j, "':' expected");
		j->p++;
		jscan_ws(j);
		if (role == ROLE_TOP) {
			if (jscan_top_member(j, out, key, klen))
				return -1;
		} else if (jscan_value(j, out, jscan_member_role(role, key, klen))) {
			return -1;
		}
		jscan_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return 0;
		}
		return jscan_fail(j, "',' or '}' expected");
	}
}

static int jscan_array(struct jscan *j, struct jscan_frame *out, int role)
{
	int item = role == ROLE_ID_LIST ? ROLE_ID_ITEM : ROLE_NONE;

	j->p++;
	jscan_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		jscan_ws(j);
		if (jscan_value(j, out, item))
			return -1;
		jscan_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return 0;
		}
		return jscan_fail(j, "',' or ']' expected");
	}
}

static int jscan_value(struct jscan *j, struct jscan_frame *out, int role)
{
	const char *s;
	size_t len;
	int r;

	if (j->p >= j->end)
		return jscan_fail(j, "value expected");
	switch (*j->p) {
	case '{':
		if (++j->depth > JSCAN_MAX_DEPTH)
			return jscan_fail(j, "nested too deeply");
		r = jscan_object(j, out, role == ROLE_ID_ITEM ? ROLE_ID_ITEM : role == ROLE_TOP
		                                                  ? ROLE_TOP : ROLE_NONE);
		j->depth--;
		return r;
	case '[':
		if (++j->depth > JSCAN_MAX_DEPTH)
			return jscan_fail(j, "nested too deeply");
		r = jscan_array(j, out, role);
		j->depth--;
		return r;
	case '"':
		if (jscan_string(j, &s, &len))
			return -1;
		if (role == ROLE_ID)
			jscan_keep_id(out, s, len);
		return 0;
	case 't': case 'f': case 'n':
		return jscan_literal(j) < 0 ? -1 : 0;
	default:
		return jscan_number(j);
	}
}

int jscan_frame(const char *s, size_t n, struct jscan_frame *out, const char **err)
{
	struct jscan j = { s, s + n, NULL, 0 };

	memset(out, 0, sizeof(*out));
	out->terminal = -1;
	jscan_ws(&j);
	if (j.p >= j.end || *j.p != '{') {
		*err = "frame is not a JSON object";
		return -1;
	}
	if (jscan_value(&j, out, ROLE_TOP))
		goto bad;
	jscan_ws(&j);
	if (j.p != j.end) {
		jscan_fail(&j, "trailing characters after the object");
		goto bad;
	}
	return 0;
bad:
	*err = j.err ? j.err : "malformed JSON";
	return -1;
}
