/* voices.h - recorded voices for the kiosk address: finds the current,
 * not outdated recording of a text (store.h, table recordings) so that
 * /speak/ plays it instead of synthesis. One database connection shared by
 * libmicrohttpd's threads behind a mutex (lookups are one indexed row).
 */
#ifndef LOTSE_VOICES_H
#define LOTSE_VOICES_H

#include <stdbool.h>

#include "store/store.h"

struct voices;

/* Opens the database at db_path for reading recordings. Returns NULL (and
 * logs why) when it cannot be opened: then nothing is recorded. Caller
 * frees with voices_close. */
struct voices *voices_open(const char *db_path);
/* Closes the connection and frees v. NULL is fine. */
void voices_close(struct voices *v);
/* Finds the recording of (tenant, lang, context, msgid) that may be played
 * for the text shown now: the newest revision holds audio and was recorded
 * for exactly `text` (otherwise it is outdated and not played). With
 * with_audio the audio is read too. Fills *out (free with
 * store_recording_free) and returns 1; returns 0 when there is none (or v
 * is NULL), -1 on a database error (logged). */
int voices_find(struct voices *v, const char *tenant, const char *lang, const char *context,
                const char *msgid, const char *text, bool with_audio,
                struct store_recording *out);

#endif
