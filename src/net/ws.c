/* ws.c - the conversation socket on libwebsockets: connections, message
 * reassembly and caps, origin check, outgoing queues, and the translation of
 * protocol messages into engine calls (see ws.h, proto.h, docs/protocol.md).
 * Runs entirely on the service thread. */
#include "net/ws.h"

#include <dlfcn.h>
#include <ev.h>
#include <libwebsockets.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "content/content.h"
#include "content/messages.h"
#include "i18n/lang.h"
#include "i18n/normalise.h"
#include "net/connlimit.h"
#include "net/proto.h"
#include "net/sessions.h"
#include "net/statsrec.h"
#include "net/takehome.h"
#include "net/token.h"
#include "net/wshead.h"
#include "talk/talk.h"
#include "util/budget.h"
#include "util/log.h"

#define WS_RX_CHUNK 4096
#define WS_MAX_QUEUE_BYTES BUDGET_QUEUE_BYTES  /* unsent bytes per client (util/budget.h) */
/* Back-pressure: above WS_QUEUE_PAUSE unsent bytes the socket stops reading
 * the client (lws_rx_flow_control; lws keeps what it has already read) until
 * the queue is down to WS_QUEUE_RESUME. The replies to the one message in
 * hand (a message and an error frame at most) still fit, so a client that
 * reads is never closed for sending fast; one that does not read stays
 * paused until the keepalive hangs it up. */
#define WS_QUEUE_PAUSE (WS_MAX_QUEUE_BYTES / 2)
#define WS_QUEUE_RESUME (WS_MAX_QUEUE_BYTES / 4)
_Static_assert(WS_QUEUE_PAUSE + BUDGET_MESSAGE_MAX + 4096 <= WS_MAX_QUEUE_BYTES,
               "the replies to one message fit above the pause mark");
_Static_assert(TALK_MAX_OFFERS <= BUDGET_OFFERS_MAX, "an answer's offers are in the budget");
_Static_assert(TOKEN_MAX <= BUDGET_TOKEN_MAX, "a resume token is in the budget");
#define WS_HANDSHAKE_TIMEOUT 20
#define WS_MAX_ORIGINS 64
#define WS_CLOSE_TAKEN_OVER 4000          /* the conversation was resumed elsewhere */

/* Per-connection state: lws allocates and zeroes it (per_session_data). */
struct conn {
	struct lws *wsi;
	struct ws_server *w;
	struct sess *sess;          /* the conversation, or NULL before start */
	char *rx;                   /* owned: the message being reassembled */
	size_t rxlen, rxcap;
	struct proto_frame *qhead, *qtail;   /* owned: the outgoing queue (frame->next) */
	size_t qbytes;
	bool paused;                /* not read while the queue is above WS_QUEUE_PAUSE */
	int close_code;             /* nonzero: close at the next WRITEABLE */
	const char *close_reason;
	bool established;
	char lang[8];               /* language for errors when there is no session */
};

/* libev, loaded at run time (Debian's libwebsockets-evlib-ev brings it with
 * lws's plugin for it), so that a machine without it still runs on poll().
 * Only these calls are needed: lws does the rest in its plugin. */
struct evlib {
	void *dl;
	struct ev_loop *(*loop_new)(unsigned int flags);
	int (*run)(struct ev_loop *loop, int flags);
	void (*loop_destroy)(struct ev_loop *loop);
	void (*timer_start)(struct ev_loop *loop, ev_timer *t);
	void (*timer_stop)(struct ev_loop *loop, ev_timer *t);
};

/* lws 4.1's libev plugin re-arms its one timer for the earliest lws_sul
 * timer only when that timer is not running (ev_timer_start on an active
 * watcher does nothing), so a timer set later for an earlier time (a
 * keepalive ping after the handshake's 20 s timeout, a short resume window)
 * would wait for the next event on any connection. A tick makes lws look at
 * its timers at least this often (seconds). */
#define WS_EV_TICK 0.25

struct ws_server {
	struct lws_context *ctx;
	struct evlib ev;
	struct ev_loop *loop;       /* libev (lws's "foreign" loop), or NULL: lws's poll() */
	ev_timer tick;              /* libev: see WS_EV_TICK */
	bool kicked;                /* libev: lws was woken before the first round */
	struct lws_protocols protocols[2];
	lws_retry_bo_t retry;
	int port;
	size_t max_message;
	struct store *db;
	struct net_metrics *metrics;
	struct content *(*preview)(const char *token);  /* staff previews, or NULL */
	struct statsrec *stats;     /* statistics recorder, or NULL (off) */
	struct takehome *takehome;  /* take-home links, or NULL (not owned) */
	struct sess_table sessions;
	char *origins[WS_MAX_ORIGINS];
	size_t norigins;
	bool closing;
	/* Connection accounting: a connection is counted when it passes the
	 * filter (before lws makes its wsi) and uncounted when its wsi is
	 * destroyed; in between its key rides as the wsi's opaque user data. */
	struct conn_limits limits;
	bool pending;               /* counted, not yet attached to a wsi */
	struct conn_key pending_key;
	struct log_rate accept_rate;  /* "accept: errno 24" from lws */
	time_t flushed;             /* last connlimit_flush (monotonic seconds) */
};

/* The server whose lws log lines lws_log sees (lws's logger has no user
 * pointer; there is one conversation socket per process). */
static struct ws_server *log_owner;

/* ---- outgoing ---- */

static void close_later(struct conn *cn, int code, const char *reason)
{
	if (!cn->close_code) {
		cn->close_code = code;
		cn->close_reason = reason;
	}
	lws_callback_on_writable(cn->wsi);
}

