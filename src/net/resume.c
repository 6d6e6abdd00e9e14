/* resume.c - saving the conversations at shutdown and restoring them at
 * start (see resume.h). */
#include "net/resume.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

long resume_save(struct sess_table *t, struct store *db, long long now, int window)
{
	if (window <= 0 || t->n == 0)
		return 0;
	struct store_saved *rows = calloc(t->n, sizeof(*rows));
	size_t n = 0;
	long rc = -1;
	if (!rows) {
		log_err("resume: out of memory saving %zu conversations", t->n);
		return -1;
	}
	for (struct sess *s = t->head; s && n < t->n; s = s->next) {
		if (!s->talk.content || s->talk.content->generation == 0)
			continue;   /* not started, or a staff preview of a draft */
		rows[n].token = s->token;
		rows[n].state = talk_save(&s->talk);
		rows[n].expires = now + window;
		if (rows[n].state)
			n++;
	}
	if (store_saved_put(db, rows, n) < 0)
		log_err("resume: %s", store_error(db));
	else
		rc = (long)n;
	for (size_t i = 0; i < n; i++)
		free(rows[i].state);
	free(rows);
	if (rc >= 0)
		log_info("resume: saved %ld conversation%s for %d seconds", rc, rc == 1 ? "" : "s",
		         window);
	return rc;
}

/* Restores one row; returns 0, or -1 when it does not fit (or no memory). */
static int restore_one(struct sess_table *t, const struct store_saved *row, struct content *c,
                       long long now)
{
	if (!sess_token_valid(row->token) || sess_find(t, row->token))
		return -1;
	struct sess *s = sess_new();
	if (!s)
		return -1;
	memcpy(s->token, row->token, SESS_TOKEN_HEX + 1);
	if (talk_restore(&s->talk, c, row->state) != TALK_OK || sess_add(t, s) < 0) {
		sess_free(s);
		return -1;
	}
	sess_detach_for(s, (long)(row->expires - now));
	return 0;
}

long resume_load(struct sess_table *t, struct store *db, struct content *c, long long now)
{
	struct store_saved *rows = NULL;
	size_t n = 0, restored = 0;
	if (store_saved_take(db, now, &rows, &n) < 0) {
		log_err("resume: %s", store_error(db));
		return -1;
	}
	for (size_t i = 0; c && i < n; i++)
		if (restore_one(t, &rows[i], c, now) == 0)
			restored++;
	store_saved_free(rows, n);
	if (n)
		log_info("resume: restored %zu conversation%s, dropped %zu that no longer fit the "
		         "content", restored, restored == 1 ? "" : "s", n - restored);
	return (long)restored;
}
