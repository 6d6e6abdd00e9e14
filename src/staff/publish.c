/* publish.c - safe writes (see publish.h): the conflict check and the new
 * revision in one sqlite transaction, then the atomic file write, reload
 * and audit (docs/staff.md, "Safety of a publish"); where a managed file
 * lives; the revision fields of a file's answer. */
#include <microhttpd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "staff/audit.h"
#include "staff/publish.h"
#include "staff/request.h"
#include "staff/sys.h"
#include "staff/util.h"
#include "util/log.h"

static void internal(struct req *r, const char *what)
{
	log_err("staff: %s", what);
	staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "Interner Fehler.");
}

/* A write that failed for lack of space (507 disk_full) or with an I/O
 * error (500 write_failed); nothing was changed (docs/staff.md, "Errors"). */
static void write_failed(struct req *r, bool full, const char *what)
{
	log_err("staff: %s", what);
	if (full)
		staff_res_error(r, MHD_HTTP_INSUFFICIENT_STORAGE, "disk_full",
		                "Der Speicherplatz des Servers ist voll. Es wurde nichts geändert; "
		                "bitte versuchen Sie es später noch einmal.");
	else
		staff_res_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "write_failed",
		                "Die Änderung konnte nicht gespeichert werden (Schreibfehler auf dem "
		                "Server). Es wurde nichts geändert.");
}

/* A database error while publishing rel: a full disk or an I/O error as
 * above, else internal. */
static void store_failed(struct req *r, const char *rel)
{
	char what[700];
	enum store_fault f = store_fault(r->st->db);
	snprintf(what, sizeof(what), "publish of %s: %s", rel, store_error(r->st->db));
	if (f == STORE_FAULT_OTHER)
		internal(r, what);
	else
		write_failed(r, f == STORE_FAULT_FULL, what);
}

/* The file (or, for a .po, its .mo) could not be written: puts the old file
 * back if the new one was already in place, and takes the new revision back,
 * so the revisions and the disk agree and nothing half-written stays. If the
 * old file cannot be put back, the revision stays (it is what the disk has;
 * the start compiles a stale .mo again). */
static void undo_publish(struct staff *st, const struct publish *p, long long id, bool written,
                         const char *disk, size_t dlen, bool exists)
{
	char path[4096], err[512];
	if (written) {
		int rc = -1;
		if (exists)
			rc = sys_write_atomic(p->dir, p->name, disk, dlen, err, sizeof(err));
		else if (snprintf(path, sizeof(path), "%s/%s", p->dir, p->name) < (int)sizeof(path))
			rc = unlink(path);
		if (rc < 0) {
			log_err("staff: %s: cannot put the previous file back (%s); revision %lld stays, "
			        "as the disk has it", p->rel, exists ? err : strerror(errno), id);
			return;
		}
	}
	if (store_revision_delete(st->db, id) < 0)
		log_err("staff: %s: cannot take back revision %lld, whose file was not written: %s "
		        "(the next start writes it)", p->rel, id, store_error(st->db));
}

int staff_resolve(struct staff *st, const char *rel, char *tenant, size_t tlen, char *dir,
                  size_t dlen, char *name, size_t nlen)
{
	char buf[256], *t, *f;
	snprintf(buf, sizeof(buf), "%s", rel);
	if (!strncmp(buf, "po/", 3)) {
		f = buf + 3;
		size_t l = strlen(f);
		if (l < 4 || strcmp(f + l - 3, ".po"))
			return -1;
		f[l - 3] = '\0';
		if (!staff_id_ok(f))
			return -1;
		snprintf(tenant, tlen, "%s", "");
		snprintf(dir, dlen, "%s", st->po_dir);
		snprintf(name, nlen, "%s.po", f);
		return 0;
	}
	if (strncmp(buf, "flows/", 6) || !(t = buf + 6) || !(f = strchr(t, '/')))
		return -1;
	*f++ = '\0';
	size_t l = strlen(f);
	if (!staff_id_ok(t) || l < 6 || strcmp(f + l - 5, ".yaml") || strchr(f, '/'))
		return -1;
	f[l - 5] = '\0';
	if (!staff_id_ok(f))
		return -1;
	snprintf(tenant, tlen, "%s", t);
	snprintf(dir, dlen, "%s/%s", st->flows_dir, t);
	snprintf(name, nlen, "%s.yaml", f);
	return 0;
}

bool staff_same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

void staff_revision_fields(struct staff *st, const char *rel, const char *disk, size_t len,
                           bool exists, json_t *o)
{
	char hash[STAFF_HASH_HEX];
	long long latest = store_revision_latest(st->db, rel);
	bool changed = false;
	struct store_revision rv;
	if (latest > 0 && store_revision_get(st->db, latest, &rv) == 1) {
		changed = !exists || !staff_same(rv.content, rv.len, disk, len);
		store_revision_free(&rv);
	}
	if (exists)
		staff_hash_hex(disk, len, hash);
	json_object_set_new(o, "revision", latest > 0 ? json_integer(latest) : json_null());
	json_object_set_new(o, "hash", exists ? json_string(hash) : json_null());
	json_object_set_new(o, "changed_on_disk", json_boolean(changed));
}

bool staff_base(struct req *r, json_t *body, long long *rev, const char **hash)
{
	json_t *br = json_object_get(body, "base_revision");
	json_t *bh = json_object_get(body, "base_hash");
	if (!br || !(json_is_null(br) || json_is_integer(br)) ||
	    (bh && !json_is_null(bh) && !json_is_string(bh))) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                  "\"base_revision\" (Zahl oder null) fehlt, oder \"base_hash\" ist kein "
		                  "Text.");
		return false;
	}
	*rev = json_is_integer(br) ? (long long)json_integer_value(br) : 0;
	*hash = !bh ? NULL : json_is_null(bh) ? "" : json_string_value(bh);
	return true;
}

