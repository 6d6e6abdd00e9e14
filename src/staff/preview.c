/* preview.c - draft snapshots kept for 15 minutes under unguessable tokens
 * (32 random bytes), shared between the staff thread (which makes them)
 * and the socket thread (which runs preview conversations on them); a
 * mutex guards the table. A conversation keeps its own reference, so an
 * expired preview only stops new conversations. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "staff/staff.h"
#include "staff/preview.h"
#include "staff/util.h"

#define MAX_PREVIEWS 64

struct preview {
	char token[STAFF_TOKEN_LEN + 1];
	struct content *c;
	long long expires;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct preview previews[MAX_PREVIEWS];

/* Drops expired previews (lock held); their snapshots go to *out. */
static size_t sweep(long long now, struct content **out)
{
	size_t n = 0;
	for (size_t i = 0; i < MAX_PREVIEWS; i++) {
		if (previews[i].c && previews[i].expires <= now) {
			out[n++] = previews[i].c;
			memset(&previews[i], 0, sizeof(previews[i]));
		}
	}
	return n;
}

/* Drops the references in list (may free the snapshots). */
static void unref_all(struct content **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		content_unref(list[i]);
}

long long staff_preview_put(struct content *c, char *token)
{
	unsigned char b[STAFF_TOKEN_BYTES];
	struct content *gone[MAX_PREVIEWS + 1];
	long long now = (long long)time(NULL), expires = now + STAFF_PREVIEW_SECS;
	randombytes_buf(b, sizeof(b));
	staff_b64url(b, sizeof(b), token, STAFF_TOKEN_LEN + 1);
	pthread_mutex_lock(&lock);
	size_t ngone = sweep(now, gone), slot = 0;
	for (size_t i = 0; i < MAX_PREVIEWS; i++) {
		if (!previews[i].c) {
			slot = i;
			break;
		}
		if (previews[i].expires < previews[slot].expires)
			slot = i;   /* full: the one that expires first makes room */
	}
	if (previews[slot].c)
		gone[ngone++] = previews[slot].c;
	memcpy(previews[slot].token, token, STAFF_TOKEN_LEN + 1);
	previews[slot].c = c;
	previews[slot].expires = expires;
	pthread_mutex_unlock(&lock);
	unref_all(gone, ngone);
	return expires;
}

/* Returns a new reference (caller unrefs) or NULL. */
struct content *staff_preview_get(const char *token)
{
	struct content *gone[MAX_PREVIEWS], *found = NULL;
	if (!staff_token_valid(token))
		return NULL;
	pthread_mutex_lock(&lock);
	size_t ngone = sweep((long long)time(NULL), gone);
	for (size_t i = 0; i < MAX_PREVIEWS; i++)
		if (previews[i].c && sodium_memcmp(previews[i].token, token, STAFF_TOKEN_LEN) == 0)
			found = content_ref(previews[i].c);
	pthread_mutex_unlock(&lock);
	unref_all(gone, ngone);
	return found;
}

void staff_preview_clear(void)
{
	struct content *gone[MAX_PREVIEWS];
	size_t n = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MAX_PREVIEWS; i++) {
		if (previews[i].c)
			gone[n++] = previews[i].c;
		memset(&previews[i], 0, sizeof(previews[i]));
	}
	pthread_mutex_unlock(&lock);
	unref_all(gone, n);
}
