/* kiosk.c - QR codes, read-aloud audio and fonts on the kiosk address
 * (see kiosk.h and docs/protocol.md "Kiosk HTTP endpoints"). Runs on
 * libmicrohttpd's threads; every text comes from the current content
 * snapshot, held by reference for the time of one request. */
#include "net/kiosk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content.h"
#include "i18n/catalog.h"
#include "i18n/saytext.h"
#include "net/http_util.h"
#include "net/qr.h"
#include "net/speech.h"
#include "util/log.h"

#define KIOSK_MAX_COMPS 8
#define KIOSK_MAX_SEGS 24
#define NO_STORE "no-store"   /* QR and audio tell which offers someone looked at */

struct kiosk {
	int fonts_fd;               /* O_PATH, or -1 when the folder is missing */
	struct speech *speech;      /* owned */
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

static enum kroute_kind parse_speak(char **comp, int n, struct kroute *r)
{
	if (n == 2 && strcmp(comp[1], "voices.json") == 0)
		return KR_VOICES;
	if (n < 4 || !id_ok(comp[1]) || !lang_ok(comp[2]))
		return KR_BAD;
	copy(r->tenant, sizeof(r->tenant), comp[1]);
	copy(r->lang, sizeof(r->lang), comp[2]);
	if (n == 4 && strcmp(comp[3], "person.wav") == 0)
		return KR_SPEAK_PERSON;
	if (n == 5 && strcmp(comp[3], "offer") == 0 && id_with_suffix(comp[4], ".wav")) {
		copy(r->offer, sizeof(r->offer), comp[4]);
		return KR_SPEAK_OFFER;
	}
	if (n == 6 && strcmp(comp[3], "step") == 0 && id_ok(comp[4]) &&
	    id_with_suffix(comp[5], ".wav")) {
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

/* The texts of one recording, each rewritten for speech in its own buffer. */
struct script {
	const struct content *ct;
	const char *lang;            /* the requested language */
	struct speech *speech;
	struct strbuf bufs[KIOSK_MAX_SEGS];
	struct speech_segment segs[KIOSK_MAX_SEGS];
	size_t n;
	struct say_words words;      /* speech words of lang (i18n/saytext.h) */
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
	struct strbuf *b = &s->bufs[s->n];
	rewrite(b, text);
	if (!strbuf_ok(b))
		return;
	s->segs[s->n].lang = speech_has_voice(s->speech, lang) ? lang : s->lang;
	s->segs[s->n].text = strbuf_str(b);
	s->n++;
}

/* Adds bytes p[0..n) as one segment read in lang (nothing if it has no
 * letter or digit, e.g. the "." after a German part). */
static void add_piece(struct script *s, const char *lang, const char *p, size_t n)
{
	size_t i = 0;
	bool said = false;   /* a letter or digit, not only punctuation left between parts */
	while (i < n && p[i] == ' ')
		i++;
	for (size_t k = i; k < n && !said; k++)
		said = (unsigned char)p[k] >= 0x80 || (p[k] >= '0' && p[k] <= '9') ||
		       ((p[k] | 0x20) >= 'a' && (p[k] | 0x20) <= 'z');
	if (!said || s->n == KIOSK_MAX_SEGS)
		return;
	struct strbuf *b = &s->bufs[s->n];
	strbuf_append(b, p + i, n - i);
	if (!strbuf_ok(b))
		return;
	s->segs[s->n].lang = speech_has_voice(s->speech, lang) ? lang : s->lang;
	s->segs[s->n].text = strbuf_str(b);
	s->n++;
}

/* Adds text rewritten as speech text in lang (source: its German msgid or
 * NULL), one segment per part, German parts read with the German voice. */
static void add_said(struct script *s, const char *lang, const char *text, const char *source)
{
	if (!text || !*text)
		return;
	struct say_words other;
	const struct say_words *w = &s->words;
	if (strcmp(lang, s->lang) != 0) {
		say_words_load(&other, s->ct->catalogs, lang);
		w = &other;
	}
	struct strbuf said;
	strbuf_init(&said);
	say_text(w, text, source, &said);
	const char *p = strbuf_ok(&said) ? strbuf_str(&said) : "";
	while (*p) {
		bool de = *p == SAY_DE_BEGIN;
		const char *q = de ? strchr(p + 1, SAY_DE_END) : strchr(p, SAY_DE_BEGIN);
		if (de)
			p++;
		size_t n = q ? (size_t)(q - p) : strlen(p);
		add_piece(s, de ? CATALOG_SOURCE_LANG : lang, p, n);
		p += n;
		if (de && *p == SAY_DE_END)
			p++;
	}
	strbuf_free(&said);
}

/* Adds a translatable text, read in the language it is in. */
static void add_text(struct script *s, const struct text *t)
{
	const char *text = NULL;
	if (!t->msgid)
		return;
	const char *lang = text_lang(s, t, &text);
	add_said(s, lang, text, t->msgid);
}

static void script_free(struct script *s)
{
	for (size_t i = 0; i < KIOSK_MAX_SEGS; i++)
		strbuf_free(&s->bufs[i]);
}

static void script_offer(struct script *s, const struct offer *o)
{
	add_text(s, &o->title);
	add_text(s, &o->description);
	add_text(s, &o->hours);
	add_said(s, CATALOG_SOURCE_LANG, o->address, NULL);   /* a German address */
	add(s, s->lang, o->phone, speech_phone_words);
	add_text(s, &o->cost);
}

static void script_person(struct script *s, const struct contact *ct)
{
	add_text(s, &ct->name);
	add_said(s, s->lang, ct->person, NULL);
	add_said(s, CATALOG_SOURCE_LANG, ct->address, NULL);
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

static void speak_key(char *key, size_t n, unsigned long gen, const struct kroute *r)
{
	if (r->kind == KR_SPEAK_STEP)
		snprintf(key, n, "%lu/%s/%s/step/%s/%s", gen, r->tenant, r->lang, r->flow, r->node);
	else if (r->kind == KR_SPEAK_OFFER)
		snprintf(key, n, "%lu/%s/%s/offer/%s", gen, r->tenant, r->lang, r->offer);
	else
		snprintf(key, n, "%lu/%s/%s/person", gen, r->tenant, r->lang);
}

static enum MHD_Result answer_speak(struct kiosk *k, struct MHD_Connection *c,
                                    const struct kroute *r)
{
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, r->tenant) : NULL;
	if (!tc || !tenant_speaks(tc->tenant, r->lang) || !speak_exists(tc, r) ||
	    !speech_has_voice(k->speech, r->lang)) {
		content_unref(ct);
		return not_found(c);
	}
	char key[320];
	void *wav = NULL;
	size_t len = 0;
	speak_key(key, sizeof(key), ct->generation, r);
	int rc = speech_lookup(k->speech, key, &wav, &len);
	if (rc < 0) {
		struct script s = {.ct = ct, .lang = r->lang, .speech = k->speech};
		for (size_t i = 0; i < KIOSK_MAX_SEGS; i++)
			strbuf_init(&s.bufs[i]);
		say_words_load(&s.words, ct->catalogs, r->lang);
		make_script(&s, tc, r);
		rc = speech_render(k->speech, key, s.segs, s.n, &wav, &len);
		script_free(&s);
	}
	content_unref(ct);
	if (rc < 0)
		return send_status(c, MHD_HTTP_SERVICE_UNAVAILABLE, "speech failed\n");
	return send_owned(c, "audio/wav", NO_STORE, wav, len);
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

void kiosk_destroy(struct kiosk *k)
{
	if (!k)
		return;
	if (k->fonts_fd >= 0)
		close(k->fonts_fd);
	speech_destroy(k->speech);
	free(k);
}