/* Queues a frame (takes it over) and asks for a WRITEABLE callback. */
static void enqueue(struct conn *cn, struct proto_frame *f)
{
	if (!f) {
		log_err("socket: out of memory while rendering a message");
		close_later(cn, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, "out of memory");
		return;
	}
	if (cn->qbytes + f->len > WS_MAX_QUEUE_BYTES) {   /* cannot happen (see WS_QUEUE_PAUSE) */
		log_warn("socket: a client does not read its messages; closing it");
		free(f);
		close_later(cn, LWS_CLOSE_STATUS_POLICY_VIOLATION, "not reading");
		return;
	}
	f->next = NULL;
	if (cn->qtail)
		cn->qtail->next = f;
	else
		cn->qhead = f;
	cn->qtail = f;
	cn->qbytes += f->len;
	if (!cn->paused && cn->qbytes > WS_QUEUE_PAUSE) {
		cn->paused = true;
		lws_rx_flow_control(cn->wsi, 0);
	}
	lws_callback_on_writable(cn->wsi);
}

static void free_queue(struct conn *cn)
{
	while (cn->qhead) {
		struct proto_frame *f = cn->qhead;
		cn->qhead = f->next;
		free(f);
	}
	cn->qtail = NULL;
	cn->qbytes = 0;
}

/* One lws_write per WRITEABLE callback. Returns -1 to close. */
static int on_writeable(struct conn *cn)
{
	if (cn->close_code) {
		const char *r = cn->close_reason ? cn->close_reason : "";
		lws_close_reason(cn->wsi, (enum lws_close_status)cn->close_code, (unsigned char *)r,
		                 strlen(r));
		return -1;
	}
	struct proto_frame *f = cn->qhead;
	if (!f)
		return 0;
	cn->qhead = f->next;
	if (!cn->qhead)
		cn->qtail = NULL;
	cn->qbytes -= f->len;
	if (cn->paused && cn->qbytes <= WS_QUEUE_RESUME) {
		cn->paused = false;
		lws_rx_flow_control(cn->wsi, 1);
	}
	size_t len = f->len;
	int n = lws_write(cn->wsi, (unsigned char *)f->data + f->head, len, LWS_WRITE_TEXT);
	free(f);
	if (n < (int)len)
		return -1;
	if (cn->qhead)
		lws_callback_on_writable(cn->wsi);
	return 0;
}

/* ---- texts ---- */

static void set_lang(struct conn *cn, const char *lang)
{
	if (lang && strlen(lang) < sizeof(cn->lang))
		memcpy(cn->lang, lang, strlen(lang) + 1);
}

/* The language for messages to a connection without a conversation: the
 * last one it used or asked for, else the default tenant's. */
static const char *conn_lang(const struct conn *cn, const struct content *c)
{
	if (cn->lang[0])
		return cn->lang;
	const struct tenant_content *tc =
		c && c->default_tenant ? content_tenant(c, c->default_tenant) : NULL;
	return tc ? tc->tenant->default_lang : CATALOG_SOURCE_LANG;
}

/* Sends an error frame. msgid: the engine's message for engine errors
 * (talk_err_msgid); protocol errors bring their own. */
static void send_error(struct conn *cn, enum proto_err e, const char *msgid)
{
	const char *own = proto_err_msgid(e);
	if (own)
		msgid = own;
	if (!msgid || !*msgid)
		msgid = proto_err_msgid(PROTO_E_INTERNAL);
	metrics_error(cn->w->metrics, e);
	if (cn->sess) {
		enqueue(cn, proto_render_error(e, talk_text(&cn->sess->talk, msgid), LWS_PRE));
		return;
	}
	struct content *c = content_current();
	const char *text = msgid;
	if (c && c->catalogs)
		text = catalog_gettext(c->catalogs, conn_lang(cn, c), NULL, msgid, NULL);
	enqueue(cn, proto_render_error(e, text, LWS_PRE));
	content_unref(c);
}

static void send_talk_error(struct conn *cn, enum talk_err te)
{
	send_error(cn, proto_err_from_talk(te), talk_err_msgid(te));
}

/* What sending a step means for the statistics: nothing new (a resume,
 * back, a language switch), a step reached, or a conversation begun. */
enum step_rec { REC_NONE, REC_REACH, REC_START };

static void send_step_rec(struct conn *cn, enum step_rec rec)
{
	struct talk_step st;
	struct sess *s = cn->sess;
	talk_render(&s->talk, &st);
	set_lang(cn, st.lang);
	metrics_turn(cn->w->metrics, st.lang);
	if (rec == REC_START)
		statsrec_started(cn->w->stats, &s->stats, &s->talk, &st);
	else if (rec == REC_REACH)
		statsrec_reached(cn->w->stats, &s->stats, &s->talk, &st);
	char token[TOKEN_MAX + 1];
	enqueue(cn, proto_render_step(&st, sess_resume_token(s, token, sizeof(token)), LWS_PRE));
}

static void send_step(struct conn *cn)
{
	send_step_rec(cn, REC_NONE);
}

/* The channel of a new conversation: a staff preview, a kiosk (the page
 * is pinned by ?kiosk=NAME and says so in start; a name that is not
 * [A-Za-z0-9_-]{1,64} is kept as ''), else the website. */
static void set_channel(struct sess *s, const struct proto_msg *m)
{
	memset(&s->stats, 0, sizeof(s->stats));
	if (m->preview) {
		s->stats.channel = STATSREC_PREVIEW;
	} else if (m->kiosk) {
		s->stats.channel = STATSREC_KIOSK;
		if (statsrec_kiosk_valid(m->kiosk))
			snprintf(s->stats.kiosk, sizeof(s->stats.kiosk), "%s", m->kiosk);
	}
}

/* A conversation ends (sessions.h on_end): how, for the statistics. */
static void session_ended(void *ud, struct sess *s)
{
	struct ws_server *w = ud;
	statsrec_ended(w->stats, &s->stats, &s->talk, s->end_why ? s->end_why : "closed");
}

