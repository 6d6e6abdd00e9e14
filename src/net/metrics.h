/* metrics.h - anonymous usage counters and their Prometheus text rendering.
 *
 * The socket thread and the reload thread update the counters; the HTTP
 * threads read them for /metrics. Every counter is an atomic, so nobody
 * takes a lock. Nothing here identifies a person: counts per language and
 * per error code only.
 */
#ifndef LOTSE_METRICS_H
#define LOTSE_METRICS_H

#include <stdatomic.h>

#include "i18n/catalog.h"
#include "net/proto.h"
#include "util/strbuf.h"

#define METRICS_MAX_LANGS 64   /* slots per language; index = position in lang_all() */

/* The three listeners, and why a connection was refused or closed early
 * (connlimit.h, docs/operating.md "Limits"). */
enum net_listener { NET_SOCKET, NET_KIOSK, NET_STAFF, NET_LISTENERS };
enum net_refusal { NET_REFUSED_TOTAL, NET_REFUSED_PER_ADDRESS, NET_REFUSALS };
enum net_deadline { NET_DEADLINE_HEADERS, NET_DEADLINE_BODY, NET_DEADLINES };

struct net_metrics {
	atomic_long sessions_open;        /* conversations alive (attached or waiting for resume) */
	atomic_long connections_open;     /* WebSocket connections */
	atomic_long preview_sessions;     /* conversations on a staff preview's draft */
	atomic_ulong turns[METRICS_MAX_LANGS];  /* steps and answers sent, by language */
	atomic_ulong errors[PROTO_E_COUNT];     /* by code */
	atomic_ulong sessions_unsealed;   /* conversations resumed from a sealed token (another instance's) */
	atomic_ulong reloads_ok;
	atomic_ulong reloads_failed;
	atomic_ulong speech_synth;        /* WAV files synthesised (speech.h) */
	atomic_ulong speech_cache_hits;   /* ... and served from the cache */
	atomic_ulong speech_unvowelled;   /* texts synthesised without their speech form */
	struct catalog_stats *catalog;    /* lookups and fallbacks; may be NULL */
	atomic_long conns[NET_LISTENERS];                   /* open TCP connections per listener */
	atomic_ulong refused[NET_LISTENERS][NET_REFUSALS];  /* connections refused by a limit */
	atomic_ulong deadline[NET_LISTENERS][NET_DEADLINES]; /* HTTP: closed, request too slow */
	atomic_ulong accept_errors[NET_LISTENERS];          /* accept() failed (EMFILE, ENFILE) */
};

/* Zeroes every counter; catalog may be NULL. */
void metrics_init(struct net_metrics *m, struct catalog_stats *catalog);
/* Counts one turn (a step or answer sent) in language code lang. */
void metrics_turn(struct net_metrics *m, const char *lang);
void metrics_error(struct net_metrics *m, enum proto_err e);
/* The label of a listener ("socket", "kiosk", "staff"). */
const char *metrics_listener_name(enum net_listener l);
/* Appends the Prometheus text exposition (format 0.0.4) of every counter;
 * generation is the published content's generation (0: none). */
void metrics_render(const struct net_metrics *m, unsigned long generation, struct strbuf *out);

#endif
