/* kiosk.c - QR codes, read-aloud audio and fonts on the kiosk address
 * (see kiosk.h and docs/protocol.md "Kiosk HTTP endpoints"). Runs on
 * libmicrohttpd's threads; every text comes from the current content
 * snapshot, held by reference for the time of one request. */
#include "net/kiosk.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content.h"
#include "i18n/catalog.h"
#include "net/http_util.h"
#include "net/qr.h"
#include "net/speech.h"
#include "net/voices.h"
#include "util/log.h"

#define KIOSK_MAX_COMPS 8
#define KIOSK_MAX_SEGS 8
#define NO_STORE "no-store"   /* QR and audio tell which offers someone looked at */

struct kiosk {
	int fonts_fd;               /* O_PATH, or -1 when the folder is missing */
	struct speech *speech;      /* owned */
	struct voices *voices;      /* owned; NULL: nothing is recorded */
};

/* ---- parsing ---- */

static bool id_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return n >= 1 && n <= KIOSK_ID_MAX;
}

static bool lang_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < 'a' || s[n] > 'z')
			return false;
	return n >= 2 && n <= 3;
}

/* If s ends with suffix, cuts it off (in place) and returns whether the
 * rest is an id. */
static bool id_with_suffix(char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	if (n <= k || strcmp(s + n - k, suffix) != 0)
		return false;
	s[n - k] = '\0';
	return id_ok(s);
}

/* Splits url + 1 at '/' into comp (pointing into buf). Returns the count,
 * or -1 when too long or too many. */
