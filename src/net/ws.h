/* ws.h - the conversation socket (libwebsockets).
 *
 * One lws context with one vhost and one protocol. All session state lives on
 * the thread that calls ws_service (the main thread); other threads may only
 * call ws_wake. Every message is a JSON text frame (proto.h); messages are
 * reassembled here and capped at max_message bytes (close 1009), binary
 * frames are refused (close 1003), the Origin of the handshake is checked,
 * silent clients are dropped by lws's ping/hangup policy, and every client
 * gets one lws_write per WRITEABLE callback from its own outgoing queue.
 * TCP connections are counted in total and per client address
 * (connlimit.h): one over a limit is closed right after accept(), counted
 * in the metrics and logged at most once per interval with a count.
 */
#ifndef LOTSE_WS_H
#define LOTSE_WS_H

#include <stdbool.h>
#include <stddef.h>

#include "content/content.h"
#include "net/metrics.h"
#include "net/statsrec.h"
#include "net/token.h"
#include "store/store.h"

struct ws_options {
	const char *host;            /* address to bind */
	int port;                    /* 0: any free port */
	size_t max_message;          /* bytes */
	int ping_interval;           /* seconds without traffic before a PING */
	int ping_timeout;            /* seconds more without a PONG before hanging up */
	int resume_window;           /* seconds a detached conversation waits */
	int preview_resume_window;   /* ... a detached staff preview conversation */
	int max_sessions;
	/* Connection limits (connlimit.h): open TCP connections in all and per
	 * client address; refusals are logged at most every log_interval s. */
	unsigned max_connections;    /* 0: 16000 */
	unsigned max_per_address;    /* 0: 256 */
	long log_interval;           /* 0: 10 */
	/* Seals resume tokens (token.h; copied); NULL: tokens are the session
	 * id alone, resumed by the instance that holds the conversation. */
	const struct token_key *resume_key;
	bool libev;                  /* run on libev (epoll) if it loads, else on poll() */
	struct store *db;            /* read connection for "ask"; service thread only */
	struct net_metrics *metrics;
	/* The draft snapshot of a staff preview token ({"type":"start",
	 * "preview":...}), a new reference or NULL; may be NULL (no previews). */
	struct content *(*preview)(const char *token);
	/* The statistics recorder (statsrec.h), or NULL: statistics off. */
	struct statsrec *stats;
	/* Take-home links (takehome.h; not owned, outlives the socket); NULL:
	 * "take_home" is answered with no_take_home. */
	struct takehome *takehome;
};

struct ws_server;
struct sess_table;

/* Creates the context and binds. Returns NULL with a message in err
 * (bounded). Caller frees with ws_destroy. */
struct ws_server *ws_create(const struct ws_options *o, char *err, size_t errlen);
/* The port actually bound. */
int ws_port(const struct ws_server *w);
/* The conversations (sessions.h), for saving them at shutdown and
 * restoring them at start (resume.h); service thread only. */
struct sess_table *ws_sessions(struct ws_server *w);
/* Allows browser pages from this origin ("http://host:port"; copied,
 * compared case-insensitively). With none added, only clients that send no
 * Origin header are allowed. Call before the first ws_service. Returns 0/-1. */
int ws_allow_origin(struct ws_server *w, const char *origin);
/* Runs one round of the event loop (waits for events or timers). Returns
 * <0 when the context failed. */
int ws_service(struct ws_server *w);
/* Wakes ws_service from another thread (the only thread-safe call here). */
void ws_wake(struct ws_server *w);
/* Closes every connection, ends every conversation and frees w. NULL is fine. */
void ws_destroy(struct ws_server *w);

#endif
