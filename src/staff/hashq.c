/* hashq.c - the password-check workers and their bounded queue (see
 * hashq.h). */
#include "staff/hashq.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HASHQ_PW_MAX 1024
#define HASHQ_HASH_MAX 256

struct job {
	struct job *next;
	char hash[HASHQ_HASH_MAX];
	char pw[HASHQ_PW_MAX + 1];
	size_t pwlen;
	hashq_done done;
	void *ud;
};

struct hashq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;     /* waiting, oldest first */
	unsigned pending;            /* waiting + running */
	unsigned capacity;
	bool stopping;
	int gate;                    /* tests: FIFO, or -1 */
	pthread_t *threads;
	unsigned nthreads;
};

/* Frees a job after wiping the password. */
static void job_free(struct job *j)
{
	sodium_memzero(j->pw, sizeof(j->pw));
	free(j);
}

static void *worker(void *arg)
{
	struct hashq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->head && !q->stopping)
			pthread_cond_wait(&q->cv, &q->mu);
		struct job *j = q->head;
		if (!j)
			break;   /* stopping and nothing left */
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
		pthread_mutex_unlock(&q->mu);
		if (q->gate >= 0) {
			char c;
			ssize_t n;
			do
				n = read(q->gate, &c, 1);
			while (n < 0 && errno == EINTR);
		}
		enum hashq_result res = crypto_pwhash_str_verify(j->hash, j->pw, j->pwlen) == 0
		                                ? HASHQ_MATCH
		                                : HASHQ_NO_MATCH;
		pthread_mutex_lock(&q->mu);
		q->pending--;
		pthread_mutex_unlock(&q->mu);
		j->done(j->ud, res);
		job_free(j);
		pthread_mutex_lock(&q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Allocates the queue and starts its threads (hashq_stop frees). */
struct hashq *hashq_start(unsigned workers, unsigned capacity, const char *gate, char *err,
                          size_t errlen)
{
	struct hashq *q = calloc(1, sizeof(*q));
	if (!q || !(q->threads = calloc(workers ? workers : 1, sizeof(pthread_t)))) {
		snprintf(err, errlen, "login workers: out of memory");
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->capacity = capacity ? capacity : 1;
	q->gate = -1;
	if (gate && *gate) {
		/* O_NONBLOCK: the open does not wait for a writer; reads block */
		q->gate = open(gate, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (q->gate < 0 || fcntl(q->gate, F_SETFL, 0) < 0) {
			snprintf(err, errlen, "login workers: cannot open the test gate %s: %s", gate,
			         strerror(errno));
			hashq_stop(q);
			return NULL;
		}
	}
	for (unsigned i = 0; i < (workers ? workers : 1); i++) {
		if (pthread_create(&q->threads[i], NULL, worker, q) != 0) {
			snprintf(err, errlen, "login workers: cannot start a thread");
			hashq_stop(q);
			return NULL;
		}
		q->nthreads++;
	}
	return q;
}

int hashq_submit(struct hashq *q, const char *hash, const char *pw, hashq_done done, void *ud)
{
	size_t hl = strlen(hash), pl = strlen(pw);
	if (hl >= HASHQ_HASH_MAX || pl > HASHQ_PW_MAX)
		return -1;
	pthread_mutex_lock(&q->mu);
	bool full = q->stopping || q->pending >= q->capacity;
	if (!full)
		q->pending++;   /* the slot is ours before the allocation */
	pthread_mutex_unlock(&q->mu);
	if (full)
		return -1;
	struct job *j = calloc(1, sizeof(*j));   /* freed by the worker (job_free) */
	if (!j) {
		pthread_mutex_lock(&q->mu);
		q->pending--;
		pthread_mutex_unlock(&q->mu);
		return -1;
	}
	memcpy(j->hash, hash, hl + 1);
	memcpy(j->pw, pw, pl + 1);
	j->pwlen = pl;
	j->done = done;
	j->ud = ud;
	pthread_mutex_lock(&q->mu);
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

unsigned hashq_pending(struct hashq *q)
{
	pthread_mutex_lock(&q->mu);
	unsigned n = q->pending;
	pthread_mutex_unlock(&q->mu);
	return n;
}

/* Cancels waiting jobs, joins the workers and frees q. */
void hashq_stop(struct hashq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stopping = true;
	struct job *waiting = q->head;
	q->head = q->tail = NULL;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	while (waiting) {
		struct job *next = waiting->next;
		pthread_mutex_lock(&q->mu);
		q->pending--;
		pthread_mutex_unlock(&q->mu);
		waiting->done(waiting->ud, HASHQ_CANCELLED);
		job_free(waiting);
		waiting = next;
	}
	for (unsigned i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	if (q->gate >= 0)
		close(q->gate);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	free(q->threads);
	free(q);
}
