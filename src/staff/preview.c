/* preview.c - draft snapshots kept for 15 minutes under unguessable tokens
 * (32 random bytes), shared between the staff thread (which makes them)
 * and the socket thread (which runs preview conversations on them); a
 * mutex guards the table.
 *
 * Memory is bounded (docs/staff.md "Previews"): the same draft (same
 * tenant, file, text and published generation) previewed again shares the
 * one snapshot already in the table; an account holds at most
 * `per_account` tokens (its oldest is dropped for a new one) and the table
 * at most `total` (then a new preview is refused: 429). A snapshot that no
 * token names any more is retired (content_retire): the socket thread ends
 * the conversations still running on it, so it is freed. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "staff/staff.h"
#include "staff/preview.h"
#include "staff/util.h"

struct preview {
	char token[STAFF_TOKEN_LEN + 1];
	struct content *c;
	unsigned char key[STAFF_PREVIEW_KEY];
	long long owner;        /* the staff account's id */
	long long created, expires;
	unsigned long seq;      /* order of creation (oldest first) */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct preview previews[STAFF_PREVIEW_TABLE];
static size_t per_account = STAFF_PREVIEW_PER_ACCOUNT, total = STAFF_PREVIEW_TOTAL;
static unsigned long next_seq;

void staff_preview_limits(size_t account_cap, size_t total_cap)
{
	pthread_mutex_lock(&lock);
	total = total_cap < 1 ? 1 : total_cap > STAFF_PREVIEW_TABLE ? STAFF_PREVIEW_TABLE : total_cap;
	per_account = account_cap < 1 ? 1 : account_cap > total ? total : account_cap;
	pthread_mutex_unlock(&lock);
}

/* Empties slot i (lock held); its snapshot goes to out[*n]. */
static void drop(size_t i, struct content **out, size_t *n)
{
	out[(*n)++] = previews[i].c;
	memset(&previews[i], 0, sizeof(previews[i]));
}

/* Drops expired previews (lock held); their snapshots go to out. */
static size_t sweep(long long now, struct content **out)
{
	size_t n = 0;
	for (size_t i = 0; i < STAFF_PREVIEW_TABLE; i++)
		if (previews[i].c && previews[i].expires <= now)
			drop(i, out, &n);
	return n;
}

/* Drops the references in list (may free the snapshots), retiring each
 * snapshot no token in the table names any more. Takes the lock itself. */
static void release(struct content **list, size_t n)
{
	pthread_mutex_lock(&lock);
	for (size_t k = 0; k < n; k++) {
		bool named = false;
		for (size_t i = 0; i < STAFF_PREVIEW_TABLE && !named; i++)
			named = previews[i].c == list[k];
		if (!named)
			content_retire(list[k]);
	}
	pthread_mutex_unlock(&lock);
	for (size_t k = 0; k < n; k++)
		content_unref(list[k]);
}

struct content *staff_preview_shared(const unsigned char *key)
{
	struct content *gone[STAFF_PREVIEW_TABLE], *found = NULL;
	pthread_mutex_lock(&lock);
	size_t ngone = sweep((long long)time(NULL), gone);
	for (size_t i = 0; i < STAFF_PREVIEW_TABLE && !found; i++)
		if (previews[i].c && sodium_memcmp(previews[i].key, key, STAFF_PREVIEW_KEY) == 0)
			found = content_ref(previews[i].c);
	pthread_mutex_unlock(&lock);
	release(gone, ngone);
	return found;
}

long long staff_preview_put(struct content *c, const unsigned char *key, long long owner,
                            char *token)
{
	unsigned char b[STAFF_TOKEN_BYTES];
	struct content *gone[STAFF_PREVIEW_TABLE + 1];
	long long now = (long long)time(NULL), expires = now + STAFF_PREVIEW_SECS;
	randombytes_buf(b, sizeof(b));
	staff_b64url(b, sizeof(b), token, STAFF_TOKEN_LEN + 1);
	content_mark_preview(c);
	pthread_mutex_lock(&lock);
	size_t ngone = sweep(now, gone), mine = 0, used = 0, oldest = STAFF_PREVIEW_TABLE;
	size_t slot = STAFF_PREVIEW_TABLE;
	for (size_t i = 0; i < STAFF_PREVIEW_TABLE; i++) {
		if (!previews[i].c) {
			if (slot == STAFF_PREVIEW_TABLE)
				slot = i;
			continue;
		}
		used++;
		if (previews[i].owner != owner)
			continue;
		mine++;
		if (oldest == STAFF_PREVIEW_TABLE || previews[i].seq < previews[oldest].seq)
			oldest = i;
	}
	if (mine >= per_account || (used >= total && mine > 0)) {
		slot = oldest;          /* the account's oldest preview makes room */
		drop(slot, gone, &ngone);
	} else if (used >= total) {
		slot = STAFF_PREVIEW_TABLE;   /* full with other accounts' previews */
	}
	if (slot < STAFF_PREVIEW_TABLE) {
		struct preview *p = &previews[slot];
		memcpy(p->token, token, STAFF_TOKEN_LEN + 1);
		memcpy(p->key, key, STAFF_PREVIEW_KEY);
		p->c = c;
		p->owner = owner;
		p->created = now;
		p->expires = expires;
		p->seq = ++next_seq;
	} else {
		gone[ngone++] = c;
		expires = -1;
	}
	pthread_mutex_unlock(&lock);
	release(gone, ngone);
	return expires;
}

/* Returns a new reference (caller unrefs) or NULL. */
struct content *staff_preview_get(const char *token)
{
	struct content *gone[STAFF_PREVIEW_TABLE], *found = NULL;
	if (!staff_token_valid(token))
		return NULL;
	pthread_mutex_lock(&lock);
	size_t ngone = sweep((long long)time(NULL), gone);
	for (size_t i = 0; i < STAFF_PREVIEW_TABLE; i++)
		if (previews[i].c && sodium_memcmp(previews[i].token, token, STAFF_TOKEN_LEN) == 0)
			found = content_ref(previews[i].c);
	pthread_mutex_unlock(&lock);
	release(gone, ngone);
	return found;
}

void staff_preview_clear(void)
{
	struct content *gone[STAFF_PREVIEW_TABLE];
	size_t n = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < STAFF_PREVIEW_TABLE; i++)
		if (previews[i].c)
			drop(i, gone, &n);
	pthread_mutex_unlock(&lock);
	release(gone, n);
}