static void send_tenants(struct conn *cn)
{
	struct content *c = content_current();
	size_t n = c ? c->ntenants : 0;
	struct proto_tenant *list = calloc(n ? n : 1, sizeof(*list));
	if (!list) {
		content_unref(c);
		enqueue(cn, NULL);
		return;
	}
	size_t nnames = 0;
	for (size_t i = 0; i < n; i++)
		nnames += c->tenants[i].tenant->nlangs;
	const char **names = calloc(nnames ? nnames : 1, sizeof(*names));
	if (!names) {
		free(list);
		content_unref(c);
		enqueue(cn, NULL);
		return;
	}
	const char **next = names;
	for (size_t i = 0; i < n; i++) {
		const struct tenant *t = c->tenants[i].tenant;
		/* the name in each language that translates it (a fallback is not) */
		for (size_t k = 0; t->name.msgid && k < t->nlangs; k++)
			next[k] = catalog_own(c->catalogs, t->langs[k], t->name.context, t->name.msgid);
		list[i].names = next;
		next += t->nlangs;
		list[i].id = t->id;
		list[i].name = t->name.msgid ? catalog_gettext(c->catalogs, t->default_lang,
		                                               t->name.context, t->name.msgid, NULL)
		                             : t->id;
		list[i].default_lang = t->default_lang;
		list[i].sample = t->sample;
		list[i].langs = t->langs;
		list[i].nlangs = t->nlangs;
	}
	enqueue(cn, proto_render_tenants(list, n, LWS_PRE));
	free(names);
	free(list);
	content_unref(c);
}

/* ---- the messages ---- */

/* Remembers a requested language for error messages, if it is one the
 * catalogues know. */
static void remember_lang(struct conn *cn, const struct content *c, const char *lang)
{
	if (lang && lang_find(lang) && c->catalogs && catalog_set_has(c->catalogs, lang))
		set_lang(cn, lang);
}

static void handle_start(struct conn *cn, const struct proto_msg *m)
{
	struct content *c = NULL;
	struct sess *s = NULL;
	if (m->preview) {         /* a staff preview: the draft's own snapshot */
		c = cn->w->preview ? cn->w->preview(m->preview) : NULL;
		if (!c) {
			send_error(cn, PROTO_E_BAD_TOKEN, NULL);
			return;
		}
	} else {
		c = content_current();
	}
	if (!c) {
		send_error(cn, PROTO_E_INTERNAL, NULL);
		return;
	}
	remember_lang(cn, c, m->lang);
	s = sess_new();
	if (!s) {
		send_error(cn, PROTO_E_INTERNAL, NULL);
		goto out;
	}
	enum talk_err te = talk_start(&s->talk, c, m->tenant, m->lang);
	if (te != TALK_OK) {
		sess_free(s);
		send_talk_error(cn, te);
		goto out;
	}
	if (cn->sess) {           /* a new conversation replaces the old one */
		sess_free(cn->sess);
		cn->sess = NULL;
	}
	if (sess_add(&cn->w->sessions, s) < 0) {
		sess_free(s);
		send_error(cn, PROTO_E_BUSY, NULL);
		goto out;
	}
	sess_attach(s, cn);
	cn->sess = s;
	set_channel(s, m);
	send_step_rec(cn, REC_START);
out:
	content_unref(c);
}

/* The step a turn starts from, for the statistics: ids in the content
 * the conversation was on (held by `content` while the turn runs: a
 * restart may let go of it), and the language before the turn. */
struct turn_from {
	struct content *content;   /* a reference, or NULL (statistics off) */
	const char *tenant, *flow, *node;
	char lang[sizeof(((struct talk_session *)0)->lang)];
};

static void turn_from(const struct ws_server *w, const struct talk_session *t, struct turn_from *f)
{
	const struct talk_frame *top = t->depth ? &t->history[t->depth - 1] : NULL;
	f->content = w->stats ? content_ref(t->content) : NULL;
	f->tenant = t->tc ? t->tc->tenant->id : "";
	f->flow = top ? top->flow->id : "";
	f->node = top ? top->node->id : "";
	memcpy(f->lang, t->lang, sizeof(f->lang));
}

/* Counts a successful turn m that started at f; returns what the step
 * sent now means (statsrec.h, event list in store/stats.h). */
static enum step_rec record_turn(struct conn *cn, const struct proto_msg *m,
                                 const struct turn_from *f)
{
	struct statsrec *r = cn->w->stats;
	struct sess *s = cn->sess;
	const struct talk_session *t = &s->talk;
	if (!r)
		return REC_NONE;
	switch (m->type) {
	case PROTO_CHOOSE:
		statsrec_count(r, &s->stats, f->tenant, f->lang, f->flow, f->node, "choose", m->choice);
		return REC_REACH;
	case PROTO_BACK:
		statsrec_count(r, &s->stats, f->tenant, f->lang, f->flow, f->node, "back", NULL);
		return REC_NONE;
	case PROTO_LANGUAGE:
		if (strcmp(f->lang, t->lang) != 0)
			statsrec_count(r, &s->stats, f->tenant, f->lang, f->flow, f->node, "lang_switch",
			               t->lang);
		return REC_NONE;
	case PROTO_RESTART:
		statsrec_count(r, &s->stats, f->tenant, f->lang, f->flow, f->node, "restart", NULL);
		statsrec_count(r, &s->stats, f->tenant, f->lang, f->flow, f->node, "end_restarted", NULL);
		s->stats.finished = false;
		return REC_REACH;
	default:
		return REC_NONE;
	}
}

static void handle_turn(struct conn *cn, const struct proto_msg *m)
{
	struct talk_session *t = &cn->sess->talk;
	enum talk_err te = TALK_OK;
	struct turn_from from;
	turn_from(cn->w, t, &from);
	switch (m->type) {
	case PROTO_CHOOSE: te = talk_choose(t, m->choice); break;
	case PROTO_BACK: te = talk_back(t); break;
	case PROTO_LANGUAGE: te = talk_language(t, m->lang); break;
	case PROTO_RESTART: {     /* a preview (generation 0) stays on its draft */
		struct content *c = t->content && t->content->generation == 0 ? NULL : content_current();
		te = talk_restart(t, c);
		content_unref(c);
		break;
	}
	default: break;
	}
	if (te != TALK_OK)
		send_talk_error(cn, te);
	else
		send_step_rec(cn, record_turn(cn, m, &from));
	content_unref(from.content);
}

