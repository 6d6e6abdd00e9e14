/* scan.c - finding and loading tenant folders; see scan.h. */
#include "content/scan.h"

#include "content/budget.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool scan_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool scan_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the names in dir that pass keep(), sorted. Caller frees each name
 * and the array. Returns the count, or -1 if dir cannot be read. */
static int list_dir(const char *dir, bool (*keep)(const char *dir, const char *name), char ***out)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.' || !keep(dir, e->d_name))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nn = realloc(names, ncap * sizeof(*nn));
			if (!nn)
				break;
			names = nn;
			cap = ncap;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	return (int)n;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool is_flow_file(const char *dir, const char *name)
{
	size_t l = strlen(name);
	char p[4096];
	if (l < 6 || strcmp(name + l - 5, ".yaml") != 0)
		return false;
	if (!strcmp(name, "tenant.yaml") || !strcmp(name, "offers.yaml"))
		return false;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return scan_is_file(p);
}

static bool is_tenant_dir(const char *dir, const char *name)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s/tenant.yaml", dir, name);
	return scan_is_file(p);
}

/* Display name for diagnostics: the path as given (e.g. flows/x/main.yaml). */
static void join(char *buf, size_t len, const char *a, const char *b)
{
	size_t al = strlen(a);
	while (al > 1 && a[al - 1] == '/')
		al--;
	snprintf(buf, len, "%.*s/%s", (int)al, a, b);
}

static int load_flows(const char *dir, struct tenant_content *tc, struct diag *d)
{
	char **names;
	int n = list_dir(dir, is_flow_file, &names);
	int rc = 0;
	if (n < 0) {
		diag_add(d, dir, 0, 0, "cannot read folder");
		return -1;
	}
	tc->flows = calloc(n ? (size_t)n : 1, sizeof(*tc->flows));
	for (int i = 0; tc->flows && i < n; i++) {
		char path[4096];
		join(path, sizeof(path), dir, names[i]);
		struct flow *f = flow_load(path, path, d);
		if (f)
			tc->flows[tc->nflows++] = f;
		else
			rc = -1;
	}
	if (!tc->flows)
		rc = -1;
	free_names(names, n);
	return rc;
}

int scan_tenant(const char *dir, const char *id, struct tenant_content *tc, struct diag *d)
{
	char path[4096];
	size_t before = diag_count(d);
	memset(tc, 0, sizeof(*tc));
	join(path, sizeof(path), dir, "tenant.yaml");
	tc->tenant = tenant_load(path, path, id, d);
	load_flows(dir, tc, d);
	join(path, sizeof(path), dir, "offers.yaml");
	if (scan_is_file(path))
		tc->offers = offers_load(path, path, d);
	else
		diag_add(d, path, 0, 0, "missing: every tenant needs an offers.yaml");
	if (diag_count(d) == before && tc->tenant)
		tenant_check_flows(tc->tenant, tc->flows, tc->nflows, d);
	if (diag_count(d) == before && tc->tenant)   /* the source texts; translations: content.c */
		budget_check_tenant(tc, NULL, NULL, d);
	return diag_count(d) == before ? 0 : -1;
}

/* Frees the tenant, its flows and offers. */
void scan_tenant_free(struct tenant_content *tc)
{
	for (size_t i = 0; i < tc->nflows; i++)
		flow_free(tc->flows[i]);
	free(tc->flows);
	offer_list_free(tc->offers);
	tenant_free(tc->tenant);
	memset(tc, 0, sizeof(*tc));
}

int scan_tenants(const char *root, struct tenant_content **out, size_t *n, struct diag *d)
{
	char **names;
	int count = list_dir(root, is_tenant_dir, &names);
	int rc = 0;
	*out = NULL;
	*n = 0;
	if (count < 0) {
		diag_add(d, root, 0, 0, "cannot read the flows folder");
		return -1;
	}
	*out = calloc(count ? (size_t)count : 1, sizeof(**out));
	if (!*out)
		rc = -1;
	for (int i = 0; *out && i < count; i++) {
		char dir[4096];
		join(dir, sizeof(dir), root, names[i]);
		if (scan_tenant(dir, names[i], &(*out)[*n], d) != 0)
			rc = -1;
		(*n)++;
	}
	free_names(names, count);
	return rc;
}

static const char *node_role(enum node_kind k)
{
	switch (k) {
	case NODE_ASK: return "Question shown to the person";
	case NODE_SAY: return "Information message";
	case NODE_OFFERS: return "Text above the list of matching offers";
	case NODE_PERSON: return "Text above the office's contact (talk to a person)";
	case NODE_END: return "Closing message at the end of a conversation";
	default: return NULL;
	}
}

static void each(scan_text_fn fn, void *ud, const struct text *t, const char *file,
                 const char *role)
{
	if (t->msgid && *t->msgid)
		fn(ud, t, file, role);
}

void scan_each_text(const struct tenant_content *tc, scan_text_fn fn, void *ud)
{
	const struct tenant *t = tc->tenant;
	each(fn, ud, &t->name, t->file, "Name of the education office");
	each(fn, ud, &t->contact.name, t->file, "Name of the office's contact point");
	each(fn, ud, &t->contact.hours, t->file, "Opening hours of the office");
	for (size_t f = 0; f < tc->nflows; f++) {
		const struct flow *fl = tc->flows[f];
		each(fn, ud, &fl->title, fl->file, "Title of a conversation (flow)");
		for (size_t n = 0; n < fl->nnodes; n++) {
			const struct node *nd = &fl->nodes[n];
			each(fn, ud, &nd->text, fl->file, node_role(nd->kind));
			each(fn, ud, &nd->none, fl->file, "Shown when no offer matches");
			for (size_t c = 0; c < nd->nchoices; c++)
				each(fn, ud, &nd->choices[c].label, fl->file, "Answer button (keep it short)");
		}
	}
	for (size_t i = 0; tc->offers && i < tc->offers->n; i++) {
		const struct offer *o = &tc->offers->offers[i];
		const char *file = tc->offers->file;
		each(fn, ud, &o->title, file, "Title of an offer card");
		each(fn, ud, &o->description, file, "What the offer is and for whom");
		each(fn, ud, &o->hours, file, "When: opening hours or dates of an offer");
		each(fn, ud, &o->cost, file, "Cost of an offer");
	}
}
