/* proto.c - parsing client frames (jansson) and rendering server frames
 * (jsonw.h, written directly into the frame). See proto.h and
 * docs/protocol.md. */
#include "net/proto.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "content/messages.h"
#include "i18n/lang.h"
#include "net/jsonw.h"

struct err_info {
	const char *code;
	const char *msgid;   /* NULL: the engine's message (talk_err_msgid) */
};

static const struct err_info errs[PROTO_E_COUNT] = {
	[PROTO_E_NONE] = {"none", NULL},
	[PROTO_E_BAD_JSON] = {"bad_json", MSG_ERR_JSON},
	[PROTO_E_UNKNOWN_TYPE] = {"unknown_type", MSG_ERR_TYPE},
	[PROTO_E_MISSING_FIELD] = {"missing_field",
	                           MSG_ERR_FIELD},
	[PROTO_E_UNKNOWN_CHOICE] = {"unknown_choice", NULL},
	[PROTO_E_UNKNOWN_TENANT] = {"unknown_tenant", NULL},
	[PROTO_E_UNKNOWN_LANGUAGE] = {"unknown_language", NULL},
	[PROTO_E_CANNOT_BACK] = {"cannot_back", NULL},
	[PROTO_E_NO_SESSION] = {"no_session", MSG_ERR_NOSESS},
	[PROTO_E_BAD_TOKEN] = {"bad_token",
	                       MSG_ERR_TOKEN},
	[PROTO_E_BROKEN_FLOW] = {"broken_flow", NULL},
	[PROTO_E_BUSY] = {"busy",
	                  MSG_ERR_BUSY},
	[PROTO_E_INTERNAL] = {"internal",
	                      MSG_ERR_INTERNAL},
	[PROTO_E_UNKNOWN_EVENT] = {"unknown_event", MSG_ERR_TYPE},
	[PROTO_E_NO_TAKE_HOME] = {"no_take_home", MSG_ERR_TAKE_HOME},
	[PROTO_E_TOO_BIG] = {"message_too_big", NULL},
	[PROTO_E_BINARY] = {"binary_frame", NULL},
	[PROTO_E_ORIGIN] = {"origin_refused", NULL},
	[PROTO_E_HANDSHAKE] = {"bad_handshake", NULL},
};


const char *proto_err_code(enum proto_err e)
{
	if ((unsigned)e >= PROTO_E_COUNT)
		return "internal";
	return errs[e].code;
}

const char *proto_err_msgid(enum proto_err e)
{
	if ((unsigned)e >= PROTO_E_COUNT)
		return errs[PROTO_E_INTERNAL].msgid;
	return errs[e].msgid;
}

enum proto_err proto_err_from_talk(enum talk_err e)
{
	switch (e) {
	case TALK_OK: return PROTO_E_NONE;
	case TALK_ERR_UNKNOWN_TENANT: return PROTO_E_UNKNOWN_TENANT;
	case TALK_ERR_UNKNOWN_LANG: return PROTO_E_UNKNOWN_LANGUAGE;
	case TALK_ERR_UNKNOWN_CHOICE: return PROTO_E_UNKNOWN_CHOICE;
	case TALK_ERR_CANNOT_BACK: return PROTO_E_CANNOT_BACK;
	case TALK_ERR_BROKEN_FLOW: return PROTO_E_BROKEN_FLOW;
	case TALK_ERR_BAD_STATE: return PROTO_E_BAD_TOKEN;
	}
	return PROTO_E_INTERNAL;
}

const char *proto_kind_name(enum node_kind k)
{
	switch (k) {
	case NODE_ASK: return "ask";
	case NODE_SAY: return "say";
	case NODE_BRANCH: return "branch";
	case NODE_OFFERS: return "offers";
	case NODE_PERSON: return "person";
	case NODE_END: return "end";
	case NODE_GOTO: return "goto";
	}
	return "unknown";
}

/* ---- parsing ---- */

struct type_info {
	const char *name;
	enum proto_type type;
};

static const struct type_info types[] = {
	{"start", PROTO_START},       {"choose", PROTO_CHOOSE},   {"back", PROTO_BACK},
	{"restart", PROTO_RESTART},   {"language", PROTO_LANGUAGE}, {"ask", PROTO_ASK},
	{"resume", PROTO_RESUME},     {"tenants", PROTO_TENANTS},   {"forget", PROTO_FORGET},
	{"event", PROTO_EVENT},
	{"take_home", PROTO_TAKE_HOME},
};