/* {"type":"event"}: a touch of the page (print, QR, read aloud, the
 * feedback of the results step), counted at the current step; answered
 * {"type":"noted"} whether statistics are on or not. */
static void handle_event(struct conn *cn, const struct proto_msg *m)
{
	statsrec_page_event(cn->w->stats, &cn->sess->stats, &cn->sess->talk, m->what);
	enqueue(cn, proto_render_noted(LWS_PRE));
}

static void handle_ask(struct conn *cn, const struct proto_msg *m)
{
	const struct talk_session *t = &cn->sess->talk;
	struct store *db = cn->w->db;
	const char *ids[TALK_MAX_OFFERS];
	int n = db ? store_search(db, t->tc->tenant->id, t->lang, m->text, ids, TALK_MAX_OFFERS) : -1;
	if (n < 0) {
		log_warn("socket: search failed: %s", db ? store_error(db) : "no database");
		send_error(cn, PROTO_E_INTERNAL, NULL);
		return;
	}
	if (n == 0 && cn->w->stats) {   /* counted by a keyed hash of the folded text */
		char *folded = text_normalise(m->text, strlen(m->text));
		statsrec_search_miss(cn->w->stats, &cn->sess->stats, t, folded);
		free(folded);
	}
	struct talk_step st;
	talk_render_offers(t, ids, (size_t)n, &st);
	metrics_turn(cn->w->metrics, t->lang);
	enqueue(cn, proto_render_answer(m->text, st.offers_count_text, st.offers, st.noffers, LWS_PRE));
}

static void handle_resume(struct conn *cn, const struct proto_msg *m)
{
	struct sess *s = sess_find(&cn->w->sessions, m->token);
	if (!s) {
		send_error(cn, PROTO_E_BAD_TOKEN, NULL);
		return;
	}
	if (s->conn != cn) {
		struct conn *other = s->conn;
		if (other) {   /* still attached elsewhere (a dead link not yet noticed) */
			other->sess = NULL;
			close_later(other, WS_CLOSE_TAKEN_OVER, "resumed elsewhere");
		}
		if (cn->sess)
			sess_free(cn->sess);
		sess_attach(s, cn);
		cn->sess = s;
	}
	send_step(cn);
}

/* A link to the current results step for the family's phone
 * (takehome.h): office, language and the ids of the offers shown, nothing
 * of the conversation itself. Not for a staff preview (its draft lives on
 * one instance only and ends with its token). */
static void handle_take_home(struct conn *cn)
{
	struct takehome *th = cn->w->takehome;
	const char *base = takehome_public_url(th);
	struct talk_step st;
	if (!base || !cn->sess || !cn->sess->talk.content || cn->sess->talk.content->generation == 0) {
		send_error(cn, PROTO_E_NO_TAKE_HOME, NULL);
		return;
	}
	talk_render(&cn->sess->talk, &st);
	if (st.kind != NODE_OFFERS) {
		send_error(cn, PROTO_E_NO_TAKE_HOME, NULL);
		return;
	}
	struct takehome_link l = {.noffers = 0};
	snprintf(l.tenant, sizeof(l.tenant), "%s", st.tenant);
	snprintf(l.lang, sizeof(l.lang), "%s", st.lang);
	for (size_t i = 0; i < st.noffers && l.noffers < TALK_MAX_OFFERS; i++)
		if (st.offers[i].offer)
			snprintf(l.offers[l.noffers++], sizeof(l.offers[0]), "%s", st.offers[i].offer->id);
	char link[TAKEHOME_LINK_MAX + 1], url[TAKEHOME_LINK_MAX + 600], qr[TAKEHOME_LINK_MAX + 16];
	long long expires = 0;
	if (takehome_seal(th, &l, (long long)time(NULL), &expires, link, sizeof(link)) < 0) {
		send_error(cn, PROTO_E_INTERNAL, NULL);
		return;
	}
	snprintf(url, sizeof(url), "%.512s/t/%s", base, link);
	snprintf(qr, sizeof(qr), "/t/%s.svg", link);
	const char *words[2 * TAKEHOME_NWORDS];
	takehome_words(cn->sess->talk.content, st.lang, words);
	enqueue(cn, proto_render_take_home(url, qr, expires, words, TAKEHOME_NWORDS, LWS_PRE));
}

/* Ends the conversation at once and keeps nothing of it (the kiosk's idle
 * reset, "Finish"): the token is unknown from now on, and so is the
 * language; with revoke (a take-home link the family chose to delete) that
 * link stops working on this instance (takehome.h). */
static void handle_forget(struct conn *cn, const char *revoke)
{
	if (revoke && cn->w->takehome &&
	    takehome_revoke(cn->w->takehome, revoke, (long long)time(NULL)) < 0)
		log_debug("socket: forget: the link to revoke is not one (or expired)");
	if (cn->sess) {
		sess_forget(cn->sess);
		cn->sess = NULL;
	}
	cn->lang[0] = '\0';
	enqueue(cn, proto_render_forgotten(LWS_PRE));
}

/* A conversation on a staff preview whose token is gone ends here
 * (sess_end_retired): its page is told the preview is no longer valid. */
static void preview_ended(void *ud, struct conn *cn)
{
	(void)ud;
	cn->sess = NULL;
	send_error(cn, PROTO_E_BAD_TOKEN, NULL);
}

