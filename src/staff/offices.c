/* offices.c - office lists of staff accounts (see offices.h). */
#include <dirent.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "staff/offices.h"
#include "store/store.h"

bool staff_offices_has(const char *offices, const char *tenant)
{
	size_t tl = strlen(tenant);
	if (!strcmp(offices, "*"))
		return true;
	for (const char *p = offices; *p;) {
		size_t len = strcspn(p, ",");
		if (len == tl && tl && !memcmp(p, tenant, tl))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

bool staff_role_ok(const char *role)
{
	return !strcmp(role, "editor") || !strcmp(role, "viewer") || !strcmp(role, "admin");
}

/* True when flows_dir/<id>/tenant.yaml is a file and id a plain name. */
static bool tenant_exists(const char *flows_dir, const char *id)
{
	char p[4096];
	struct stat sb;
	size_t n = strlen(id);
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	if (n < 1 || n > 64 || snprintf(p, sizeof(p), "%s/%s/tenant.yaml", flows_dir, id) >=
	                                   (int)sizeof(p))
		return false;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The tenant folders that exist, sorted by name and joined by ", ". */
static void existing(const char *flows_dir, char *out, size_t n)
{
	struct dirent **list = NULL;
	int k = scandir(flows_dir, &list, NULL, alphasort);
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < k; i++) {
		if (list[i]->d_name[0] != '.' && tenant_exists(flows_dir, list[i]->d_name) && used < n)
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? ", " : "",
			                         list[i]->d_name);
	}
	for (int i = 0; i < k; i++)
		free(list[i]);
	free(list);
	if (!out[0])
		snprintf(out, n, "(none)");
}

int staff_offices_join(const char *flows_dir, const char *const *names, size_t n, char *out,
                       size_t outlen, char *err, size_t errlen)
{
	size_t used = 0;
	char have[1024];
	if (n == 0) {
		snprintf(err, errlen, "at least one office (--office T, or '*' for all) is needed");
		return -1;
	}
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(names[i], "*")) {
			snprintf(out, outlen, "*");
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!tenant_exists(flows_dir, names[i])) {
			existing(flows_dir, have, sizeof(have));
			snprintf(err, errlen, "no office \"%.64s\" under %s; the offices are: %s", names[i],
			         flows_dir, have);
			return -1;
		}
		if (staff_offices_has(out, names[i]) && used)
			continue;
		int w = snprintf(out + used, outlen - used, "%s%s", used ? "," : "", names[i]);
		if (w < 0 || (size_t)w >= outlen - used) {
			snprintf(err, errlen, "too many offices");
			return -1;
		}
		used += (size_t)w;
	}
	return 0;
}

bool staff_account_name_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '@' || c == '-'))
			return false;
	}
	return n >= 1 && n <= STORE_NAME_MAX;
}
