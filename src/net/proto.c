/* proto.c - parsing client frames and rendering server frames (JSON, jansson).
 * See proto.h and docs/protocol.md. */
#include "net/proto.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "content/messages.h"
#include "i18n/lang.h"

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
	[PROTO_E_TOO_BIG] = {"message_too_big", NULL},
	[PROTO_E_BINARY] = {"binary_frame", NULL},
	[PROTO_E_ORIGIN] = {"origin_refused", NULL},
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
};

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
	default: return NULL;
	}
}

static enum proto_err read_fields(json_t *root, struct proto_msg *m, char *detail, size_t dlen)
{
	static const char *const keys[] = {"tenant", "lang", "choice", "text", "token", "preview"};
	const char **outs[] = {&m->tenant, &m->lang, &m->choice, &m->text, &m->token, &m->preview};
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

/* A JSON string for s: null for NULL, "" for invalid UTF-8. New reference
 * (NULL only when out of memory). */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *v = json_string(s);
	return v ? v : json_string("");
}

/* Sets obj[key] = v, remembering a failure in *ok. Steals v. */
static void put(json_t *obj, const char *key, json_t *v, bool *ok)
{
	if (!v || json_object_set_new(obj, key, v) != 0)
		*ok = false;
}

static void push(json_t *arr, json_t *v, bool *ok)
{
	if (!v || json_array_append_new(arr, v) != 0)
		*ok = false;
}

/* Serialises root into a frame with head bytes of headroom; consumes root.
 * Returns NULL on failure. The caller frees the frame. */
static struct proto_frame *to_frame(json_t *root, bool ok, size_t head)
{
	struct proto_frame *f = NULL;
	char *text = NULL;
	if (!root || !ok)
		goto out;
	text = json_dumps(root, JSON_COMPACT);
	if (!text)
		goto out;
	size_t len = strlen(text);
	f = malloc(sizeof(*f) + head + len + 1);
	if (!f)
		goto out;
	f->head = head;
	f->len = len;
	memcpy(f->data + head, text, len + 1);
out:
	free(text);
	json_decref(root);
	return f;
}

static json_t *render_langs(const char *const *codes, size_t n, bool with_dir, bool *ok)
{
	json_t *arr = json_array();
	if (!arr) {
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct lang *l = lang_find(codes[i]);
		json_t *o = json_object();
		push(arr, o, ok);
		if (!o)
			break;
		put(o, "code", jstr(codes[i]), ok);
		put(o, "autonym", jstr(l ? l->autonym : codes[i]), ok);
		if (with_dir)
			put(o, "dir", jstr(lang_dir(codes[i])), ok);
	}
	return arr;
}

static json_t *render_offer(const struct talk_offer_out *oo, bool *ok)
{
	const struct offer *of = oo->offer;
	json_t *o = json_object();
	if (!o) {
		*ok = false;
		return NULL;
	}
	put(o, "id", jstr(of->id), ok);
	put(o, "title", jstr(oo->title), ok);
	put(o, "description", jstr(oo->description), ok);
	put(o, "district", jstr(of->district), ok);
	put(o, "address", jstr(of->address), ok);
	put(o, "hours", jstr(oo->hours), ok);
	put(o, "phone", jstr(of->phone), ok);
	put(o, "email", jstr(of->email), ok);
	put(o, "web", jstr(of->web), ok);
	put(o, "languages", render_langs(of->langs, of->nlangs, false, ok), ok);
	put(o, "cost", jstr(oo->cost), ok);
	put(o, "sample", json_boolean(of->sample), ok);
	return o;
}

