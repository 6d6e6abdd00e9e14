/* voices.c - the kiosk's lookups of recorded voices (see voices.h). */
#include "net/voices.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

struct voices {
	pthread_mutex_t lock;
	struct store *db;            /* owned */
};

/* Returns a new struct voices (caller frees with voices_close), or NULL. */
struct voices *voices_open(const char *db_path)
{
	char err[512];
	if (!db_path)
		return NULL;
	struct voices *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->db = store_open(db_path, err, sizeof(err));
	if (!v->db || pthread_mutex_init(&v->lock, NULL) != 0) {
		log_err("recordings: %s; /speak/ synthesises everything", v->db ? "no mutex" : err);
		store_close(v->db);
		free(v);
		return NULL;
	}
	return v;
}

/* Closes the database connection and frees v. */
void voices_close(struct voices *v)
{
	if (!v)
		return;
	store_close(v->db);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

int voices_find(struct voices *v, const char *tenant, const char *lang, const char *context,
                const char *msgid, const char *text, bool with_audio,
                struct store_recording *out)
{
	if (!v || !msgid || !text)
		return 0;
	pthread_mutex_lock(&v->lock);
	int rc = store_recording_current(v->db, tenant, lang, context, msgid, with_audio, out);
	if (rc < 0)
		log_err("recordings: %s", store_error(v->db));
	pthread_mutex_unlock(&v->lock);
	if (rc == 1 && strcmp(out->text, text) != 0) {   /* outdated: the text changed */
		store_recording_free(out);
		rc = 0;
	}
	return rc;
}
