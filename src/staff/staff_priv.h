/* staff_priv.h - the inside of the staff area, shared by its files:
 * api.c (requests, responses, routing, static files), auth.c (login,
 * sessions, CSRF, audit), publish.c (revisions, atomic writes, reload,
 * recovery), flows.c, offers_api.c, i18n_api.c, preview.c. Not for use
 * outside src/staff/. */
#ifndef LOTSE_STAFF_PRIV_H
#define LOTSE_STAFF_PRIV_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "staff/staff.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/strbuf.h"

#define STAFF_BODY_MAX (2u << 20)        /* request bodies */
#define STAFF_FILE_MAX (4u << 20)        /* files read for editing */
#define STAFF_HASH_HEX 65                /* BLAKE2b-256 in hex + NUL */
#define STAFF_MAX_SEGS 8
#define STAFF_FAIL_WINDOW (15 * 60)
#define STAFF_FAIL_ACCOUNT 5
#define STAFF_FAIL_ADDR 20
#define STAFF_PREVIEW_SECS (15 * 60)
#define STAFF_LOGIN_FAILED "Anmeldung fehlgeschlagen"

struct staff {
	struct store *db;
	char *flows_dir, *po_dir, *ui_dir, *mo_dir;
	const struct content_options *copts;
	int timeout;
	bool secure;
	int (*reload)(void *ud, struct store *db);
	void *reload_ud;
	char *kiosk_host;
	atomic_int kiosk_port;     /* 0 until the kiosk page listens */
	char dummy_hash[128];      /* verified for unknown names: same timing */
	struct staff_login_state *login;   /* login.c (owned) */
};

struct req {
	struct staff *st;
	struct MHD_Connection *c;
	const char *method;
	char url[512];
	struct strbuf body;
	bool too_large;
	bool answered;
	enum MHD_Result result;
	/* /api/ path split into segments */
	char path[512];
	const char *seg[STAFF_MAX_SEGS];
	size_t nseg;
	/* the logged-in account */
	bool authed;
	struct store_session sess;
	char sid_hash[STAFF_HASH_HEX];
	struct login_job *login;   /* login.c: a login waiting for its password check (owned) */
};

/* ---- api.c: answers (each queues one response; the first one counts) ---- */

/* Common security headers for API answers. */
void staff_api_headers(struct MHD_Response *resp, const char *type);
/* Queues resp (with status) and drops our reference. */
void staff_send(struct req *r, unsigned status, struct MHD_Response *resp);
/* Sends bytes (copied) with type; returns nothing, check r->answered. */
void staff_reply_bytes(struct req *r, unsigned status, const char *type, const void *data,
                       size_t len);
/* Sends a JSON object (takes over the reference). */
void staff_reply_json(struct req *r, unsigned status, json_t *o);
/* {"error": code, "message": message} */
void staff_reply_error(struct req *r, unsigned status, const char *code, const char *message);
/* 422 with every diagnostic of d as {"file","line","col","message"}; file
 * names pass through staff_display (may be NULL). */
void staff_reply_invalid(struct req *r, struct diag *d, const char *tmp_prefix,
                         const char *display_prefix, json_t *extra);
/* The JSON object body (Content-Type must be application/json), or NULL
 * after answering 415/400. Caller decrefs. */
json_t *staff_body_json(struct req *r);
/* A string field of o, or NULL (absent, null or not a string). */
const char *staff_jstr(json_t *o, const char *key);
/* A JSON string of buf[0..n) with invalid UTF-8 replaced by U+FFFD. */
json_t *staff_jtext(const char *buf, size_t n);
/* A query parameter, or NULL. */
const char *staff_query(struct req *r, const char *key);
/* The kiosk page's origin as the browser of request r reaches it
 * ("http://host:port"), into out. Returns 0, or -1 when unknown yet. */
int staff_kiosk_origin(struct req *r, char *out, size_t n);
/* Hex BLAKE2b-256 of data into out (STAFF_HASH_HEX bytes). */
void staff_hash_hex(const void *data, size_t len, char *out);
/* True for ids, file stems and language codes: [A-Za-z0-9_-], 1-64. */
bool staff_id_ok(const char *s);
/* Answers 405 unless the method is one of the listed ("GET", ...). */
bool staff_method(struct req *r, const char *a, const char *b);

/* ---- auth.c ---- */

/* Starts a session for account a (its cookie and CSRF token), writes the
 * audit entry and answers 200. Returns 0, or -1 without answering when the
 * session cannot be stored. */
int staff_session_start(struct req *r, const struct store_account *a, const char *addr,
                        long long now);
void staff_logout(struct req *r);
void staff_session_info(struct req *r);
/* Checks the session cookie (and the CSRF token for POST/PUT); answers
 * 401/403 and returns false when not allowed. */
bool staff_authenticate(struct req *r);
/* Answers 403 and returns false unless the account is an editor. */
bool staff_need_editor(struct req *r);
/* Writes an audit entry for the logged-in account (or name). */
void staff_audit(struct staff *st, const char *account, const char *action, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
void staff_audit_list(struct req *r);

/* ---- publish.c ---- */

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
 * check, revision, atomic write, reload, audit) and answers the request
 * (200/201, 409, 500). */
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
 * from body. Answers 400 and returns false when malformed. */
bool staff_base(struct req *r, json_t *body, long long *rev, const char **hash);
/* Finishes interrupted publishes and removes temporary files (start). */
void staff_recover(struct staff *st);
void staff_revisions_list(struct req *r, const char *rel);
void staff_revision_get(struct req *r);
void staff_revision_diff(struct req *r);
void staff_revision_rollback(struct req *r);

/* ---- flows.c ---- */

void staff_tenants(struct req *r);
/* /api/flows/<t>/<f>[/...] */
void staff_flows(struct req *r);
/* Builds a temporary copy of the tenant with `name` replaced by content
 * and validates it as `lotse check` does. On success returns 0 and, when
 * tc is not NULL, the loaded tenant in *tc (caller frees with
 * scan_tenant_free). Otherwise answers 422 (or 500) and returns -1. */
int staff_trial(struct req *r, const char *tenant, const char *name, const char *content,
                size_t len, struct tenant_content *tc);
/* Re-validates and publishes content as dir/name of a tenant (used by
 * publish, rollback and the offers). */
void staff_publish_tenant_file(struct req *r, const char *tenant, const char *name,
                               const char *content, size_t len, const char *message,
                               long long base_revision, const char *base_hash,
                               const char *action, unsigned ok_status);

/* ---- offers_api.c ---- */

void staff_offers(struct req *r);

/* ---- i18n_api.c ---- */

void staff_translations(struct req *r);
void staff_po(struct req *r);
/* Checks a .po (msgfmt --check, our PO and .mo readers) and publishes it
 * with its compiled .mo. */
void staff_publish_po(struct req *r, const char *lang, const char *content, size_t len,
                      const char *message, bool check_revision, long long base_revision,
                      const char *base_hash, const char *action);
/* Compiles dir/<lang>.po into the catalogues folder (recovery). */
int staff_install_mo(struct staff *st, const char *po_path, const char *lang, char *err,
                     size_t errlen);

/* ---- preview.c ---- */

/* Keeps c (takes over the reference) under a new random token (written to
 * token, STAFF_TOKEN_LEN + 1 bytes) for STAFF_PREVIEW_SECS. Returns the
 * expiry time, or -1. */
long long staff_preview_put(struct content *c, char *token);
/* Drops every preview. */
void staff_preview_clear(void);

#endif
