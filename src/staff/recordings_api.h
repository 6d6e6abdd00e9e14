/* recordings_api.h - recorded voices in the staff area (recordings_api.c).
 * Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_RECORDINGS_API_H
#define LOTSE_STAFF_RECORDINGS_API_H

#include "staff/result.h"

/* GET /api/recordings/<t>: coverage per language (recorded, outdated,
 * synthesised, silent). */
void staff_recordings_coverage(struct req *r);
/* GET /api/recordings/<t>/<lang>: the office's texts with their state. */
void staff_recordings_list(struct req *r);
/* POST /api/recordings/<t>/<lang>?msgid=..&context=..: upload (WAV or Ogg
 * Opus body); DELETE: delete (a revision without audio). */
void staff_recordings_upload(struct req *r);
void staff_recordings_delete(struct req *r);
/* POST /api/recordings/<t>/<lang>/confirm?msgid=..&context=..: an outdated
 * recording still fits the changed text (a revision with the new text). */
void staff_recordings_confirm(struct req *r);
/* GET /api/recordings/<t>/<lang>/history?msgid=..&context=..: revisions. */
void staff_recordings_history(struct req *r);
/* GET /api/recordings/<t>/<lang>/<id>.opus: the audio of one revision. */
void staff_recordings_audio(struct req *r);

#endif
