/* resume.h - conversations survive a restart of the server.
 *
 * At a clean shutdown (SIGTERM/SIGINT) every conversation of the socket,
 * connected or waiting for its resume, is written with talk_save into the
 * database (saved_sessions) in one transaction, to expire resume_window
 * seconds later. At the next start, once the content is published, the rows
 * that have not expired are read in one SELECT (the table is emptied once
 * they are restored, and at the latest before saving at shutdown); they
 * are restored (talk_restore) onto that content as detached
 * conversations with the same tokens and the rest of their windows, in the
 * background while the socket already serves, and one at once when a page
 * resumes it first with {"type":"resume"} (sessions.h). A saved
 * conversation that no longer fits the content is dropped (counted in the
 * log line "resume: restored N conversations, dropped M ...", written when
 * the last one is done). Staff previews (content generation 0) are never
 * saved. Service thread only (the sessions belong to it).
 */
#ifndef LOTSE_RESUME_H
#define LOTSE_RESUME_H

#include "content/content.h"
#include "net/sessions.h"
#include "store/store.h"

/* Saves every session of t, expiring at now + window, in place of whatever
 * the table held (window <= 0: saves nothing, empties it). Returns how many
 * were saved, or -1 (logged). */
long resume_save(struct sess_table *t, struct store *db, long long now, int window);
/* Reads the saved conversations (one SELECT) and hands them to t, to be
 * restored onto c in the background (sess_restore); once they are, the
 * database table is emptied with db, which must be the service thread's
 * own connection. Returns how many rows were read, or -1 (logged). */
long resume_load(struct sess_table *t, struct store *db, struct content *c, long long now);

#endif
