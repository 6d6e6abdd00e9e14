/* staff.h - the staff area: login, sessions, CSRF, audit, and the JSON API
 * to check, preview, publish and roll back flows, offers and translations
 * (docs/staff.md is the contract). It answers the staff/ops address's
 * /api/ and /staff/ requests through http.c's delegate hook and
 * runs on libmicrohttpd's thread with its own database connection.
 * Also the `lotse staff` account commands. */
#ifndef LOTSE_STAFF_H
#define LOTSE_STAFF_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include "content/content.h"

struct MHD_Connection;

struct staff_options {
	const char *db_path;       /* the sqlite file (a connection of its own) */
	const char *flows_dir;     /* flows/<tenant>/ */
	const char *po_dir;        /* lotse.pot and <lang>.po */
	const char *ui_dir;        /* <ui>/staff/: the staff pages */
	const char *kiosk_host;    /* the kiosk page's address (previews run there) */
	const struct content_options *copts;  /* catalogues folder and fallbacks
	                                          (outlive the staff area) */
	int session_timeout;       /* seconds of inactivity */
	bool secure_cookie;        /* always mark the cookie Secure */
	int preview_per_account;   /* preview tokens per account; 0: 8 */
	int preview_max;           /* preview tokens in total; 0: 64 */
	/* Loads (on the staff area's connection db) and publishes the content
	 * now, serialised with SIGHUP reloads; returns 0, or -1 with the errors
	 * logged. Called on the HTTP thread. */
	int (*reload)(void *ud, struct store *db);
	void *reload_ud;
	/* login (docs/staff.md "Login"); 0/NULL: the defaults */
	const char *const *trusted_proxies;  /* addresses or networks whose X-Forwarded-For is
	                                        trusted (validated by config.c) */
	size_t ntrusted_proxies;
	unsigned login_workers;    /* password-check threads [2] */
	unsigned login_queue;      /* logins being checked or waiting at once [16] */
	int audit_retention_days;  /* audit log and refused-login counts [365] */
	const char *chartjs;       /* Chart.js file served as /staff/js/chart.js
	                              [/usr/share/javascript/chart.js/chart.min.js] */
};

struct staff;

/* Opens the database connection and finishes publishes a crash interrupted
 * (see docs/staff.md); call before the content is first loaded. Returns
 * NULL with a message in err. Caller frees with staff_close. */
struct staff *staff_open(const struct staff_options *o, char *err, size_t errlen);
/* The port of the kiosk page, once it listens (previews run in it, framed
 * by the staff pages). Any thread. */
void staff_set_kiosk_port(struct staff *st, int port);
/* Tells the staff area which languages read-aloud has a voice for
 * (recordings coverage: synthesised or silent); has_voice is called from
 * the staff HTTP thread. Without it, no language has one. */
void staff_set_voices(struct staff *st, bool (*has_voice)(void *ud, const char *lang), void *ud);
/* `lotse i18n-status`, recordings part: prints per office and language how
 * many texts are recorded, outdated, synthesised or silent (translations
 * from mo_dir/<lang>.mo, recordings from db_path when that file exists).
 * Starts espeak-ng (one struct speech) to know the voices. Returns 0, or
 * -1 with the errors in d. */
int staff_recordings_status(const char *flows_dir, const char *mo_dir, const char *db_path,
                            FILE *out, struct diag *d);
/* Ends the password checks still waiting (503) and waits for the running
 * ones; call before the staff address's HTTP server stops (it must not
 * stop with a suspended connection). NULL is fine. */
void staff_drain(struct staff *st);
/* Closes the connection, drops every preview and frees st. NULL is fine. */
void staff_close(struct staff *st);

/* http.c's delegate (ud is the struct staff): whether a path belongs to
 * the staff area, the libmicrohttpd access handler for it (owns *con_cls),
 * and the completion notice that frees the request's state. */
bool staff_wants(void *ud, const char *url);
int staff_handle(void *ud, struct MHD_Connection *c, const char *url, const char *method,
                 const char *upload_data, size_t *upload_data_size, void **con_cls);
void staff_completed(void *ud, void **con_cls);

/* The draft snapshot of a preview token, with a new reference (caller
 * unrefs), or NULL when unknown or expired. Any thread. Preview snapshots
 * have generation 0. */
struct content *staff_preview_get(const char *token);

/* `lotse staff add|passwd|disable|enable|offices|list ...` on the
 * database at db_path (offices: the tenant folders under flows_dir):
 * argv[0] is the subcommand. Passwords come from the terminal
 * (no echo) or, when stdin is not a terminal, one line of stdin. Returns
 * the exit status. */
int staff_cli(const char *db_path, const char *flows_dir, int argc, char **argv);

#endif