static const char *const page_events[] = {"print", "qr", "read_aloud", "helped", "not_helped",
                                          "nothing_fits"};

bool proto_event_known(const char *what)
{
	for (size_t i = 0; what && i < sizeof(page_events) / sizeof(page_events[0]); i++)
		if (strcmp(what, page_events[i]) == 0)
			return true;
	return false;
}

/* Reads an optional string field into *out. Returns -1 if present and not
 * a string. */
static int opt_string(json_t *root, const char *key, const char **out)
{
	json_t *v = json_object_get(root, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* Which field a message type requires (NULL: none). */
static const char *required_field(enum proto_type t)
{
	switch (t) {
	case PROTO_CHOOSE: return "choice";
	case PROTO_LANGUAGE: return "lang";
	case PROTO_ASK: return "text";
	case PROTO_RESUME: return "token";
	case PROTO_EVENT: return "what";
	default: return NULL;
	}
}

static enum proto_err read_fields(json_t *root, struct proto_msg *m, char *detail, size_t dlen)
{
	static const char *const keys[] = {"tenant", "lang",    "choice", "text",
	                                   "token",  "preview", "kiosk",  "what",
	                                   "revoke"};
	const char **outs[] = {&m->tenant, &m->lang,    &m->choice, &m->text,
	                       &m->token,  &m->preview, &m->kiosk,  &m->what,
	                       &m->revoke};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (opt_string(root, keys[i], outs[i]) < 0) {
			snprintf(detail, dlen, "field \"%s\" is not a string", keys[i]);
			return PROTO_E_MISSING_FIELD;
		}
	}
	const char *req = required_field(m->type);
	if (req && !json_object_get(root, req)) {
		snprintf(detail, dlen, "field \"%s\" is missing", req);
		return PROTO_E_MISSING_FIELD;
	}
	if (m->type == PROTO_EVENT && !proto_event_known(m->what)) {
		snprintf(detail, dlen, "unknown event \"%.40s\"", m->what);
		return PROTO_E_UNKNOWN_EVENT;
	}
	return PROTO_E_NONE;
}

static enum proto_err read_type(json_t *root, struct proto_msg *m, char *detail, size_t dlen)
{
	json_t *t = json_object_get(root, "type");
	if (!t || !json_is_string(t)) {
		snprintf(detail, dlen, "field \"type\" is %s", t ? "not a string" : "missing");
		return PROTO_E_MISSING_FIELD;
	}
	const char *name = json_string_value(t);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(types[i].name, name) == 0) {
			m->type = types[i].type;
			return PROTO_E_NONE;
		}
	}
	snprintf(detail, dlen, "unknown type \"%.40s\"", name);
	return PROTO_E_UNKNOWN_TYPE;
}

enum proto_err proto_parse(const char *buf, size_t len, struct proto_msg *m, char *detail,
                           size_t detail_len)
{
	json_error_t jerr;
	enum proto_err e = PROTO_E_NONE;
	memset(m, 0, sizeof(*m));
	if (detail_len)
		detail[0] = '\0';
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(detail, detail_len, "%d:%d: %s", jerr.line, jerr.column, jerr.text);
		return PROTO_E_BAD_JSON;
	}
	if (!json_is_object(root)) {
		snprintf(detail, detail_len, "not a JSON object");
		e = PROTO_E_BAD_JSON;
		goto out;
	}
	e = read_type(root, m, detail, detail_len);
	if (e == PROTO_E_NONE)
		e = read_fields(root, m, detail, detail_len);
out:
	if (e != PROTO_E_NONE) {
		json_decref(root);
		memset(m, 0, sizeof(*m));
		return e;
	}
	m->json = root;
	return PROTO_E_NONE;
}

void proto_msg_free(struct proto_msg *m)
{
	json_decref((json_t *)m->json);
	memset(m, 0, sizeof(*m));
}

/* ---- rendering ---- */

/* Frames are written directly into their own block (jsonw.h): the struct
 * proto_frame header, then `head` bytes of headroom, then the text. The
 * output is what jansson's json_dumps(JSON_COMPACT) printed for the same
 * objects before, field for field and byte for byte. */

#define FRAME_PREFIX(head) (offsetof(struct proto_frame, data) + (head))

static void begin(struct jsonw *w, size_t head, size_t hint, const char *type)
{
	jsonw_init(w, FRAME_PREFIX(head), hint);
	jsonw_obj_open(w);
	jsonw_key(w, "type");
	jsonw_str(w, type);
}

