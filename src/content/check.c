/* check.c - `lotse check`: validate content files without a server. */
#include "content/content.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/scan.h"

/* Checks one flow file. If it sits in a tenant folder, the whole folder is
 * checked (gotos and reachability span its flows); otherwise the file
 * alone, as its own start flow. */
static void check_file(const char *path, struct diag *d)
{
	char *copy = strdup(path), *copy2 = strdup(path);
	if (!copy || !copy2)
		goto out;
	const char *name = basename(copy);
	const char *dir = dirname(copy2);
	char tenant_yaml[4096];
	snprintf(tenant_yaml, sizeof(tenant_yaml), "%s/tenant.yaml", dir);
	if (!strcmp(name, "offers.yaml")) {
		offer_list_free(offers_load(path, path, d));
	} else if (scan_is_file(tenant_yaml)) {
		struct tenant_content tc;
		char *dir3 = strdup(dir);
		if (dir3) {
			scan_tenant(dir, basename(dir3), &tc, d);
			scan_tenant_free(&tc);
			free(dir3);
		}
	} else {
		struct flow *f = flow_load(path, path, d);
		if (f)
			flows_check_graph(&f, 1, f->id, d);
		flow_free(f);
	}
out:
	free(copy);
	free(copy2);
}

size_t content_check(const char *const *paths, size_t npaths, struct diag *d)
{
	size_t before = diag_count(d);
	for (size_t i = 0; i < npaths; i++) {
		const char *p = paths[i];
		char tenant_yaml[4096];
		snprintf(tenant_yaml, sizeof(tenant_yaml), "%s/tenant.yaml", p);
		if (scan_is_dir(p) && scan_is_file(tenant_yaml)) {
			struct tenant_content tc;
			memset(&tc, 0, sizeof(tc));
			char *copy = strdup(p);
			size_t l = copy ? strlen(copy) : 0;
			while (l > 1 && copy[l - 1] == '/')
				copy[--l] = '\0';
			if (copy)
				scan_tenant(p, basename(copy), &tc, d);
			scan_tenant_free(&tc);
			free(copy);
		} else if (scan_is_dir(p)) {
			struct tenant_content *tcs;
			size_t n;
			scan_tenants(p, &tcs, &n, d);
			if (tcs && n == 0)
				diag_add(d, p, 0, 0, "no tenant folders (with tenant.yaml) found");
			for (size_t k = 0; k < n; k++)
				scan_tenant_free(&tcs[k]);
			free(tcs);
		} else if (scan_is_file(p)) {
			check_file(p, d);
		} else {
			diag_add(d, p, 0, 0, "no such file or folder");
		}
	}
	return diag_count(d) - before;
}
