/* schema_contact.c - field readers for tenant.yaml and offers.yaml: language
 * code lists (checked against src/i18n/lang.c) and the shapes of phone
 * numbers, email and web addresses. See schema.h. */
#include <string.h>

#include "flow/schema.h"
#include "i18n/lang.h"

bool sc_langs(struct schema *s, const char *name, const struct ynode *v, const char ***out,
              size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!sc_is_list(s, name, v))
		return false;
	if (v->nitems == 0) {
		sc_err(s, v, "\"%s\" must not be empty", name);
		return false;
	}
	const char **l = arena_alloc(s->a, v->nitems * sizeof(*l));
	if (!l) {
		sc_oom(s);
		return false;
	}
	const struct lang *seen[64];   /* distinct known languages so far */
	size_t nseen = 0;
	bool ok = true;
	for (size_t i = 0; i < v->nitems; i++) {
		char b[80];
		const struct lang *lang = NULL;
		l[i] = sc_string(s, name, v->items[i]);
		if (l[i] && !(lang = lang_find(l[i])))
			sc_err(s, v->items[i], "unknown language \"%s\"", sc_short(l[i], b, sizeof(b)));
		ok = ok && lang;
		size_t j = 0;
		while (lang && j < nseen && seen[j] != lang)
			j++;
		if (lang && j < nseen) {
			sc_err(s, v->items[i], "duplicate language \"%s\"", lang->code);
			ok = false;
		} else if (lang && nseen < sizeof(seen) / sizeof(seen[0])) {
			seen[nseen++] = lang;
		}
	}
	*out = l;
	*n = v->nitems;
	return ok;
}

static bool phone_ok(const char *p)
{
	int digits = 0;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" +-/()", *p))
			return false;
	}
	return digits >= 5;
}

bool sc_phone(struct schema *s, const struct ynode *v, const char **out)
{
	char b[80];
	*out = sc_string(s, "phone", v);
	if (!*out)
		return false;
	if (phone_ok(*out))
		return true;
	sc_err(s, v, "invalid phone number \"%s\" (digits, spaces and + - / ( ), at least 5 digits)",
	       sc_short(*out, b, sizeof(b)));
	return false;
}

static bool has_space(const char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return true;
	return false;
}

static bool email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@') || has_space(e))
		return false;
	const char *dom = at + 1;
	const char *dot = strchr(dom, '.');
	size_t dl = strlen(dom);
	return dot && dot != dom && dl > 0 && dom[dl - 1] != '.';
}

bool sc_email(struct schema *s, const struct ynode *v, const char **out)
{
	char b[80];
	*out = sc_string(s, "email", v);
	if (!*out)
		return false;
	if (email_ok(*out))
		return true;
	sc_err(s, v, "invalid email address \"%s\"", sc_short(*out, b, sizeof(b)));
	return false;
}

static bool web_ok(const char *w)
{
	const char *host;
	if (strncmp(w, "https://", 8) == 0)
		host = w + 8;
	else if (strncmp(w, "http://", 7) == 0)
		host = w + 7;
	else
		return false;
	size_t hl = strcspn(host, "/?#");
	return hl > 0 && !has_space(w) && host[0] != '.' && host[0] != ':';
}

bool sc_web(struct schema *s, const struct ynode *v, const char **out)
{
	char b[80];
	*out = sc_string(s, "web", v);
	if (!*out)
		return false;
	if (web_ok(*out))
		return true;
	sc_err(s, v, "invalid web address \"%s\" (http:// or https:// and a host)",
	       sc_short(*out, b, sizeof(b)));
	return false;
}
