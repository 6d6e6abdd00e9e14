/* talk.h - the conversation engine: a pure state machine.
 *
 * event + session + content snapshot -> new session state + a step to
 * render. No I/O, no globals, no sockets, no JSON: the network layer only
 * translates. A session holds a reference to the snapshot it started on, so a
 * reload never changes a running conversation; restart picks the current one.
 */
#ifndef LOTSE_TALK_H
#define LOTSE_TALK_H

#include <stdbool.h>
#include <stddef.h>

#include "content/content.h"

#define TALK_MAX_HISTORY 64
#define TALK_MAX_FACTS 64
#define TALK_MAX_CHOICES 16
#define TALK_MAX_OFFERS 20
#define TALK_MAX_HOPS 64     /* invisible steps (branch/goto) followed per event */

enum talk_err {
	TALK_OK = 0,
	TALK_ERR_UNKNOWN_TENANT,
	TALK_ERR_UNKNOWN_LANG,      /* not offered by this tenant */
	TALK_ERR_UNKNOWN_CHOICE,
	TALK_ERR_CANNOT_BACK,       /* already at the first step */
	TALK_ERR_BROKEN_FLOW,       /* loop of invisible steps or missing node */
	TALK_ERR_BAD_STATE,         /* resume: state does not fit the content */
};

/* A short stable code for protocol error frames ("unknown_choice", ...). */
const char *talk_err_code(enum talk_err e);
/* The msgid (German) of the error's human message, to translate. */
const char *talk_err_msgid(enum talk_err e);

struct talk_frame {                /* one visited visible step */
	const struct flow *flow;
	const struct node *node;
	unsigned short nfacts;         /* facts set before arriving here */
};

struct talk_session {
	struct content *content;       /* own reference */
	const struct tenant_content *tc;
	char lang[8];
	struct talk_frame history[TALK_MAX_HISTORY]; /* history[depth-1] is current */
	unsigned depth;
	struct fact facts[TALK_MAX_FACTS];            /* strings owned by content */
	unsigned nfacts;
};

struct talk_choice_out {
	const char *id;
	const char *label;
	const char *icon;              /* pictogram name (flow/pictogram.h) or NULL */
	const char *emoji;             /* its emoji for the step's direction, or NULL */
};

struct talk_offer_out {
	const struct offer *offer;
	const char *title, *description, *hours, *cost;  /* translated */
	int score;
};

struct talk_step {
	const char *tenant;
	const char *lang;
	const char *dir;               /* "ltr" | "rtl" */
	const char *flow;
	const char *node;
	enum node_kind kind;
	const char *text;              /* translated, never NULL */
	struct talk_choice_out choices[TALK_MAX_CHOICES];
	size_t nchoices;
	struct talk_offer_out offers[TALK_MAX_OFFERS];
	size_t noffers;
	const char *offers_count_text; /* plural: "3 Angebote" (offers step only) */
	const struct contact *contact; /* person step (and offers) */
	const char *contact_name, *contact_hours; /* translated */
	bool can_back;
	bool terminal;                 /* results/person/end with no choices */
	bool fell_back;                /* some text came from a fallback language */
	char countbuf[128];            /* storage for offers_count_text */
};

/* Starts a conversation on c (takes its own reference). tenant/lang may be
 * NULL for the defaults. On error *s is untouched. s is caller-allocated. */
enum talk_err talk_start(struct talk_session *s, struct content *c, const char *tenant,
                         const char *lang);
/* Releases the session's snapshot reference. */
void talk_end(struct talk_session *s);
enum talk_err talk_choose(struct talk_session *s, const char *choice_id);
enum talk_err talk_back(struct talk_session *s);
/* Back to the tenant's start, on the current snapshot (c may be NULL: keep). */
enum talk_err talk_restart(struct talk_session *s, struct content *c);
enum talk_err talk_language(struct talk_session *s, const char *lang);
/* Renders the current step in the session's language into *out. */
void talk_render(const struct talk_session *s, struct talk_step *out);
/* Renders a free-text search answer into *out (zeroed first): the offers
 * with these ids (unknown ids skipped, at most TALK_MAX_OFFERS), translated
 * into the session's language, and the plural count text. Sets tenant,
 * lang, dir, offers, noffers, offers_count_text and fell_back only. */
void talk_render_offers(const struct talk_session *s, const char *const *ids, size_t n,
                        struct talk_step *out);
/* Translates a msgid into the session's language (for error messages). */
const char *talk_text(const struct talk_session *s, const char *msgid);

/* Serialises the session as one line of text (tenant, lang, flow:node path,
 * facts) for resume; caller frees. Restores it onto content c, checking every
 * id against c; returns TALK_ERR_BAD_STATE if it no longer fits. */
char *talk_save(const struct talk_session *s);
enum talk_err talk_restore(struct talk_session *s, struct content *c, const char *saved);

#endif