static int split(const char *url, char *buf, size_t cap, char **comp)
{
	size_t n = strlen(url + 1);
	if (n >= cap)
		return -1;
	memcpy(buf, url + 1, n + 1);
	int k = 0;
	char *p = buf;
	for (;;) {
		if (k == KIOSK_MAX_COMPS)
			return -1;
		comp[k++] = p;
		char *slash = strchr(p, '/');
		if (!slash)
			return k;
		*slash = '\0';
		p = slash + 1;
	}
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

/* Cuts ".opus" (Ogg Opus) or ".wav" (old pages: redirected) off the last
 * path segment; returns whether it was ".wav". Other endings stay (and are
 * then no id). */
static bool speak_ext(char *last)
{
	size_t n = strlen(last);
	if (n > 5 && !strcmp(last + n - 5, ".opus")) {
		last[n - 5] = '\0';
		return false;
	}
	if (n > 4 && !strcmp(last + n - 4, ".wav")) {
		last[n - 4] = '\0';
		return true;
	}
	last[0] = '\0';   /* neither: not an id */
	return false;
}

static enum kroute_kind parse_speak(char **comp, int n, struct kroute *r)
{
	if (n == 2 && strcmp(comp[1], "voices.json") == 0)
		return KR_VOICES;
	if (n < 4 || !id_ok(comp[1]) || !lang_ok(comp[2]))
		return KR_BAD;
	copy(r->tenant, sizeof(r->tenant), comp[1]);
	copy(r->lang, sizeof(r->lang), comp[2]);
	if (n == 4 && strcmp(comp[3], "recorded.json") == 0)
		return KR_RECORDED;
	r->wav = speak_ext(comp[n - 1]);
	if (n == 4 && strcmp(comp[3], "person") == 0)
		return KR_SPEAK_PERSON;
	if (n == 5 && strcmp(comp[3], "offer") == 0 && id_ok(comp[4])) {
		copy(r->offer, sizeof(r->offer), comp[4]);
		return KR_SPEAK_OFFER;
	}
	if (n == 6 && strcmp(comp[3], "step") == 0 && id_ok(comp[4]) && id_ok(comp[5])) {
		copy(r->flow, sizeof(r->flow), comp[4]);
		copy(r->node, sizeof(r->node), comp[5]);
		return KR_SPEAK_STEP;
	}
	return KR_BAD;
}

static enum kroute_kind classify(char **comp, int n, struct kroute *r)
{
	if (strcmp(comp[0], "k") == 0) {
		if ((n == 2 || (n == 3 && comp[2][0] == '\0')) && id_ok(comp[1])) {
			copy(r->tenant, sizeof(r->tenant), comp[1]);
			return KR_PAGE;
		}
		return KR_BAD;
	}
	if (strcmp(comp[0], "qr") == 0) {
		if (n == 3 && id_ok(comp[1]) && id_with_suffix(comp[2], ".svg")) {
			copy(r->tenant, sizeof(r->tenant), comp[1]);
			copy(r->offer, sizeof(r->offer), comp[2]);
			return KR_QR;
		}
		return KR_BAD;
	}
	if (strcmp(comp[0], "speak") == 0)
		return parse_speak(comp, n, r);
	if (strcmp(comp[0], "fonts") == 0) {
		if (n == 2 && fonts_mime(comp[1])) {
			copy(r->font, sizeof(r->font), comp[1]);
			return KR_FONT;
		}
		return KR_BAD;
	}
	return KR_NONE;
}

enum kroute_kind kroute_parse(const char *url, struct kroute *r)
{
	char buf[512];
	char *comp[KIOSK_MAX_COMPS];
	memset(r, 0, sizeof(*r));
	if (!url || url[0] != '/')
		return r->kind = KR_NONE;
	int n = split(url, buf, sizeof(buf), comp);
	if (n < 0) {   /* too long: only ours if it starts like ours */
		bool ours = !strncmp(url, "/k/", 3) || !strncmp(url, "/qr/", 4) ||
		            !strncmp(url, "/speak/", 7) || !strncmp(url, "/fonts/", 7);
		return r->kind = ours ? KR_BAD : KR_NONE;
	}
	r->kind = classify(comp, n, r);
	if (r->kind == KR_BAD || r->kind == KR_NONE) {
		enum kroute_kind k = r->kind;
		memset(r, 0, sizeof(*r));
		r->kind = k;
	}
	return r->kind;
}

/* ---- answers ---- */

/* Sends data (malloc'd; taken over and freed by libmicrohttpd). */
static enum MHD_Result send_owned(struct MHD_Connection *c, const char *type, const char *cache,
                                  void *data, size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	http_base_headers(resp, type, cache, false);
	if (strcmp(type, "image/svg+xml") == 0)
		MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'none'");
	return http_queue(c, MHD_HTTP_OK, resp);
}

static enum MHD_Result send_status(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	http_base_headers(resp, "text/plain; charset=utf-8", "no-cache", false);
	return http_queue(c, status, resp);
}

static enum MHD_Result not_found(struct MHD_Connection *c)
{
	return send_status(c, MHD_HTTP_NOT_FOUND, "not found\n");
}

static bool tenant_speaks(const struct tenant *t, const char *lang)
{
	for (size_t i = 0; lang && i < t->nlangs; i++)
		if (strcmp(t->langs[i], lang) == 0)
			return true;
	return false;
}

static const char *tr(const struct content *ct, const char *lang, const struct text *t)
{
	return t->msgid ? catalog_gettext(ct->catalogs, lang, t->context, t->msgid, NULL) : NULL;
}

static enum MHD_Result answer_qr(struct MHD_Connection *c, const struct kroute *r)
{
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, r->tenant) : NULL;
	const struct offer *o = tc ? tenant_offer(tc, r->offer) : NULL;
	const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	if (o && !lang)
		lang = tc->tenant->default_lang;
	if (!o || !tenant_speaks(tc->tenant, lang)) {
		content_unref(ct);
		return not_found(c);
	}
	struct qr_contact qc = {
		.name = tr(ct, lang, &o->title), .phone = o->phone, .email = o->email, .web = o->web,
		.address = o->address, .hours = tr(ct, lang, &o->hours), .district = o->district,
	};
	size_t len = 0;
	char *vcard = qr_vcard(&qc);
	char *svg = vcard ? qr_svg(vcard, qc.name, &len) : NULL;
	free(vcard);
	content_unref(ct);
	if (!svg)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "no QR code\n");
	return send_owned(c, "image/svg+xml", NO_STORE, svg, len);
}

