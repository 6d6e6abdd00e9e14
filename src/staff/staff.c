/* staff.c - opening and closing the staff area (see staff.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff/staff.h"
#include "staff/preview.h"
#include "staff/recover.h"
#include "staff/login.h"
#include "util/log.h"

static char *dup_or(const char *s, const char *def)
{
	return strdup(s ? s : def);
}

/* Verified when a login names an unknown account, so that the answer takes
 * as long as for a known one (auth.c). Verifying costs what the parameters
 * in the string say (argon2id, the INTERACTIVE limits accounts are hashed
 * with: 64 MiB, 2 passes), not what the password is; this one is of 32
 * random bytes that were thrown away, so nothing verifies against it.
 * Precomputed: hashing it at every start took most of the start's CPU. */
static const char DUMMY_HASH[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$7iVNqqEK64wQB/vcCait5g$"
	"vdfqp4ZKXXtm/t58SHzE9jgy4DsTLtVMXuEWes1OU/M";

/* Sets st->dummy_hash: the constant above, unless this libsodium hashes
 * accounts with other limits (then a fresh hash with those, as before, so
 * the timing still matches). Returns 0, or -1 (out of memory). */
static int set_dummy_hash(struct staff *st)
{
	_Static_assert(sizeof(DUMMY_HASH) <= sizeof(st->dummy_hash), "dummy hash too long");
	_Static_assert(sizeof(DUMMY_HASH) == crypto_pwhash_STRBYTES, "not a crypto_pwhash_str");
	if (crypto_pwhash_str_needs_rehash(DUMMY_HASH, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                   crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0) {
		memcpy(st->dummy_hash, DUMMY_HASH, sizeof(DUMMY_HASH));
		return 0;
	}
	unsigned char pw[32];
	randombytes_buf(pw, sizeof(pw));
	int rc = crypto_pwhash_str(st->dummy_hash, (const char *)pw, sizeof(pw),
	                           crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sodium_memzero(pw, sizeof(pw));
	return rc == 0 ? 0 : -1;
}

/* Allocates the staff area (caller frees with staff_close). */
struct staff *staff_open(const struct staff_options *o, char *err, size_t errlen)
{
	struct staff *st = calloc(1, sizeof(*st));
	if (!st || sodium_init() < 0) {
		snprintf(err, errlen, "staff area: %s", st ? "cannot initialise libsodium" : "out of memory");
		free(st);
		return NULL;
	}
	st->flows_dir = dup_or(o->flows_dir, "flows");
	st->po_dir = dup_or(o->po_dir, "po");
	st->ui_dir = dup_or(o->ui_dir, "kiosk-ui");
	st->kiosk_host = dup_or(o->kiosk_host, "0.0.0.0");
	st->chartjs = dup_or(o->chartjs, "/usr/share/javascript/chart.js/chart.min.js");
	atomic_init(&st->kiosk_port, 0);
	st->mo_dir = dup_or(o->copts ? o->copts->mo_dir : NULL, "build/po");
	st->copts = o->copts;
	st->timeout = o->session_timeout > 0 ? o->session_timeout : 1800;
	st->secure = o->secure_cookie;
	staff_preview_limits(o->preview_per_account > 0 ? (size_t)o->preview_per_account
	                                                : STAFF_PREVIEW_PER_ACCOUNT,
	                     o->preview_max > 0 ? (size_t)o->preview_max : STAFF_PREVIEW_TOTAL);
	st->reload = o->reload;
	st->reload_ud = o->reload_ud;
	if (!st->flows_dir || !st->po_dir || !st->ui_dir || !st->mo_dir || !st->kiosk_host ||
	    !st->chartjs) {
		snprintf(err, errlen, "staff area: out of memory");
		goto fail;
	}
	if (set_dummy_hash(st) < 0) {
		snprintf(err, errlen, "staff area: cannot hash (out of memory)");
		goto fail;
	}
	st->db = store_open(o->db_path, err, errlen);
	if (!st->db)
		goto fail;
	if (staff_login_open(st, o, err, errlen) < 0)
		goto fail;
	staff_recover(st);
	return st;
fail:
	staff_close(st);
	return NULL;
}

void staff_set_kiosk_port(struct staff *st, int port)
{
	atomic_store(&st->kiosk_port, port);
}

void staff_set_voices(struct staff *st, bool (*has_voice)(void *ud, const char *lang), void *ud)
{
	st->has_voice = has_voice;
	st->has_voice_ud = ud;
}

void staff_drain(struct staff *st)
{
	staff_login_drain(st);
}

void staff_close(struct staff *st)
{
	if (!st)
		return;
	staff_login_close(st);
	staff_preview_clear();
	store_close(st->db);
	free(st->flows_dir);
	free(st->po_dir);
	free(st->ui_dir);
	free(st->mo_dir);
	free(st->kiosk_host);
	free(st->chartjs);
	free(st);
}
