/* proto.h - the conversation protocol: JSON text frames in and out.
 *
 * Pure translation between bytes and structs, no sockets and no session
 * state, so it can be unit-tested and fuzzed on its own. docs/protocol.md is
 * the contract for third-party clients; the names here follow it.
 *
 * Parsing uses jansson with an explicit length and JSON_REJECT_DUPLICATES;
 * every rendered frame is compact UTF-8 JSON (written directly, jsonw.h, the
 * same bytes jansson's compact dump gave), returned as a malloc'd buffer
 * with `head` free bytes in front of the text (libwebsockets needs LWS_PRE
 * bytes of headroom before a frame).
 */
#ifndef LOTSE_PROTO_H
#define LOTSE_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "talk/talk.h"


enum proto_type {
	PROTO_START,
	PROTO_CHOOSE,
	PROTO_BACK,
	PROTO_RESTART,
	PROTO_LANGUAGE,
	PROTO_ASK,
	PROTO_RESUME,
	PROTO_TENANTS,
	PROTO_FORGET,         /* end the conversation now, keep nothing */
	PROTO_EVENT,          /* the page reports a touch for the statistics ("what") */
	PROTO_TAKE_HOME,      /* a link to the results step for the family's phone */
};

/* Error codes of {"type":"error"} frames, plus a few that only count in the
 * metrics (the connection is closed instead of answered). */
enum proto_err {
	PROTO_E_NONE = 0,
	PROTO_E_BAD_JSON,
	PROTO_E_UNKNOWN_TYPE,
	PROTO_E_MISSING_FIELD,
	PROTO_E_UNKNOWN_CHOICE,
	PROTO_E_UNKNOWN_TENANT,
	PROTO_E_UNKNOWN_LANGUAGE,
	PROTO_E_CANNOT_BACK,
	PROTO_E_NO_SESSION,
	PROTO_E_BAD_TOKEN,
	PROTO_E_BROKEN_FLOW,
	PROTO_E_BUSY,               /* too many conversations at once */
	PROTO_E_INTERNAL,           /* out of memory, database error */
	PROTO_E_UNKNOWN_EVENT,      /* "event" with a "what" not in proto_event_known */
	PROTO_E_NO_TAKE_HOME,       /* take_home: no public_url, or not on a results step */
	/* metrics only: */
	PROTO_E_TOO_BIG,            /* closed with 1009 */
	PROTO_E_BINARY,             /* closed with 1003 */
	PROTO_E_ORIGIN,             /* handshake refused: Origin (403) */
	PROTO_E_HANDSHAKE,          /* handshake refused: malformed (400, 426) */
	PROTO_E_COUNT
};

/* The stable code ("bad_json", ...). Never NULL. */
const char *proto_err_code(enum proto_err e);
/* The German msgid of the error's message, or NULL for errors the engine
 * reports itself (use talk_err_msgid then) and metrics-only codes. */
const char *proto_err_msgid(enum proto_err e);
/* The protocol code for an engine error (TALK_OK -> PROTO_E_NONE). */
enum proto_err proto_err_from_talk(enum talk_err e);

/* One parsed client message. String fields point into `json` and live until
 * proto_msg_free; absent optional fields are NULL. */
struct proto_msg {
	enum proto_type type;
	const char *tenant;   /* start (optional) */
	const char *lang;     /* start (optional), language (required) */
	const char *choice;   /* choose */
	const char *text;     /* ask */
	const char *token;    /* resume */
	const char *preview;  /* start (optional): a staff preview token (docs/staff.md) */
	const char *kiosk;    /* start (optional): the kiosk's name when the page is pinned */
	const char *what;     /* event: "print", "qr", "read_aloud", "helped", "not_helped",
	                         "nothing_fits" */
	const char *revoke;   /* forget (optional): a take-home link to revoke (takehome.h) */
	void *json;           /* the parsed document (json_t *), owned */
};

/* Parses one complete text message of len bytes. On success fills *m
 * (release with proto_msg_free) and returns PROTO_E_NONE; otherwise returns
 * BAD_JSON (not JSON, not an object, duplicate keys, embedded NUL),
 * UNKNOWN_TYPE or MISSING_FIELD (a required field absent, or any known field
 * not a string), leaves nothing to free, and writes a short English detail
 * for the log into detail (bounded). */
enum proto_err proto_parse(const char *buf, size_t len, struct proto_msg *m, char *detail,
                           size_t detail_len);
/* Releases what proto_parse allocated. Safe on a zeroed struct. */
void proto_msg_free(struct proto_msg *m);

/* A rendered frame: `len` bytes of JSON at data + head. The caller frees
 * the whole block with free(frame). */
struct proto_frame {
	struct proto_frame *next;   /* free for the caller's queue; NULL when rendered */
	size_t head;
	size_t len;
	char data[];
};

/* One tenant as offered in the {"type":"tenants"} frame. */
struct proto_tenant {
	const char *id;
	const char *name;          /* translated into the tenant's default language */
	const char *default_lang;
	bool sample;
	const char *const *langs;  /* codes, in the tenant's order */
	const char *const *names;  /* NULL, or per langs[i]: the name translated into
	                            * it, NULL where the catalogue has none */
	size_t nlangs;
};

/* Renderers. Each returns a frame the caller frees (free()), or NULL when
 * out of memory. Strings that are not valid UTF-8 are sent as "". */
struct proto_frame *proto_render_step(const struct talk_step *st, const char *token,
                                      size_t head);
struct proto_frame *proto_render_tenants(const struct proto_tenant *t, size_t n, size_t head);
struct proto_frame *proto_render_error(enum proto_err e, const char *message, size_t head);
/* {"type":"forgotten"}: the answer to "forget". */
struct proto_frame *proto_render_forgotten(size_t head);
/* {"type":"noted"}: the answer to "event". */
struct proto_frame *proto_render_noted(size_t head);
/* Whether what is an event the page may send ({"type":"event"}). */
bool proto_event_known(const char *what);
/* {"type":"take_home","url":...,"qr":...,"expires":N,"words":{...}}: the
 * answer to "take_home". words: n pairs (key, translated text). */
struct proto_frame *proto_render_take_home(const char *url, const char *qr, long long expires,
                                           const char *const *words, size_t n, size_t head);
/* The body of /t/<link>.json (not a frame: head 0): {"tenant","lang","dir",
 * "text","offers":[...],"offers_text","contact":{...},"expires":N,
 * "words":{...}}; st as talk_render_offers fills it, plus contact. Returns
 * malloc'd JSON text the caller frees (its length in *len), or NULL. */
char *proto_render_take_home_page(const struct talk_step *st, long long expires,
                                  const char *const *words, size_t n, size_t *len);
/* The answer to "ask": offers are already translated (as in a step). */
struct proto_frame *proto_render_answer(const char *query, const char *text,
                                        const struct talk_offer_out *offers, size_t noffers,
                                        size_t head);

/* The protocol name of a node kind ("ask", "say", "offers", "person",
 * "end"; "branch"/"goto" never reach a client). */
const char *proto_kind_name(enum node_kind k);

#endif
