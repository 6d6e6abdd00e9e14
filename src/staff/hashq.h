/* hashq.h - password checks off the HTTP thread: a fixed pool of worker
 * threads and a bounded queue. The staff address has one libmicrohttpd
 * thread; a memory-hard hash check there held up every other request
 * (/healthz, the staff pages) behind a handful of logins. A login now
 * suspends its connection, queues the check here and is resumed when the
 * check is done; when the queue is full it is refused at once (503). */
#ifndef LOTSE_STAFF_HASHQ_H
#define LOTSE_STAFF_HASHQ_H

#include <stdbool.h>
#include <stddef.h>

enum hashq_result {
	HASHQ_MATCH,       /* the password matches the hash */
	HASHQ_NO_MATCH,
	HASHQ_CANCELLED,   /* the queue stopped before the check ran */
};

/* Called once per job on a worker thread (or in hashq_stop for a job that
 * was still waiting). */
typedef void (*hashq_done)(void *ud, enum hashq_result res);

struct hashq;

/* Starts workers threads; at most capacity jobs wait or run at once.
 * gate: NULL, or (tests only) the path of a FIFO from which every worker
 * reads one byte before each check, so a test holds the checks back
 * deterministically. Returns NULL with a message in err. Free with
 * hashq_stop. */
struct hashq *hashq_start(unsigned workers, unsigned capacity, const char *gate, char *err,
                          size_t errlen);
/* Queues a check of pw against the crypto_pwhash_str string hash (both
 * copied; the copy of pw is wiped after the check). Returns 0, or -1 when
 * capacity jobs are already waiting or running or the queue is stopping:
 * then nothing was queued and done is never called. Never blocks. */
int hashq_submit(struct hashq *q, const char *hash, const char *pw, hashq_done done,
                 void *ud);
/* Jobs waiting or running now. */
unsigned hashq_pending(struct hashq *q);
/* Stops taking jobs, cancels the waiting ones (done with
 * HASHQ_CANCELLED), waits for the running ones, joins the workers and
 * frees q. NULL is fine. */
void hashq_stop(struct hashq *q);

#endif