static void handle_message(struct conn *cn, const char *buf, size_t len)
{
	struct proto_msg m;
	char detail[160];
	sess_end_retired(&cn->w->sessions, preview_ended, NULL);
	enum proto_err e = proto_parse(buf, len, &m, detail, sizeof(detail));
	if (e != PROTO_E_NONE) {
		log_debug("socket: %s: %s", proto_err_code(e), detail);
		send_error(cn, e, NULL);
		return;
	}
	switch (m.type) {
	case PROTO_START: handle_start(cn, &m); break;
	case PROTO_RESUME: handle_resume(cn, &m); break;
	case PROTO_TENANTS: send_tenants(cn); break;
	case PROTO_FORGET: handle_forget(cn, m.revoke); break;
	case PROTO_TAKE_HOME: handle_take_home(cn); break;
	case PROTO_CHOOSE:
	case PROTO_BACK:
	case PROTO_RESTART:
	case PROTO_LANGUAGE:
	case PROTO_ASK:
	case PROTO_EVENT:
		if (!cn->sess)
			send_error(cn, PROTO_E_NO_SESSION, NULL);
		else if (m.type == PROTO_ASK)
			handle_ask(cn, &m);
		else if (m.type == PROTO_EVENT)
			handle_event(cn, &m);
		else
			handle_turn(cn, &m);
		break;
	}
	proto_msg_free(&m);
}

/* ---- receiving ---- */

static int rx_append(struct conn *cn, const void *in, size_t len)
{
	if (cn->rxlen + len + 1 > cn->rxcap) {
		size_t cap = cn->rxcap ? cn->rxcap : WS_RX_CHUNK;
		while (cap < cn->rxlen + len + 1)
			cap *= 2;
		char *n = realloc(cn->rx, cap);
		if (!n)
			return -1;
		cn->rx = n;
		cn->rxcap = cap;
	}
	if (len)
		memcpy(cn->rx + cn->rxlen, in, len);
	cn->rxlen += len;
	cn->rx[cn->rxlen] = '\0';
	return 0;
}

static int refuse(struct conn *cn, enum proto_err e, enum lws_close_status code,
                  const char *reason)
{
	metrics_error(cn->w->metrics, e);
	lws_close_reason(cn->wsi, code, (unsigned char *)reason, strlen(reason));
	return -1;
}

static int on_receive(struct conn *cn, const void *in, size_t len)
{
	struct lws *wsi = cn->wsi;
	if (lws_frame_is_binary(wsi))
		return refuse(cn, PROTO_E_BINARY, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE,
		              "text frames only");
	size_t remaining = lws_remaining_packet_payload(wsi);
	if (cn->rxlen + len + remaining > cn->w->max_message)
		return refuse(cn, PROTO_E_TOO_BIG, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		              "message too big");
	if (rx_append(cn, in, len) < 0)
		return refuse(cn, PROTO_E_INTERNAL, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION,
		              "out of memory");
	if (!lws_is_final_fragment(wsi) || remaining)
		return 0;
	handle_message(cn, cn->rx, cn->rxlen);
	cn->rxlen = 0;
	if (cn->rxcap > WS_RX_CHUNK) {   /* do not keep a big buffer per idle client */
		free(cn->rx);
		cn->rx = NULL;
		cn->rxcap = 0;
	}
	return 0;
}

/* ---- connections ---- */

/* Copies s into out with anything but printable ASCII replaced by '?'. */
static void printable(char *out, size_t n, const char *s)
{
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	out[i] = '\0';
}

static bool origin_ok(struct ws_server *w, struct lws *wsi)
{
	char buf[256], shown[80];
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN);
	if (n <= 0)
		return true;   /* not a browser: no cross-site risk */
	if (n < (int)sizeof(buf) && lws_hdr_copy(wsi, buf, sizeof(buf), WSI_TOKEN_ORIGIN) == n) {
		if ((int)strlen(buf) == n && wshead_visible(buf, (size_t)n))
			for (size_t i = 0; i < w->norigins; i++)
				if (strcasecmp(buf, w->origins[i]) == 0)
					return true;
		printable(shown, sizeof(shown), buf);
	} else {
		snprintf(shown, sizeof(shown), "(%d bytes)", n);
	}
	log_info("socket: refused a handshake from origin %s", shown);
	metrics_error(w->metrics, PROTO_E_ORIGIN);
	return false;
}

/* ---- the opening handshake (RFC 6455 4.2.1), checked before lws answers ---- */

/* Answers a refused handshake itself: status line, a short text/plain body
 * saying why, and Connection: close. extra: more header lines ending in
 * CRLF, or "". Returns 0, or -1 if the answer could not be written. */
static int answer_http(struct lws *wsi, int status, const char *extra, const char *why)
{
	unsigned char buf[LWS_PRE + 512];
	const char *phrase = status == 426 ? "Upgrade Required" : status == 403 ? "Forbidden"
	                                                                        : "Bad Request";
	int n = snprintf((char *)buf + LWS_PRE, sizeof(buf) - LWS_PRE,
	                 "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	                 "Content-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n"
	                 "%s\r\n%s\n",
	                 status, phrase, strlen(why) + 1, extra, why);
	if (n < 0 || (size_t)n >= sizeof(buf) - LWS_PRE)
		return -1;
	return lws_write(wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_HTTP_HEADERS) == n ? 0 : -1;
}

/* Copies header h into buf (NUL-terminated) if it is there, has no NUL
 * inside and fits. Returns its length, or -1. */
static int header(struct lws *wsi, enum lws_token_indexes h, char *buf, size_t len)
{
	int n = lws_hdr_total_length(wsi, h);
	if (n <= 0 || (size_t)n >= len || lws_hdr_copy(wsi, buf, (int)len, h) != n ||
	    (int)strlen(buf) != n)
		return -1;
	return n;
}

/* LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: checks what lws 4.1.6 lets through
 * (docs/protocol.md, "What holds") before it picks a sub-protocol or
 * answers 101. upgrade: the Upgrade header's value. Returns 0 to go on,
 * or -1 after answering 400, 403 or 426 (lws then closes). */
