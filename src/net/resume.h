/* resume.h - conversations survive a restart of the server.
 *
 * At a clean shutdown (SIGTERM/SIGINT) every conversation of the socket,
 * connected or waiting for its resume, is written with talk_save into the
 * database (saved_sessions) in one transaction, to expire resume_window
 * seconds later. At the next start, once the content is published, the rows
 * that have not expired are restored (talk_restore) onto the current
 * content and added as detached conversations with the same tokens, and the
 * table is emptied; a page that reconnects resumes with {"type":"resume"}.
 * A saved conversation that no longer fits the content is dropped (counted
 * in the log). Staff previews (content generation 0) are never saved.
 * Service thread only (the sessions belong to it).
 */
#ifndef LOTSE_RESUME_H
#define LOTSE_RESUME_H

#include "content/content.h"
#include "net/sessions.h"
#include "store/store.h"

/* Saves every session of t, expiring at now + window (window <= 0: saves
 * nothing). Returns how many were saved, or -1 (logged). */
long resume_save(struct sess_table *t, struct store *db, long long now, int window);
/* Restores the saved sessions onto c as detached sessions of t, each with
 * the rest of its window, and empties the table. Returns how many were
 * restored, or -1 (logged). */
long resume_load(struct sess_table *t, struct store *db, struct content *c, long long now);

#endif
