/* trial.c - a draft checked in a temporary copy of its tenant (the
 * validator of `lotse check`) and published as a file of the tenant (used
 * by flows, offers and rollbacks). */
#include <microhttpd.h>
#include <stdio.h>
#include <sys/stat.h>

#include "content/scan.h"
#include "staff/publish.h"
#include "staff/sys.h"
#include "staff/trial.h"

static void internal(struct req *r, const char *what)
{
	staff_res_internal(r, what);
}

int staff_trial(struct req *r, const char *tenant, const char *name, const char *content,
                size_t len, struct tenant_content *tc)
{
	struct staff *st = r->st;
	char tmp[4096], tdir[4200], src[4200], file[4400], prefix[4100];
	struct diag d;
	struct tenant_content loaded;
	int rc = -1;
	diag_init(&d);
	if (sys_mkdtemp(tmp, sizeof(tmp)) < 0) {
		internal(r, "cannot make a temporary folder");
		return -1;
	}
	snprintf(tdir, sizeof(tdir), "%s/%s", tmp, tenant);
	snprintf(src, sizeof(src), "%s/%s", st->flows_dir, tenant);
	snprintf(file, sizeof(file), "%s/%s", tdir, name);
	snprintf(prefix, sizeof(prefix), "%s/", tmp);
	if (mkdir(tdir, 0700) != 0 || sys_copy_yaml(src, tdir) != 0 ||
	    sys_write_file(file, content, len) != 0) {
		internal(r, "cannot copy the tenant for a check");
		goto out;
	}
	if (scan_tenant(tdir, tenant, &loaded, &d) != 0 || diag_count(&d)) {
		scan_tenant_free(&loaded);
		staff_res_invalid(r, &d, prefix, "flows/", NULL);
		goto out;
	}
	if (tc)
		*tc = loaded;
	else
		scan_tenant_free(&loaded);
	rc = 0;
out:
	diag_free(&d);
	sys_remove_dir(tdir);
	sys_remove_dir(tmp);
	return rc;
}

void staff_publish_tenant_file(struct req *r, const char *tenant, const char *name,
                               const char *content, size_t len, const char *message,
                               long long base_revision, const char *base_hash,
                               const char *action, unsigned ok_status)
{
	char rel[256], dir[4096];
	if (staff_trial(r, tenant, name, content, len, NULL) < 0)
		return;
	snprintf(rel, sizeof(rel), "flows/%s/%s", tenant, name);
	snprintf(dir, sizeof(dir), "%s/%s", r->st->flows_dir, tenant);
	struct publish p = {
		.tenant = tenant, .rel = rel, .dir = dir, .name = name, .content = content, .len = len,
		.message = message ? message : "", .check_revision = true,
		.base_revision = base_revision, .base_hash = base_hash, .action = action,
	};
	staff_publish(r, &p, ok_status);
}

