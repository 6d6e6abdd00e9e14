/* resume.c - saving the conversations at shutdown and restoring them at
 * start (see resume.h). */
#include "net/resume.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

long resume_save(struct sess_table *t, struct store *db, long long now, int window)
{
	sess_restore_all(t);   /* rows not yet restored since the start (then emptied) */
	/* Also with nothing to save the table is replaced (emptied): rows whose
	 * clear after the restore failed must not come back at the next start. */
	size_t cap = window > 0 ? t->n : 0;
	struct store_saved *rows = cap ? calloc(cap, sizeof(*rows)) : NULL;
	size_t n = 0;
	long rc = -1;
	if (cap && !rows) {
		log_err("resume: out of memory saving %zu conversations", t->n);
		return -1;
	}
	for (struct sess *s = t->head; s && n < cap; s = s->next) {
		if (!s->talk.content || s->talk.content->generation == 0)
			continue;   /* not started, or a staff preview of a draft */
		rows[n].token = s->token;
		rows[n].state = talk_save(&s->talk);
		rows[n].expires = now + window;
		if (rows[n].state)
			n++;
	}
	if (store_saved_put(db, rows, n) == 0)   /* one transaction: all or none */
		rc = (long)n;
	else if (n == 0)
		log_err("resume: could not empty the saved conversations at shutdown (%s)",
		        store_error(db));
	else
		log_err("resume: could not save %zu conversation%s at shutdown (%s); they cannot be "
		        "resumed after the restart", n, n == 1 ? "" : "s", store_error(db));
	for (size_t i = 0; i < n; i++)
		free(rows[i].state);
	free(rows);
	if (rc >= 0 && cap)
		log_info("resume: saved %ld conversation%s for %d seconds", rc, rc == 1 ? "" : "s",
		         window);
	return rc;
}

/* Empties the database table once the rows are restored (sess_restore). */
static void clear_saved(void *ud)
{
	struct store *db = ud;
	if (store_saved_clear(db) < 0)
		log_err("resume: %s", store_error(db));
}

long resume_load(struct sess_table *t, struct store *db, struct content *c, long long now)
{
	struct store_saved *rows = NULL;
	size_t n = 0;
	if (store_saved_read(db, now, &rows, &n) < 0) {
		log_err("resume: %s", store_error(db));
		return -1;
	}
	sess_restore(t, c, rows, n, clear_saved, db);   /* in the background from here */
	return (long)n;
}
