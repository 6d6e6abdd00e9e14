/* state.h - the staff area's state (struct staff: database connection,
 * folders, settings) and its limits, shared by the files of src/staff/.
 * Declares no functions. Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_STATE_H
#define LOTSE_STAFF_STATE_H

#include <stdatomic.h>
#include <stdbool.h>

#include "content/content.h"
#include "store/store.h"

#define STAFF_BODY_MAX (2u << 20)        /* request bodies */
#define STAFF_FILE_MAX (4u << 20)        /* files read for editing */
#define STAFF_HASH_HEX 65                /* BLAKE2b-256 in hex + NUL */
#define STAFF_MAX_SEGS 8
#define STAFF_FAIL_WINDOW (15 * 60)
#define STAFF_FAIL_ACCOUNT 5
#define STAFF_FAIL_ADDR 20
#define STAFF_PREVIEW_SECS (15 * 60)
#define STAFF_PREVIEW_TABLE 256          /* preview tokens at most (preview_max's cap) */
#define STAFF_PREVIEW_TOTAL 64           /* preview_max's default */
#define STAFF_PREVIEW_PER_ACCOUNT 8      /* preview_per_account's default */
#define STAFF_PREVIEW_KEY 32             /* BLAKE2b-256 of a draft (preview.c) */
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
	bool (*has_voice)(void *ud, const char *lang);   /* read-aloud voices (may be NULL) */
	void *has_voice_ud;
	char *chartjs;             /* the Chart.js file (pages.c) */
};

#endif