static void conflict(struct req *r, long long latest, bool exists, const char *hash)
{
	json_t *o = json_pack("{s:s,s:s}", "error", "conflict", "message",
	                      "Die Datei wurde inzwischen geändert. Bitte laden Sie sie neu und "
	                      "übernehmen Sie Ihre Änderungen.");
	json_object_set_new(o, "revision", latest > 0 ? json_integer(latest) : json_null());
	json_object_set_new(o, "hash", exists ? json_string(hash) : json_null());
	staff_res_json(r, MHD_HTTP_CONFLICT, o);
}

/* Inside the transaction: records the disk state as a revision when it is
 * not the latest one. Returns the parent for the new revision, or -1. */
static long long disk_parent(struct staff *st, const struct publish *p, const char *disk,
                             size_t dlen, bool exists, long long latest, long long now)
{
	if (!exists)
		return latest;
	if (latest > 0) {
		struct store_revision lr;
		int found = store_revision_get(st->db, latest, &lr);
		bool differs = found != 1 || !staff_same(lr.content, lr.len, disk, dlen);
		if (found == 1)
			store_revision_free(&lr);
		if (found < 0)
			return -1;
		if (!differs)
			return latest;
	}
	return store_revision_add(st->db, p->tenant, p->rel, disk, dlen, "disk",
	                          latest > 0 ? "Auf der Festplatte geändert"
	                                     : "Stand vor der ersten Änderung im Mitarbeiterbereich",
	                          now, latest);
}

/* The conflict check and the revision, in one transaction. Returns the new
 * id, 0 after answering 409, or -1. */
static long long store_new(struct req *r, const struct publish *p, const char *disk, size_t dlen,
                           bool exists)
{
	struct staff *st = r->st;
	char dhash[STAFF_HASH_HEX] = "";
	long long now = (long long)time(NULL), id = -1;
	if (exists)
		staff_hash_hex(disk, dlen, dhash);
	if (store_tx_begin(st->db) < 0)
		return -1;
	long long latest = store_revision_latest(st->db, p->rel);
	if (latest < 0)
		goto fail;
	if ((p->check_revision && latest != p->base_revision) ||
	    (p->base_hash && (p->base_hash[0] ? !exists || strcmp(dhash, p->base_hash) : exists))) {
		store_tx_rollback(st->db);
		conflict(r, latest, exists, dhash);
		return 0;
	}
	long long parent = disk_parent(st, p, disk, dlen, exists, latest, now);
	if (parent < 0)
		goto fail;
	id = store_revision_add(st->db, p->tenant, p->rel, p->content, p->len, r->sess.name,
	                        p->message, now, parent);
	if (id < 0 || store_tx_commit(st->db) < 0)
		goto fail;
	return id;
fail:
	store_tx_rollback(st->db);
	return -1;
}

static unsigned long generation(void)
{
	struct content *c = content_current();
	unsigned long g = c ? c->generation : 0;
	content_unref(c);
	return g;
}

void staff_publish(struct req *r, const struct publish *p, unsigned ok_status)
{
	struct staff *st = r->st;
	char path[4096], err[512], hash[STAFF_HASH_HEX];
	char *disk = NULL;
	size_t dlen = 0;
	bool exists = false;
	if (snprintf(path, sizeof(path), "%s/%s", p->dir, p->name) < (int)sizeof(path))
		exists = sys_read_file(path, STAFF_FILE_MAX, &disk, &dlen) == 0;
	else
		errno = ENAMETOOLONG;
	if (!exists && errno != ENOENT) {
		log_err("staff: %s: %s", path, strerror(errno));
		internal(r, "cannot read the file");
		goto out;
	}
	long long id = store_new(r, p, disk, dlen, exists);
	if (id <= 0) {
		if (id < 0)
			store_failed(r, p->rel);
		goto out;
	}
	sys_crash_point("after_revision");
	bool written = sys_write_atomic(p->dir, p->name, p->content, p->len, err, sizeof(err)) == 0;
	if (!written || (p->after && p->after(st, p->after_ud, err, sizeof(err)) < 0)) {
		int e = errno;
		undo_publish(st, p, id, written, disk, dlen, exists);
		staff_audit(st, r->sess.name, p->action, "%s revision %lld not written: %s", p->rel, id,
		            err);
		char what[700];
		snprintf(what, sizeof(what), "publish of %s: %s", p->rel, err);
		write_failed(r, e == ENOSPC || e == EDQUOT, what);
		goto out;
	}
	if (st->reload(st->reload_ud, st->db) < 0) {
		staff_audit(st, r->sess.name, p->action, "%s revision %lld written, reload failed",
		            p->rel, id);
		json_t *o = json_pack("{s:s,s:s,s:I}", "error", "reload_failed", "message",
		                      "Gespeichert, aber das Neuladen ist fehlgeschlagen; die vorige "
		                      "Fassung bleibt aktiv. Details stehen im Server-Protokoll.",
		                      "revision", (json_int_t)id);
		staff_res_json(r, MHD_HTTP_INTERNAL_SERVER_ERROR, o);
		goto out;
	}
	staff_hash_hex(p->content, p->len, hash);
	staff_audit(st, r->sess.name, p->action, "%s revision %lld%s%s", p->rel, id,
	            p->message && *p->message ? ": " : "", p->message ? p->message : "");
	staff_res_json(r, ok_status,
	                 json_pack("{s:b,s:I,s:s,s:I}", "ok", 1, "revision", (json_int_t)id, "hash",
	                           hash, "generation", (json_int_t)generation()));
out:
	free(disk);
}