static enum MHD_Result answer_font(struct kiosk *k, struct MHD_Connection *c,
                                   const struct kroute *r)
{
	size_t size = 0;
	int fd = fonts_open(k->fonts_fd, r->font, &size);
	if (fd < 0)
		return not_found(c);
	struct MHD_Response *resp = MHD_create_response_from_fd(size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	http_base_headers(resp, fonts_mime(r->font), FONTS_CACHE_CONTROL, false);
	return http_queue(c, MHD_HTTP_OK, resp);
}

static enum MHD_Result answer_voices(struct kiosk *k, struct MHD_Connection *c)
{
	char *json = speech_voices_json(k->speech);
	if (!json)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	return send_owned(c, "application/json", "no-cache", json, strlen(json));
}

/* ---- read aloud ---- */

/* The texts of one recording, each rewritten for speech in its own buffer,
 * or a recorded voice that replaces it (recs[i].audio). */
struct script {
	const struct content *ct;
	const char *tenant;
	const char *lang;            /* the requested language */
	struct speech *speech;
	struct voices *voices;       /* may be NULL */
	bool with_audio;             /* read the recordings' audio (not only whether there are) */
	struct strbuf bufs[KIOSK_MAX_SEGS];
	struct speech_segment segs[KIOSK_MAX_SEGS];
	struct store_recording recs[KIOSK_MAX_SEGS];
	size_t n;
	size_t nrec;                 /* how many segments are recordings */
	char ids[160];               /* "r<id>" of each recording: part of the cache key */
};

/* Which language a translated text is really in: the requested one, or,
 * when the catalogue fell back, German (the msgid itself) or English. */
static const char *text_lang(struct script *s, const struct text *t, const char **out)
{
	bool fb = false;
	*out = catalog_gettext(s->ct->catalogs, s->lang, t->context, t->msgid, &fb);
	if (!fb)
		return s->lang;
	if (strcmp(*out, t->msgid) == 0)
		return CATALOG_SOURCE_LANG;
	if (catalog_set_has(s->ct->catalogs, "en") &&
	    catalog_lookup(s->ct->catalogs, "en", t->context, t->msgid) == *out)
		return "en";
	return s->lang;
}

static void add(struct script *s, const char *lang, const char *text,
                void (*rewrite)(struct strbuf *, const char *))
{
	if (!text || !*text || s->n == KIOSK_MAX_SEGS)
		return;
	if (!speech_has_voice(s->speech, s->lang))
		return;   /* no voice for the language (Pashto): only recordings are heard */
	struct strbuf *b = &s->bufs[s->n];
	rewrite(b, text);
	if (!strbuf_ok(b))
		return;
	s->segs[s->n].lang = speech_has_voice(s->speech, lang) ? lang : s->lang;
	s->segs[s->n].text = strbuf_str(b);
	s->n++;
}

/* Adds a translatable text, read in the language it is in. */
static void add_text(struct script *s, const struct text *t)
{
	const char *text = NULL;
	if (!t->msgid)
		return;
	const char *lang = text_lang(s, t, &text);
	if (s->n < KIOSK_MAX_SEGS && voices_find(s->voices, s->tenant, lang, t->context, t->msgid,
	                                         text, s->with_audio, &s->recs[s->n]) == 1) {
		size_t used = strlen(s->ids);
		snprintf(s->ids + used, sizeof(s->ids) - used, "/r%lld", s->recs[s->n].id);
		s->segs[s->n].audio = s->recs[s->n].audio;
		s->segs[s->n].audio_len = s->recs[s->n].len;
		s->n++;
		s->nrec++;
		return;
	}
	add(s, lang, text, speech_text_words);
}

static void script_init(struct script *s, const struct content *ct, const char *tenant,
                        const char *lang, struct kiosk *k, bool with_audio)
{
	memset(s, 0, sizeof(*s));
	s->ct = ct;
	s->tenant = tenant;
	s->lang = lang;
	s->speech = k->speech;
	s->voices = k->voices;
	s->with_audio = with_audio;
	for (size_t i = 0; i < KIOSK_MAX_SEGS; i++)
		strbuf_init(&s->bufs[i]);
}

/* Frees the script's buffers and recordings. */
static void script_free(struct script *s)
{
	for (size_t i = 0; i < KIOSK_MAX_SEGS; i++) {
		strbuf_free(&s->bufs[i]);
		store_recording_free(&s->recs[i]);
	}
}

static void script_offer(struct script *s, const struct offer *o)
{
	add_text(s, &o->title);
	add_text(s, &o->description);
	add_text(s, &o->hours);
	add(s, s->lang, o->address, speech_address_words);
	add(s, s->lang, o->phone, speech_phone_words);
	add_text(s, &o->cost);
}

static void script_person(struct script *s, const struct contact *ct)
{
	add_text(s, &ct->name);
	add(s, s->lang, ct->person, speech_text_words);
	add(s, s->lang, ct->address, speech_address_words);
	add(s, s->lang, ct->phone, speech_phone_words);
	add_text(s, &ct->hours);
}

/* The node a step recording is for, or NULL (unknown, or never shown). */
static const struct node *spoken_node(const struct tenant_content *tc, const struct kroute *r)
{
	const struct flow *f = tenant_flow(tc, r->flow);
	const struct node *n = f ? flow_node(f, r->node) : NULL;
	if (!n || n->kind == NODE_BRANCH || n->kind == NODE_GOTO || !n->text.msgid)
		return NULL;
	return n;
}

/* Fills the script for a route; false when what it names does not exist. */
static bool make_script(struct script *s, const struct tenant_content *tc, const struct kroute *r)
{
	if (r->kind == KR_SPEAK_STEP) {
		const struct node *n = spoken_node(tc, r);
		if (n)
			add_text(s, &n->text);
		return n != NULL;
	}
	if (r->kind == KR_SPEAK_OFFER) {
		const struct offer *o = tenant_offer(tc, r->offer);
		if (o)
			script_offer(s, o);
		return o != NULL;
	}
	script_person(s, &tc->tenant->contact);
	return true;
}

/* Whether the route names something that exists (before any synthesis). */
static bool speak_exists(const struct tenant_content *tc, const struct kroute *r)
{
	if (r->kind == KR_SPEAK_STEP)
		return spoken_node(tc, r) != NULL;
	if (r->kind == KR_SPEAK_OFFER)
		return tenant_offer(tc, r->offer) != NULL;
	return true;
}

static void speak_key(char *key, size_t n, unsigned long gen, const struct kroute *r,
                      const char *ids)
{
	if (r->kind == KR_SPEAK_STEP)
		snprintf(key, n, "%lu/%s/%s/step/%s/%s%s", gen, r->tenant, r->lang, r->flow, r->node, ids);
	else if (r->kind == KR_SPEAK_OFFER)
		snprintf(key, n, "%lu/%s/%s/offer/%s%s", gen, r->tenant, r->lang, r->offer, ids);
	else
		snprintf(key, n, "%lu/%s/%s/person%s", gen, r->tenant, r->lang, ids);
}

/* Old pages ask for .wav: 308 to the same path with .opus. */
static enum MHD_Result redirect_opus(struct MHD_Connection *c, const struct kroute *r)
{
	char to[400];
	if (r->kind == KR_SPEAK_STEP)
		snprintf(to, sizeof(to), "/speak/%s/%s/step/%s/%s.opus", r->tenant, r->lang, r->flow,
		         r->node);
	else if (r->kind == KR_SPEAK_OFFER)
		snprintf(to, sizeof(to), "/speak/%s/%s/offer/%s.opus", r->tenant, r->lang, r->offer);
	else
		snprintf(to, sizeof(to), "/speak/%s/%s/person.opus", r->tenant, r->lang);
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
	                                                            MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	http_base_headers(resp, "text/plain; charset=utf-8", NO_STORE, false);
	MHD_add_response_header(resp, "Location", to);
	return http_queue(c, 308, resp);
}

static enum MHD_Result answer_speak(struct kiosk *k, struct MHD_Connection *c,
                                    const struct kroute *r)
{
	if (r->wav)
		return redirect_opus(c, r);
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, r->tenant) : NULL;
	if (!tc || !tenant_speaks(tc->tenant, r->lang) || !speak_exists(tc, r)) {
		content_unref(ct);
		return not_found(c);
	}
	struct script s;
	script_init(&s, ct, r->tenant, r->lang, k, true);
	make_script(&s, tc, r);
	char key[400];
	void *audio = NULL;
	size_t len = 0;
	int rc = -1;
	if (s.n == 0) {   /* nothing to hear: no voice and nothing recorded */
		script_free(&s);
		content_unref(ct);
		return not_found(c);
	}
	if (s.n == 1 && s.segs[0].audio) {   /* one recording: served as it was stored */
		audio = malloc(s.segs[0].audio_len ? s.segs[0].audio_len : 1);
		if (audio) {
			memcpy(audio, s.segs[0].audio, s.segs[0].audio_len);
			len = s.segs[0].audio_len;
			rc = 0;
		}
	} else {
		speak_key(key, sizeof(key), ct->generation, r, s.ids);
		rc = speech_lookup(k->speech, key, &audio, &len);
		if (rc < 0)
			rc = speech_render(k->speech, key, s.segs, s.n, &audio, &len);
	}
	script_free(&s);
	content_unref(ct);
	if (rc < 0)
		return send_status(c, MHD_HTTP_SERVICE_UNAVAILABLE, "speech failed\n");
	return send_owned(c, "audio/ogg", NO_STORE, audio, len);
}