static json_t *render_offers(const struct talk_offer_out *offers, size_t n, bool *ok)
{
	json_t *arr = json_array();
	if (!arr) {
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (offers[i].offer)
			push(arr, render_offer(&offers[i], ok), ok);
	return arr;
}

static json_t *render_contact(const struct talk_step *st, bool *ok)
{
	const struct contact *c = st->contact;
	if (!c)
		return json_null();
	json_t *o = json_object();
	if (!o) {
		*ok = false;
		return NULL;
	}
	put(o, "name", jstr(st->contact_name ? st->contact_name : c->name.msgid), ok);
	put(o, "person", jstr(c->person), ok);
	put(o, "address", jstr(c->address), ok);
	put(o, "phone", jstr(c->phone), ok);
	put(o, "email", jstr(c->email), ok);
	put(o, "web", jstr(c->web), ok);
	put(o, "hours", jstr(st->contact_hours ? st->contact_hours : c->hours.msgid), ok);
	return o;
}

static json_t *render_choices(const struct talk_step *st, bool *ok)
{
	json_t *arr = json_array();
	if (!arr) {
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < st->nchoices && i < TALK_MAX_CHOICES; i++) {
		json_t *o = json_object();
		push(arr, o, ok);
		if (!o)
			break;
		put(o, "id", jstr(st->choices[i].id), ok);
		put(o, "label", jstr(st->choices[i].label ? st->choices[i].label : ""), ok);
	}
	return arr;
}

struct proto_frame *proto_render_step(const struct talk_step *st, const char *token, size_t head)
{
	bool ok = true;
	json_t *o = json_object();
	if (!o)
		return NULL;
	size_t noffers = st->noffers < TALK_MAX_OFFERS ? st->noffers : TALK_MAX_OFFERS;
	put(o, "type", json_string("step"), &ok);
	put(o, "tenant", jstr(st->tenant), &ok);
	put(o, "lang", jstr(st->lang), &ok);
	put(o, "dir", jstr(st->dir ? st->dir : "ltr"), &ok);
	put(o, "flow", jstr(st->flow), &ok);
	put(o, "node", jstr(st->node), &ok);
	put(o, "kind", jstr(proto_kind_name(st->kind)), &ok);
	put(o, "text", jstr(st->text ? st->text : ""), &ok);
	put(o, "choices", render_choices(st, &ok), &ok);
	put(o, "offers", render_offers(st->offers, noffers, &ok), &ok);
	put(o, "offers_text", jstr(st->kind == NODE_OFFERS ? st->offers_count_text : NULL), &ok);
	put(o, "contact", render_contact(st, &ok), &ok);
	put(o, "can_back", json_boolean(st->can_back), &ok);
	put(o, "terminal", json_boolean(st->terminal), &ok);
	put(o, "token", jstr(token), &ok);
	return to_frame(o, ok, head);
}

struct proto_frame *proto_render_tenants(const struct proto_tenant *t, size_t n, size_t head)
{
	bool ok = true;
	json_t *o = json_object();
	json_t *arr = json_array();
	if (!o || !arr) {
		json_decref(o);
		json_decref(arr);
		return NULL;
	}
	put(o, "type", json_string("tenants"), &ok);
	put(o, "tenants", arr, &ok);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_object();
		push(arr, e, &ok);
		if (!e)
			break;
		put(e, "id", jstr(t[i].id), &ok);
		put(e, "name", jstr(t[i].name), &ok);
		put(e, "default_lang", jstr(t[i].default_lang), &ok);
		put(e, "sample", json_boolean(t[i].sample), &ok);
		put(e, "languages", render_langs(t[i].langs, t[i].nlangs, true, &ok), &ok);
	}
	return to_frame(o, ok, head);
}

struct proto_frame *proto_render_error(enum proto_err e, const char *message, size_t head)
{
	bool ok = true;
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "type", json_string("error"), &ok);
	put(o, "code", jstr(proto_err_code(e)), &ok);
	put(o, "message", jstr(message ? message : ""), &ok);
	return to_frame(o, ok, head);
}

struct proto_frame *proto_render_forgotten(size_t head)
{
	bool ok = true;
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "type", json_string("forgotten"), &ok);
	return to_frame(o, ok, head);
}

struct proto_frame *proto_render_answer(const char *query, const char *text,
                                        const struct talk_offer_out *offers, size_t noffers,
                                        size_t head)
{
	bool ok = true;
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "type", json_string("answer"), &ok);
	put(o, "query", jstr(query ? query : ""), &ok);
	put(o, "text", jstr(text ? text : ""), &ok);
	put(o, "offers", render_offers(offers, noffers, &ok), &ok);
	return to_frame(o, ok, head);
}