static int check_upgrade(struct ws_server *w, struct lws *wsi, const char *upgrade)
{
	char buf[256], *uri = NULL;
	int urilen = 0;
	const char *why = NULL;
	if (lws_http_get_uri_and_method(wsi, &uri, &urilen) != LWSHUMETH_GET)
		why = "a WebSocket handshake must be a GET request";
	else if (header(wsi, WSI_TOKEN_HTTP, buf, sizeof(buf)) < 0 || strcmp(buf, "HTTP/1.1") != 0)
		why = "a WebSocket handshake needs HTTP/1.1";
	else if (lws_hdr_total_length(wsi, WSI_TOKEN_HOST) <= 0)
		why = "the Host header is missing";
	else if (!upgrade || strcasecmp(upgrade, "websocket") != 0)
		why = "this address only upgrades to WebSocket (Upgrade: websocket)";
	else if (header(wsi, WSI_TOKEN_CONNECTION, buf, sizeof(buf)) < 0 ||
	         !wshead_has_token(buf, "upgrade"))
		why = "the Connection header must name upgrade";
	else if (header(wsi, WSI_TOKEN_KEY, buf, sizeof(buf)) < 0 || !wshead_key_ok(buf))
		why = "Sec-WebSocket-Key must be 16 bytes in base64";
	if (why) {
		metrics_error(w->metrics, PROTO_E_HANDSHAKE);
		log_debug("socket: refused a handshake: %s", why);
		answer_http(wsi, 400, "", why);
		return -1;
	}
	if (header(wsi, WSI_TOKEN_VERSION, buf, sizeof(buf)) < 0 || strcmp(buf, "13") != 0) {
		metrics_error(w->metrics, PROTO_E_HANDSHAKE);
		log_debug("socket: refused a handshake: not WebSocket version 13");
		answer_http(wsi, 426, "Sec-WebSocket-Version: 13\r\n",
		            "this server speaks WebSocket version 13 only");
		return -1;
	}
	if (!origin_ok(w, wsi)) {
		answer_http(wsi, 403, "", "this Origin may not use the conversation socket");
		return -1;
	}
	/* A sub-protocol: lws 4.1.6 would drop the connection; a browser fails
	 * one whose requested sub-protocol is not chosen anyway. */
	if (lws_hdr_total_length(wsi, WSI_TOKEN_PROTOCOL) > 0) {
		metrics_error(w->metrics, PROTO_E_HANDSHAKE);
		log_debug("socket: refused a handshake asking for a sub-protocol");
		answer_http(wsi, 400, "",
		            "this socket has no sub-protocol: connect without Sec-WebSocket-Protocol");
		return -1;
	}
	return 0;
}

/* LWS_CALLBACK_FILTER_HTTP_CONNECTION: a request that asks for no upgrade
 * at all. Answers 400 and returns -1 (lws closes). */
static int refuse_plain_http(struct ws_server *w, struct lws *wsi)
{
	metrics_error(w->metrics, PROTO_E_HANDSHAKE);
	answer_http(wsi, 400, "", "this address is the conversation socket: WebSocket only "
	                          "(Upgrade: websocket)");
	return -1;
}

/* LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: lws 4.1.6 turns most invalid
 * close codes into 1002 itself but echoes a 1-byte payload and codes of
 * 5000 and above. Returns 0 to let lws echo the close, or -1 after setting
 * 1002 as our close. */
static int check_peer_close(struct lws *wsi, const unsigned char *in, size_t len)
{
	if (wshead_close_ok(in, len))
		return 0;
	lws_close_reason(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR, NULL, 0);
	return -1;
}

static void on_open(struct ws_server *w, struct conn *cn, struct lws *wsi)
{
	cn->wsi = wsi;
	cn->w = w;
	cn->established = true;
	atomic_fetch_add(&w->metrics->connections_open, 1);
	send_tenants(cn);
}

static void on_closed(struct conn *cn)
{
	if (!cn->established)
		return;
	struct ws_server *w = cn->w;
	cn->established = false;
	atomic_fetch_sub(&w->metrics->connections_open, 1);
	if (cn->sess) {
		struct sess *s = cn->sess;
		cn->sess = NULL;
		if (w->closing)
			sess_free(s);
		else
			sess_detach(s);
	}
	free(cn->rx);
	cn->rx = NULL;
	cn->rxlen = cn->rxcap = 0;
	free_queue(cn);
}

/* ---- connection accounting (connlimit.h) ---- */

/* LWS_CALLBACK_FILTER_NETWORK_CONNECTION: a new TCP connection on fd,
 * before lws allocates anything for it. Returns nonzero to refuse (lws
 * closes the fd at once, without a line in the log). */
static int filter_connection(struct ws_server *w, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct conn_key key;
	if (w->pending) {   /* the last one was refused by lws itself: uncount it */
		connlimit_release(&w->limits, &w->pending_key);
		w->pending = false;
	}
	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0 ||
	    connlimit_key((struct sockaddr *)&ss, len, &key) < 0)
		return 1;   /* not a TCP/IP peer, or already gone */
	if (connlimit_admit(&w->limits, &key, true) != CONN_OK)
		return 1;
	w->pending = true;
	w->pending_key = key;
	return 0;
}

/* LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED: the wsi of the connection
 * the filter counted. Returns 0 or -1 (out of memory: close it). */
static int attach_key(struct ws_server *w, struct lws *wsi)
{
	if (!w->pending)
		return 0;
	struct conn_key *k = malloc(sizeof(*k));   /* freed in release_key */
	if (!k)
		return -1;   /* the close destroys the wsi; the next filter uncounts */
	*k = w->pending_key;
	w->pending = false;
	lws_set_opaque_user_data(wsi, k);
	return 0;
}

/* LWS_CALLBACK_WSI_DESTROY: uncounts the connection and frees its key. */
static void release_key(struct ws_server *w, struct lws *wsi)
{
	struct conn_key *k = lws_get_opaque_user_data(wsi);
	if (!k)
		return;
	lws_set_opaque_user_data(wsi, NULL);
	connlimit_release(&w->limits, k);
	free(k);
}