/* Whether what route r names has a recorded voice (one of its texts). */
static bool has_recording(struct kiosk *k, const struct content *ct,
                          const struct tenant_content *tc, const struct kroute *r)
{
	struct script s;
	script_init(&s, ct, r->tenant, r->lang, k, false);
	make_script(&s, tc, r);
	bool yes = s.nrec > 0;
	script_free(&s);
	return yes;
}

/* {"recorded":["step/<flow>/<node>","offer/<id>","person"]}: the /speak/
 * paths of tenant and lang with at least one recorded text (what a
 * language without a voice can play). */
static enum MHD_Result answer_recorded(struct kiosk *k, struct MHD_Connection *c,
                                       const struct kroute *r)
{
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, r->tenant) : NULL;
	if (!tc || !tenant_speaks(tc->tenant, r->lang)) {
		content_unref(ct);
		return not_found(c);
	}
	json_t *list = json_array();
	struct kroute q = *r;
	char path[200];
	for (size_t f = 0; k->voices && list && f < tc->nflows; f++) {
		const struct flow *fl = tc->flows[f];
		for (size_t i = 0; i < fl->nnodes; i++) {
			q.kind = KR_SPEAK_STEP;
			copy(q.flow, sizeof(q.flow), fl->id);
			copy(q.node, sizeof(q.node), fl->nodes[i].id);
			if (!speak_exists(tc, &q) || !has_recording(k, ct, tc, &q))
				continue;
			snprintf(path, sizeof(path), "step/%s/%s", fl->id, fl->nodes[i].id);
			json_array_append_new(list, json_string(path));
		}
	}
	for (size_t i = 0; k->voices && list && tc->offers && i < tc->offers->n; i++) {
		q.kind = KR_SPEAK_OFFER;
		copy(q.offer, sizeof(q.offer), tc->offers->offers[i].id);
		if (!has_recording(k, ct, tc, &q))
			continue;
		snprintf(path, sizeof(path), "offer/%s", q.offer);
		json_array_append_new(list, json_string(path));
	}
	q.kind = KR_SPEAK_PERSON;
	if (k->voices && list && has_recording(k, ct, tc, &q))
		json_array_append_new(list, json_string("person"));
	content_unref(ct);
	json_t *o = list ? json_pack("{s:o}", "recorded", list) : NULL;
	char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!body)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	return send_owned(c, "application/json", "no-cache", body, strlen(body));
}

