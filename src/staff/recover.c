/* recover.c - at start: finishes publishes a crash interrupted, compiles
 * catalogues whose .mo is older than their .po, and removes left-over
 * temporary files (docs/staff.md, "Safety of a publish"). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "staff/catalog.h"
#include "staff/publish.h"
#include "staff/recover.h"
#include "staff/sys.h"
#include "util/log.h"


struct rec_list {
	char **paths;
	size_t n, cap;
};

/* Appends a copy of path to the list (freed by staff_recover). */
static void rec_add(void *ud, const char *path, long long latest)
{
	(void)latest;
	struct rec_list *l = ud;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **np = realloc(l->paths, cap * sizeof(*np));
		if (!np)
			return;
		l->paths = np;
		l->cap = cap;
	}
	if ((l->paths[l->n] = strdup(path)))
		l->n++;
}

/* True when mo_dir/<lang>.mo is missing or older than po_path (lang without ".po"). */
static bool mo_stale(struct staff *st, const char *po_path, const char *lang)
{
	char mo[4096];
	struct stat a, b;
	snprintf(mo, sizeof(mo), "%s/%s.mo", st->mo_dir, lang);
	return stat(po_path, &a) == 0 && (stat(mo, &b) != 0 || b.st_mtim.tv_sec < a.st_mtim.tv_sec ||
	                                  (b.st_mtim.tv_sec == a.st_mtim.tv_sec &&
	                                   b.st_mtim.tv_nsec < a.st_mtim.tv_nsec));
}

/* Decides for one path whether the latest revision must be written. */
static void recover_one(struct staff *st, const char *rel)
{
	char tenant[80], dir[4096], name[128], path[4200], err[512];
	struct store_revision rv = {0}, pv = {0};
	char *disk = NULL;
	size_t dlen = 0;
	if (staff_resolve(st, rel, tenant, sizeof(tenant), dir, sizeof(dir), name, sizeof(name)) < 0)
		return;
	long long latest = store_revision_latest(st->db, rel);
	if (latest <= 0 || store_revision_get(st->db, latest, &rv) != 1)
		goto out;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		goto out;
	bool exists = sys_read_file(path, STAFF_FILE_MAX, &disk, &dlen) == 0;
	if (exists && staff_same(disk, dlen, rv.content, rv.len))
		goto po;
	bool roll = !exists && rv.parent == 0;
	if (exists && rv.parent > 0 && store_revision_get(st->db, rv.parent, &pv) == 1)
		roll = staff_same(disk, dlen, pv.content, pv.len);
	if (!roll) {
		log_info("staff: %s differs from its revision %lld (changed on disk; kept as it is)",
		         rel, latest);
		goto out;
	}
	if (sys_write_atomic(dir, name, rv.content, rv.len, err, sizeof(err)) < 0) {
		log_err("staff: cannot finish the interrupted publish of %s: %s", rel, err);
		goto out;
	}
	log_warn("staff: finished an interrupted publish of %s (revision %lld)", rel, latest);
po:
	if (!tenant[0]) {
		char lang[64];
		snprintf(lang, sizeof(lang), "%.*s", (int)(strlen(name) - 3), name);
		if (mo_stale(st, path, lang) && staff_install_mo(st, path, lang, err, sizeof(err)) < 0)
			log_err("staff: %s", err);
	}
out:
	free(disk);
	store_revision_free(&rv);
	store_revision_free(&pv);
}

static void remove_temps_below(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;
	int n = sys_remove_temps(root);
	while (d && (e = readdir(d))) {
		char sub[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", root, e->d_name);
		n += sys_remove_temps(sub);
	}
	if (d)
		closedir(d);
	if (n)
		log_info("staff: removed %d left-over temporary file%s under %s", n, n == 1 ? "" : "s",
		         root);
}

void staff_recover(struct staff *st)
{
	struct rec_list l = {0};
	remove_temps_below(st->flows_dir);
	sys_remove_temps(st->po_dir);
	sys_remove_temps(st->mo_dir);
	if (store_revision_paths(st->db, rec_add, &l) < 0)
		log_err("staff: %s", store_error(st->db));
	for (size_t i = 0; i < l.n; i++) {
		recover_one(st, l.paths[i]);
		free(l.paths[i]);
	}
	free(l.paths);
}