static time_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Logs counts held back by the rate limits (once a second at most). */
static void flush_logs(struct ws_server *w, bool force)
{
	time_t now = mono_now();
	if (!force && now == w->flushed)
		return;
	w->flushed = now;
	connlimit_flush(&w->limits, force);
	long secs = 0;
	unsigned long n = log_rate_flush(&w->accept_rate, force, &secs);
	if (n)
		log_err("socket: accept failed %lu time%s in the last %ld s (out of file "
		        "descriptors?)", n, n == 1 ? "" : "s", secs);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
	struct ws_server *w = lws_context_user(lws_get_context(wsi));
	struct conn *cn = user;
	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		return filter_connection(w, (int)(intptr_t)in);
	case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
		return attach_key(w, wsi);
	case LWS_CALLBACK_WSI_DESTROY:
		release_key(w, wsi);
		return 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return check_upgrade(w, wsi, in);
	case LWS_CALLBACK_FILTER_HTTP_CONNECTION:
		return refuse_plain_http(w, wsi);
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* Any request path upgrades: proxies forward "/socket" (public_socket,
		 * docs/nginx.md) or route by the Upgrade header (docs/scaling.md).
		 * check_upgrade has checked the Origin; this holds for any path
		 * around it. */
		return origin_ok(w, wsi) ? 0 : 1;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		return check_peer_close(wsi, in, len);
	case LWS_CALLBACK_ESTABLISHED:
		on_open(w, cn, wsi);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		return cn && cn->established ? on_receive(cn, in, len) : -1;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return cn && cn->established ? on_writeable(cn) : 0;
	case LWS_CALLBACK_CLOSED:
		if (cn)
			on_closed(cn);
		return 0;
	default:
		return 0;
	}
}

/* ---- the server ---- */

static void lws_log(int level, const char *line)
{
	char buf[512];
	size_t n = strlen(line);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, line, n);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (strncmp(buf, "accept:", 7) == 0 && log_owner) {   /* EMFILE/ENFILE: can repeat
	                                                          thousands of times a second */
		long secs = 0;
		atomic_fetch_add(&log_owner->metrics->accept_errors[NET_SOCKET], 1);
		unsigned long k = log_rate_hit(&log_owner->accept_rate, &secs);
		if (k == 1 && secs == 0)
			log_err("socket: %s (out of file descriptors? further failures are counted in "
			        "lotse_accept_errors_total and logged at most every %ld s)", buf,
			        log_owner->accept_rate.interval);
		else if (k)
			log_err("socket: accept failed %lu times in the last %ld s, the last: %s", k,
			        secs, buf);
		return;
	}
	log_msg(level == LLL_ERR ? LOG_ERR : LOG_WARN, "socket: %s", buf);
}

/* Picks lws's iface and IPv6 option for host (a name or an address).
 * Returns 0 or -1 (err). */
static int bind_address(const char *host, char *iface, size_t ifacelen, bool *ipv6,
                        bool *any, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(host && *host ? host : "0.0.0.0", NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "cannot resolve address %s: %s", host ? host : "",
		         gai_strerror(rc));
		return -1;
	}
	*ipv6 = res->ai_family == AF_INET6;
	rc = getnameinfo(res->ai_addr, res->ai_addrlen, iface, (socklen_t)ifacelen, NULL, 0,
	                 NI_NUMERICHOST);
	freeaddrinfo(res);
	if (rc != 0) {
		snprintf(err, errlen, "cannot use address %s", host ? host : "");
		return -1;
	}
	*any = !strcmp(iface, "0.0.0.0") || !strcmp(iface, "::");
	return 0;
}

/* Loads the libev calls of struct evlib. Returns 0 or -1. */
static int evlib_open(struct evlib *ev)
{
	ev->dl = dlopen("libev.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!ev->dl)
		return -1;
	*(void **)&ev->loop_new = dlsym(ev->dl, "ev_loop_new");
	*(void **)&ev->run = dlsym(ev->dl, "ev_run");
	*(void **)&ev->loop_destroy = dlsym(ev->dl, "ev_loop_destroy");
	*(void **)&ev->timer_start = dlsym(ev->dl, "ev_timer_start");
	*(void **)&ev->timer_stop = dlsym(ev->dl, "ev_timer_stop");
	return ev->loop_new && ev->run && ev->loop_destroy && ev->timer_start && ev->timer_stop
	               ? 0
	               : -1;
}

/* The tick: wakes lws (its pipe), which then serves the timers that are due. */
static void on_tick(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)revents;
	struct ws_server *w = t->data;
	lws_cancel_service(w->ctx);
}

/* The context on a libev loop of our own (epoll: the cost of a wakeup does
 * not grow with the number of connections). The loop is lws's "foreign"
 * loop so that ws_service can run one round at a time; it leaves the signal
 * mask alone (serve.c takes signals with sigwait). NULL if libev or lws's
 * plugin for it is not there (lws logs why). */
static struct lws_context *create_on_libev(struct ws_server *w,
                                           const struct lws_context_creation_info *base)
{
	struct lws_context_creation_info info = *base;
	void *loops[1];
	struct lws_context *ctx = NULL;
	if (evlib_open(&w->ev) < 0)
		return NULL;
	w->loop = w->ev.loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (!w->loop)
		return NULL;
	loops[0] = w->loop;
	info.options |= LWS_SERVER_OPTION_LIBEV;
	info.foreign_loops = loops;
	ctx = lws_create_context(&info);
	if (!ctx) {
		w->ev.loop_destroy(w->loop);
		w->loop = NULL;
		return NULL;
	}
	ev_timer_init(&w->tick, on_tick, WS_EV_TICK, WS_EV_TICK);
	w->tick.data = w;
	w->ev.timer_start(w->loop, &w->tick);
	return ctx;
}