enum MHD_Result kiosk_answer(struct kiosk *k, struct MHD_Connection *c, const struct kroute *r)
{
	switch (r->kind) {
	case KR_QR: return answer_qr(c, r);
	case KR_VOICES: return answer_voices(k, c);
	case KR_SPEAK_STEP:
	case KR_SPEAK_OFFER:
	case KR_SPEAK_PERSON: return answer_speak(k, c, r);
	case KR_FONT: return answer_font(k, c, r);
	case KR_RECORDED: return answer_recorded(k, c, r);
	case KR_NONE:
	case KR_BAD:
	case KR_PAGE: break;
	}
	return not_found(c);
}

/* ---- lifetime ---- */

/* Returns new route state; caller frees with kiosk_destroy. */
struct kiosk *kiosk_create(const char *fonts_dir, struct net_metrics *metrics)
{
	struct kiosk *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->speech = speech_create(0, metrics);
	if (!k->speech) {
		free(k);
		return NULL;
	}
	k->fonts_fd = -1;
	if (fonts_dir) {
		k->fonts_fd = open(fonts_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (k->fonts_fd < 0)
			log_warn("fonts: %s: %s; /fonts/ will answer 404", fonts_dir, strerror(errno));
	}
	return k;
}

bool kiosk_has_voice(struct kiosk *k, const char *lang)
{
	return speech_has_voice(k->speech, lang);
}

void kiosk_set_recordings(struct kiosk *k, const char *db_path)
{
	voices_close(k->voices);
	k->voices = voices_open(db_path);
}

void kiosk_destroy(struct kiosk *k)
{
	if (!k)
		return;
	voices_close(k->voices);
	if (k->fonts_fd >= 0)
		close(k->fonts_fd);
	speech_destroy(k->speech);
	free(k);
}
