/* publish.h - safe writes of the files the staff area manages (publish.c):
 * conflict check and revision in one transaction, atomic write, reload,
 * audit; where a managed file lives. Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_PUBLISH_H
#define LOTSE_STAFF_PUBLISH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "staff/result.h"

/* What a file kind needs after its file was written (the .po: install the
 * compiled .mo). Returns 0 or -1 with err. */
typedef int (*staff_after_write)(struct staff *st, void *ud, char *err, size_t errlen);

struct publish {
	const char *tenant;        /* "" for catalogues */
	const char *rel;           /* flows/<t>/<file> or po/<lang>.po */
	const char *dir, *name;    /* the real folder and file name */
	const char *content;
	size_t len;
	const char *message;
	bool check_revision;       /* compare base_revision with the latest */
	long long base_revision;   /* 0: none yet */
	const char *base_hash;     /* NULL: not checked; "": the file must not exist */
	const char *action;        /* audit action */
	staff_after_write after;
	void *after_ud;
};

/* Stores a revision and writes the file (see docs/staff.md: conflict
 * check, revision, atomic write, reload, audit); the result is 200/201
 * (ok_status), 409 or 500. */
void staff_publish(struct req *r, const struct publish *p, unsigned ok_status);
/* The repository-relative path of a file and its real place. Returns 0, or
 * -1 when rel names no file the staff area manages. */
int staff_resolve(struct staff *st, const char *rel, char *tenant, size_t tlen, char *dir,
                  size_t dlen, char *name, size_t nlen);
/* Latest revision id of rel and whether the disk content differs from it;
 * fills the fields "revision", "hash", "changed_on_disk" of o. */
void staff_revision_fields(struct staff *st, const char *rel, const char *disk, size_t len,
                           bool exists, json_t *o);
/* Reads "base_revision" (required: a number or null) and "base_hash"
 * (absent: not checked; null: the file must not exist yet; else a hash)
 * from body. Sets 400 and returns false when malformed. */
bool staff_base(struct req *r, json_t *body, long long *rev, const char **hash);
/* True when a[0..alen) and b[0..blen) are the same bytes. */
bool staff_same(const char *a, size_t alen, const char *b, size_t blen);

#endif