static int create_context(struct ws_server *w, const struct ws_options *o, char *err,
                          size_t errlen)
{
	struct lws_context_creation_info info;
	char iface[64];
	bool ipv6 = false, any = false;
	if (bind_address(o->host, iface, sizeof(iface), &ipv6, &any, err, errlen) < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	info.port = o->port;
	/* With IPv6 on, lws binds an IPv4 iface to every address: keep it off
	 * for IPv4 hosts. "::" (iface NULL, IPv6 on) is dual-stack. */
	info.iface = any ? NULL : iface;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | (ipv6 ? 0 : LWS_SERVER_OPTION_DISABLE_IPV6);
	info.protocols = w->protocols;
	info.user = w;
	info.retry_and_idle_policy = &w->retry;
	info.timeout_secs = WS_HANDSHAKE_TIMEOUT;
	info.gid = -1;
	info.uid = -1;
	if (o->libev) {
		w->ctx = create_on_libev(w, &info);
		if (!w->ctx)
			log_warn("socket: the libev event loop is not available (Debian package "
			         "libwebsockets-evlib-ev); using poll()");
	}
	if (!w->ctx)
		w->ctx = lws_create_context(&info);
	log_info("socket: event loop %s", w->loop ? "libev" : "poll");
	struct lws_vhost *vh = w->ctx ? lws_get_vhost_by_name(w->ctx, "default") : NULL;
	w->port = vh ? lws_get_vhost_listen_port(vh) : 0;
	if (w->port <= 0) {   /* lws logged why (address in use, no such address) */
		snprintf(err, errlen, "cannot listen on %s:%d (socket)", o->host ? o->host : "",
		         o->port);
		return -1;
	}
	return 0;
}

static uint16_t clamp_secs(long v)
{
	return v < 1 ? 1 : v > 65535 ? 65535 : (uint16_t)v;
}

struct ws_server *ws_create(const struct ws_options *o, char *err, size_t errlen)
{
	struct ws_server *w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->max_message = o->max_message ? o->max_message : 16384;
	if (w->max_message > BUDGET_CLIENT_MESSAGE_MAX)   /* an answer echoes it (util/budget.h) */
		w->max_message = BUDGET_CLIENT_MESSAGE_MAX;
	w->db = o->db;
	w->preview = o->preview;
	w->stats = o->stats;
	w->takehome = o->takehome;
	w->metrics = o->metrics;
	long interval = o->log_interval > 0 ? o->log_interval : 10;
	log_rate_init(&w->accept_rate, interval);
	if (connlimit_init(&w->limits, NET_SOCKET, o->max_connections ? o->max_connections : 16000,
	                   o->max_per_address ? o->max_per_address : 256, o->metrics,
	                   interval) < 0) {
		snprintf(err, errlen, "out of memory");
		log_rate_destroy(&w->accept_rate);
		free(w);
		return NULL;
	}
	log_owner = w;
	sess_table_init(&w->sessions, o->max_sessions > 0 ? (size_t)o->max_sessions : 20000,
	                o->resume_window, o->metrics);
	w->sessions.preview_window = o->preview_resume_window;
	if (w->stats) {
		w->sessions.on_end = session_ended;
		w->sessions.on_end_ud = w;
	}
	/* Sealed tokens only with a shared key (without one, no other process
	 * could open them: the id alone is enough, and costs nothing). A token
	 * must fit back into {"type":"resume","token":"..."} (28 bytes around
	 * it) within max_message; too little room: id-only tokens too. */
	if (o->resume_key) {
		size_t room = w->max_message > 32 ? w->max_message - 32 : 0;
		sess_table_seal(&w->sessions, o->resume_key, room > TOKEN_ID_HEX + 64 ? room : 0);
	}
	w->protocols[0] = (struct lws_protocols){
		.name = "lotse",
		.callback = callback,
		.per_session_data_size = sizeof(struct conn),
		.rx_buffer_size = WS_RX_CHUNK,
	};
	w->retry.secs_since_valid_ping = clamp_secs(o->ping_interval);
	w->retry.secs_since_valid_hangup = clamp_secs((long)o->ping_interval + o->ping_timeout);
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
	if (create_context(w, o, err, errlen) < 0) {
		ws_destroy(w);
		return NULL;
	}
	w->sessions.ctx = w->ctx;
	return w;
}

int ws_port(const struct ws_server *w)
{
	return w->port;
}

struct sess_table *ws_sessions(struct ws_server *w)
{
	return &w->sessions;
}

int ws_allow_origin(struct ws_server *w, const char *origin)
{
	if (w->norigins >= WS_MAX_ORIGINS)
		return -1;
	for (size_t i = 0; i < w->norigins; i++)
		if (strcasecmp(w->origins[i], origin) == 0)
			return 0;
	char *copy = strdup(origin);
	if (!copy)
		return -1;
	w->origins[w->norigins++] = copy;
	return 0;
}

int ws_service(struct ws_server *w)
{
	flush_logs(w, false);
	if (!w->loop)
		return lws_service(w->ctx, 0);
	if (!w->kicked) {   /* timers set before the loop ran (restored conversations) */
		w->kicked = true;
		lws_cancel_service(w->ctx);
	}
	w->ev.run(w->loop, EVRUN_ONCE);
	return 0;
}

void ws_wake(struct ws_server *w)
{
	lws_cancel_service(w->ctx);
}

void ws_destroy(struct ws_server *w)
{
	if (!w)
		return;
	w->closing = true;
	if (w->ctx) {
		sess_table_free_detached(&w->sessions);   /* their timers live in ctx */
		lws_context_destroy(w->ctx);
	}
	if (w->loop) {
		w->ev.timer_stop(w->loop, &w->tick);
		w->ev.loop_destroy(w->loop);
	}
	if (w->ev.dl)
		dlclose(w->ev.dl);
	sess_table_clear(&w->sessions, false);
	for (size_t i = 0; i < w->norigins; i++)
		free(w->origins[i]);
	flush_logs(w, true);
	if (log_owner == w)
		log_owner = NULL;
	connlimit_free(&w->limits);
	log_rate_destroy(&w->accept_rate);
	free(w);
}