/* Closes the frame's object and turns the buffer into the frame. Returns
 * NULL when out of memory. The caller frees the frame. */
static struct proto_frame *finish(struct jsonw *w, size_t head)
{
	size_t len = 0;
	jsonw_obj_close(w);
	struct proto_frame *f = (struct proto_frame *)jsonw_finish(w, &len);
	if (!f)
		return NULL;
	f->next = NULL;
	f->head = head;
	f->len = len;
	return f;
}

static void kv_str(struct jsonw *w, const char *key, const char *value)
{
	jsonw_key(w, key);
	jsonw_str(w, value);
}

static void kv_bool(struct jsonw *w, const char *key, bool value)
{
	jsonw_key(w, key);
	jsonw_bool(w, value);
}

static void render_langs(struct jsonw *w, const char *const *codes, size_t n, bool with_dir)
{
	jsonw_arr_open(w);
	for (size_t i = 0; i < n; i++) {
		const struct lang *l = lang_find(codes[i]);
		jsonw_obj_open(w);
		kv_str(w, "code", codes[i]);
		kv_str(w, "autonym", l ? l->autonym : codes[i]);
		if (with_dir)
			kv_str(w, "dir", l && l->rtl ? "rtl" : "ltr");   /* lang_dir */
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
}

static void render_offer(struct jsonw *w, const struct talk_offer_out *oo)
{
	const struct offer *of = oo->offer;
	jsonw_obj_open(w);
	kv_str(w, "id", of->id);
	kv_str(w, "title", oo->title);
	kv_str(w, "description", oo->description);
	kv_str(w, "district", of->district);
	kv_str(w, "address", of->address);
	kv_str(w, "hours", oo->hours);
	kv_str(w, "phone", of->phone);
	kv_str(w, "email", of->email);
	kv_str(w, "web", of->web);
	jsonw_key(w, "languages");
	render_langs(w, of->langs, of->nlangs, false);
	kv_str(w, "cost", oo->cost);
	kv_bool(w, "sample", of->sample);
	jsonw_obj_close(w);
}

static void render_offers(struct jsonw *w, const struct talk_offer_out *offers, size_t n)
{
	jsonw_arr_open(w);
	for (size_t i = 0; i < n; i++)
		if (offers[i].offer)
			render_offer(w, &offers[i]);
	jsonw_arr_close(w);
}

static void render_contact(struct jsonw *w, const struct talk_step *st)
{
	const struct contact *c = st->contact;
	if (!c) {
		jsonw_null(w);
		return;
	}
	jsonw_obj_open(w);
	kv_str(w, "name", st->contact_name ? st->contact_name : c->name.msgid);
	kv_str(w, "person", c->person);
	kv_str(w, "address", c->address);
	kv_str(w, "phone", c->phone);
	kv_str(w, "email", c->email);
	kv_str(w, "web", c->web);
	kv_str(w, "hours", st->contact_hours ? st->contact_hours : c->hours.msgid);
	jsonw_obj_close(w);
}

static void render_choices(struct jsonw *w, const struct talk_step *st)
{
	jsonw_arr_open(w);
	for (size_t i = 0; i < st->nchoices && i < TALK_MAX_CHOICES; i++) {
		jsonw_obj_open(w);
		kv_str(w, "id", st->choices[i].id);
		kv_str(w, "label", st->choices[i].label ? st->choices[i].label : "");
		if (st->choices[i].icon && st->choices[i].emoji) {   /* absent when none */
			kv_str(w, "icon", st->choices[i].icon);
			kv_str(w, "emoji", st->choices[i].emoji);
		}
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
}

/* Room for a typical frame, so that most need no realloc. */
#define STEP_HINT 2048
#define SMALL_HINT 256

struct proto_frame *proto_render_step(const struct talk_step *st, const char *token, size_t head)
{
	struct jsonw w;
	size_t noffers = st->noffers < TALK_MAX_OFFERS ? st->noffers : TALK_MAX_OFFERS;
	begin(&w, head, STEP_HINT, "step");
	kv_str(&w, "tenant", st->tenant);
	kv_str(&w, "lang", st->lang);
	kv_str(&w, "dir", st->dir ? st->dir : "ltr");
	kv_str(&w, "flow", st->flow);
	kv_str(&w, "node", st->node);
	kv_str(&w, "kind", proto_kind_name(st->kind));
	kv_str(&w, "text", st->text ? st->text : "");
	jsonw_key(&w, "choices");
	render_choices(&w, st);
	jsonw_key(&w, "offers");
	render_offers(&w, st->offers, noffers);
	kv_str(&w, "offers_text", st->kind == NODE_OFFERS ? st->offers_count_text : NULL);
	jsonw_key(&w, "contact");
	render_contact(&w, st);
	kv_bool(&w, "can_back", st->can_back);
	kv_bool(&w, "terminal", st->terminal);
	kv_str(&w, "token", token);
	return finish(&w, head);
}

struct proto_frame *proto_render_tenants(const struct proto_tenant *t, size_t n, size_t head)
{
	struct jsonw w;
	begin(&w, head, STEP_HINT, "tenants");
	jsonw_key(&w, "tenants");
	jsonw_arr_open(&w);
	for (size_t i = 0; i < n; i++) {
		jsonw_obj_open(&w);
		kv_str(&w, "id", t[i].id);
		kv_str(&w, "name", t[i].name);
		kv_str(&w, "default_lang", t[i].default_lang);
		kv_bool(&w, "sample", t[i].sample);
		jsonw_key(&w, "languages");
		render_langs(&w, t[i].langs, t[i].nlangs, true);
		jsonw_key(&w, "names");     /* the name in the languages that translate it */
		jsonw_obj_open(&w);
		for (size_t k = 0; t[i].names && k < t[i].nlangs; k++)
			if (t[i].names[k])
				kv_str(&w, t[i].langs[k], t[i].names[k]);
		jsonw_obj_close(&w);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	return finish(&w, head);
}

struct proto_frame *proto_render_error(enum proto_err e, const char *message, size_t head)
{
	struct jsonw w;
	begin(&w, head, SMALL_HINT, "error");
	kv_str(&w, "code", proto_err_code(e));
	kv_str(&w, "message", message ? message : "");
	return finish(&w, head);
}

struct proto_frame *proto_render_forgotten(size_t head)
{
	struct jsonw w;
	begin(&w, head, 32, "forgotten");
	return finish(&w, head);
}

struct proto_frame *proto_render_noted(size_t head)
{
	struct jsonw w;
	begin(&w, head, 32, "noted");
	return finish(&w, head);
}

struct proto_frame *proto_render_answer(const char *query, const char *text,
                                        const struct talk_offer_out *offers, size_t noffers,
                                        size_t head)
{
	struct jsonw w;
	begin(&w, head, STEP_HINT, "answer");
	kv_str(&w, "query", query ? query : "");
	kv_str(&w, "text", text ? text : "");
	jsonw_key(&w, "offers");
	render_offers(&w, offers, noffers);
	return finish(&w, head);
}

static void render_words(struct jsonw *w, const char *const *words, size_t n)
{
	jsonw_key(w, "words");
	jsonw_obj_open(w);
	for (size_t i = 0; i + 1 < 2 * n; i += 2)
		kv_str(w, words[i], words[i + 1]);
	jsonw_obj_close(w);
}

struct proto_frame *proto_render_take_home(const char *url, const char *qr, long long expires,
                                           const char *const *words, size_t n, size_t head)
{
	struct jsonw w;
	begin(&w, head, STEP_HINT, "take_home");
	kv_str(&w, "url", url);
	kv_str(&w, "qr", qr);
	jsonw_key(&w, "expires");
	jsonw_int(&w, expires);
	render_words(&w, words, n);
	return finish(&w, head);
}

/* Returns malloc'd JSON; caller frees. */
char *proto_render_take_home_page(const struct talk_step *st, long long expires,
                                  const char *const *words, size_t n, size_t *len)
{
	struct jsonw w;
	size_t noffers = st->noffers < TALK_MAX_OFFERS ? st->noffers : TALK_MAX_OFFERS;
	jsonw_init(&w, 0, STEP_HINT);
	jsonw_obj_open(&w);
	kv_str(&w, "tenant", st->tenant);
	kv_str(&w, "lang", st->lang);
	kv_str(&w, "dir", st->dir ? st->dir : "ltr");
	kv_str(&w, "text", st->text ? st->text : "");
	jsonw_key(&w, "offers");
	render_offers(&w, st->offers, noffers);
	kv_str(&w, "offers_text", st->offers_count_text);
	jsonw_key(&w, "contact");
	render_contact(&w, st);
	jsonw_key(&w, "expires");
	jsonw_int(&w, expires);
	render_words(&w, words, n);
	jsonw_obj_close(&w);
	return jsonw_finish(&w, len);
}
