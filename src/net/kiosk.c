/* kiosk.c - QR codes, read-aloud audio and fonts on the kiosk address
 * (see kiosk.h and docs/protocol.md "Kiosk HTTP endpoints"). Runs on
 * libmicrohttpd's threads; every text comes from the current content
 * snapshot, held by reference for the time of one request. */
#include "net/kiosk.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "content/messages.h"
#include "i18n/catalog.h"
#include "i18n/vowels.h"
#include "i18n/lang.h"
#include "i18n/saytext.h"
#include "net/http_util.h"
#include "net/jsonw.h"
#include "net/proto.h"
#include "net/qr.h"
#include "net/speak_page.h"
#include "net/speech.h"
#include "net/voices.h"
#include "talk/talk.h"
#include "util/log.h"

#define KIOSK_MAX_COMPS 8
#define KIOSK_MAX_SEGS 24   /* a step has at most 16 answers (flow_parse.c), plus German parts */
#define NO_STORE "no-store"   /* QR and audio tell which offers someone looked at */

struct kiosk {
	int fonts_fd;               /* O_PATH, or -1 when the folder is missing */
	struct speech *speech;      /* owned */
	struct net_metrics *metrics; /* may be NULL; not owned */
	struct voices *voices;      /* owned; NULL: nothing is recorded */
	struct takehome *takehome;  /* not owned; NULL: /t/ answers 404 */
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

/* If s ends with ".opus" (Ogg Opus), ".wav" (old pages: redirected to
 * .opus) or ".txt" after at least one character, cuts it off (in place),
 * notes the format and returns true. */
static bool media_suffix(char *s, struct kroute *r)
{
	size_t n = strlen(s);
	if (n > 5 && strcmp(s + n - 5, ".opus") == 0) {
		r->format = KF_OPUS;
		s[n - 5] = '\0';
		return true;
	}
	if (n <= 4)
		return false;
	if (strcmp(s + n - 4, ".wav") == 0)
		r->format = KF_WAV;
	else if (strcmp(s + n - 4, ".txt") == 0)
		r->format = KF_TXT;
	else
		return false;
	s[n - 4] = '\0';
	return true;
}

/* media_suffix, and the rest is an id. */
static bool media_id(char *s, struct kroute *r)
{
	return media_suffix(s, r) && id_ok(s);
}

/* Whether s is name + ".opus", ".wav" or ".txt" (noting the format). */
static bool media_named(char *s, const char *name, struct kroute *r)
{
	size_t k = strlen(name);
	return strncmp(s, name, k) == 0 && (s[k] == '.' && s[k + 1]) && media_id(s, r) &&
	       strcmp(s, name) == 0;
}

/* A count of offers: "0", or 1..3 digits without a leading zero. */
static bool count_ok(const char *s, unsigned *out)
{
	size_t n = strlen(s);
	if (n < 1 || n > 3 || (n > 1 && s[0] == '0'))
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* Routes below /speak/<tenant>/<lang>/ (comp[3] onwards). */
static enum kroute_kind parse_speak_item(char **comp, int n, struct kroute *r)
{
	const char *what = comp[3];
	if (n == 4) {
		if (strcmp(what, "words.json") == 0)
			return KR_WORDS_JSON;
		if (strcmp(what, "recorded.json") == 0)
			return KR_RECORDED;
		if (media_named(comp[3], "person", r))
			return KR_SPEAK_PERSON;
		if (media_named(comp[3], "language", r))
			return KR_SPEAK_LANGUAGE;
		return KR_BAD;
	}
	if (n == 5 && strcmp(what, "offer") == 0 && media_id(comp[4], r)) {
		copy(r->offer, sizeof(r->offer), comp[4]);
		return KR_SPEAK_OFFER;
	}
	if (n == 5 && strcmp(what, "words") == 0 && media_id(comp[4], r)) {
		copy(r->word, sizeof(r->word), comp[4]);
		return KR_SPEAK_WORDS;
	}
	if (n < 6 || !id_ok(comp[4]))
		return KR_BAD;
	if (n == 6 && (strcmp(what, "step") == 0 || strcmp(what, "choices") == 0) &&
	    media_id(comp[5], r)) {
		copy(r->flow, sizeof(r->flow), comp[4]);
		copy(r->node, sizeof(r->node), comp[5]);
		return strcmp(what, "step") == 0 ? KR_SPEAK_STEP : KR_SPEAK_CHOICES;
	}
	if (n != 7 || !id_ok(comp[5]))
		return KR_BAD;
	copy(r->flow, sizeof(r->flow), comp[4]);
	copy(r->node, sizeof(r->node), comp[5]);
	if (strcmp(what, "choice") == 0 && media_id(comp[6], r)) {
		copy(r->choice, sizeof(r->choice), comp[6]);
		return KR_SPEAK_CHOICE;
	}
	if (strcmp(what, "results") == 0 && media_suffix(comp[6], r) && count_ok(comp[6], &r->count))
		return KR_SPEAK_RESULTS;
	return KR_BAD;
}

static enum kroute_kind parse_speak(char **comp, int n, struct kroute *r)
{
	if (n == 2 && strcmp(comp[1], "voices.json") == 0)
		return KR_VOICES;
	if (n < 4 || !id_ok(comp[1]) || !lang_code_ok(comp[2]))
		return KR_BAD;
	copy(r->tenant, sizeof(r->tenant), comp[1]);
	copy(r->lang, sizeof(r->lang), comp[2]);
	return parse_speak_item(comp, n, r);
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
		if (n == 2 && id_with_suffix(comp[1], ".svg")) {
			copy(r->tenant, sizeof(r->tenant), comp[1]);
			return KR_QR_CONTACT;
		}
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

/* Answers the vCard of qc as a QR code (image/svg+xml, not stored) and
 * releases ct, whose texts qc points into. */
static enum MHD_Result send_vcard_qr(struct MHD_Connection *c, struct content *ct,
                                     const struct qr_contact *qc)
{
	size_t len = 0;
	char *vcard = qr_vcard(qc);
	char *svg = vcard ? qr_svg(vcard, qc->name, &len) : NULL;
	free(vcard);
	content_unref(ct);
	if (!svg)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "no QR code\n");
	return send_owned(c, "image/svg+xml", NO_STORE, svg, len);
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
	return send_vcard_qr(c, ct, &qc);
}

/* The office's contact card as a vCard QR code. */
static enum MHD_Result answer_qr_contact(struct MHD_Connection *c, const struct kroute *r)
{
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, r->tenant) : NULL;
	const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	if (tc && !lang)
		lang = tc->tenant->default_lang;
	if (!tc || !tenant_speaks(tc->tenant, lang)) {
		content_unref(ct);
		return not_found(c);
	}
	const struct contact *co = &tc->tenant->contact;
	struct qr_contact qc = {
		.name = tr(ct, lang, &co->name), .phone = co->phone, .email = co->email,
		.web = co->web, .address = co->address, .hours = tr(ct, lang, &co->hours),
		.district = co->person,
	};
	if (!qc.name)
		qc.name = tc->tenant->id;
	return send_vcard_qr(c, ct, &qc);
}

/* ---- take-home links (takehome.h) ---- */

static enum MHD_Result send_json_status(struct MHD_Connection *c, unsigned status, char *json,
                                        size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, json, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(json);
		return MHD_NO;
	}
	http_base_headers(resp, "application/json", NO_STORE, false);
	/* the link is the only key to what it shows: never in a Referer */
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	return http_queue(c, status, resp);
}

/* {"error":"expired"|"revoked"|"not_found","lang":...,"dir":...,"words":{...}}:
 * what the link's page shows instead of the offers (in the link's
 * language when the link is authentic). */
static enum MHD_Result take_home_gone(struct MHD_Connection *c, unsigned status, const char *why,
                                      const char *lang)
{
	struct content *ct = content_current();
	const char *words[2 * TAKEHOME_NWORDS];
	takehome_words(ct, lang ? lang : CATALOG_SOURCE_LANG, words);
	const struct lang *l = lang ? lang_find(lang) : NULL;
	struct jsonw w;
	jsonw_init(&w, 0, 512);
	jsonw_obj_open(&w);
	jsonw_key(&w, "error");
	jsonw_str(&w, why);
	jsonw_key(&w, "lang");
	jsonw_str(&w, lang);
	jsonw_key(&w, "dir");
	jsonw_str(&w, l && l->rtl ? "rtl" : "ltr");
	jsonw_key(&w, "words");
	jsonw_obj_open(&w);
	for (size_t i = 0; lang && i < TAKEHOME_NWORDS; i++) {
		jsonw_key(&w, words[2 * i]);
		jsonw_str(&w, words[2 * i + 1]);
	}
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	size_t len = 0;
	char *json = jsonw_finish(&w, &len);
	content_unref(ct);
	if (!json)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	return send_json_status(c, status, json, len);
}

/* The link's offers, rendered like a step's, with the office's contact. */
static enum MHD_Result take_home_json(struct MHD_Connection *c, const struct takehome_link *l)
{
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, l->tenant) : NULL;
	struct talk_session s;
	if (!tc || talk_start(&s, ct, l->tenant, l->lang) != TALK_OK) {
		content_unref(ct);   /* the office or its language is gone since */
		return take_home_gone(c, MHD_HTTP_GONE, "expired", NULL);
	}
	const char *ids[TALK_MAX_OFFERS];
	for (size_t i = 0; i < l->noffers; i++)
		ids[i] = l->offers[i];
	struct talk_step st;
	talk_render_offers(&s, ids, l->noffers, &st);
	const char *words[2 * TAKEHOME_NWORDS];
	takehome_words(ct, s.lang, words);
	st.text = words[2 * 4 + 1];   /* "page" */
	st.contact = &tc->tenant->contact;
	st.contact_name = tr(ct, s.lang, &st.contact->name);
	st.contact_hours = tr(ct, s.lang, &st.contact->hours);
	size_t len = 0;
	char *json = proto_render_take_home_page(&st, l->expires, words, TAKEHOME_NWORDS, &len);
	talk_end(&s);
	content_unref(ct);
	if (!json)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	return send_json_status(c, MHD_HTTP_OK, json, len);
}

/* Returns the QR code of the link's public URL. */
static enum MHD_Result take_home_svg(struct kiosk *k, struct MHD_Connection *c,
                                     const char *link, const struct takehome_link *l)
{
	struct content *ct = content_current();
	const char *words[2 * TAKEHOME_NWORDS];
	takehome_words(ct, l->lang, words);
	struct strbuf url;
	strbuf_init(&url);
	strbuf_printf(&url, "%s/t/%s", takehome_public_url(k->takehome), link);
	size_t len = 0;
	char *svg = strbuf_ok(&url) ? qr_svg(strbuf_str(&url), words[1], &len) : NULL;
	strbuf_free(&url);
	content_unref(ct);
	if (!svg)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "no QR code\n");
	return send_owned(c, "image/svg+xml", NO_STORE, svg, len);
}

enum MHD_Result kiosk_answer_take_home(struct kiosk *k, struct MHD_Connection *c,
                                       enum takehome_route route, const char *link)
{
	struct takehome_link l;
	if (!k->takehome || !takehome_public_url(k->takehome) ||
	    (route != TAKEHOME_ROUTE_JSON && route != TAKEHOME_ROUTE_SVG))
		return not_found(c);
	enum takehome_status st = takehome_open(k->takehome, link, (long long)time(NULL), &l);
	if (route == TAKEHOME_ROUTE_SVG)
		return st == TAKEHOME_OK ? take_home_svg(k, c, link, &l) : not_found(c);
	switch (st) {
	case TAKEHOME_OK: return take_home_json(c, &l);
	case TAKEHOME_EXPIRED: return take_home_gone(c, MHD_HTTP_GONE, "expired", l.lang);
	case TAKEHOME_REVOKED: return take_home_gone(c, MHD_HTTP_GONE, "revoked", l.lang);
	case TAKEHOME_BAD: break;
	}
	return take_home_gone(c, MHD_HTTP_NOT_FOUND, "not_found", NULL);
}

void kiosk_set_takehome(struct kiosk *k, struct takehome *th)
{
	k->takehome = th;
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
	struct net_metrics *metrics; /* may be NULL */
	struct voices *voices;       /* may be NULL */
	bool with_audio;             /* read the recordings' audio (not only whether there are) */
	struct strbuf bufs[KIOSK_MAX_SEGS];
	struct speech_segment segs[KIOSK_MAX_SEGS];
	struct store_recording recs[KIOSK_MAX_SEGS];
	size_t n;
	size_t nrec;                 /* how many segments are recordings */
	char ids[160];               /* "/r<id>" of each recording: part of the cache key */
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
	if (!speech_has_voice(s->speech, s->lang))
		return;   /* no voice for the language (Pashto): only recordings are heard */
	struct strbuf *b = &s->bufs[s->n];
	rewrite(b, text);
	if (!strbuf_ok(b))
		return;
	s->segs[s->n].lang = lang_base(speech_has_voice(s->speech, lang) ? lang : s->lang);
	s->segs[s->n].text = strbuf_str(b);
	s->n++;
}

/* The text to synthesise for a displayed text: its vowelled speech form
 * (docs/translating.md "Speech forms") when the language needs one and it exists; else the
 * displayed text, counted, and logged once per process. */
static const char *speech_form(struct script *s, const char *lang, const struct text *t,
                               const char *shown)
{
	static atomic_flag logged = ATOMIC_FLAG_INIT;
	if (!vowels_wanted(lang))
		return shown;
	const char *form = content_speech_form(s->ct, lang, t->context, t->msgid, shown);
	if (form)
		return form;
	if (s->metrics)
		atomic_fetch_add_explicit(&s->metrics->speech_unvowelled, 1, memory_order_relaxed);
	if (!atomic_flag_test_and_set(&logged))
		log_warn("speech: no speech form for a %s text (msgid \"%.60s\"), read without vowel "
		         "marks; further ones are only counted (lotse_speech_unvowelled_total, "
		         "`lotse i18n-status` lists them)", lang, t->msgid);
	return shown;
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
	if (!speech_has_voice(s->speech, s->lang))
		return;   /* no voice for the language (Pashto): only recordings are heard */
	struct strbuf *b = &s->bufs[s->n];
	strbuf_append(b, p + i, n - i);
	if (!strbuf_ok(b))
		return;
	s->segs[s->n].lang = lang_base(speech_has_voice(s->speech, lang) ? lang : s->lang);
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
		content_say_words(s->ct, lang, &other);
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

/* Adds the recorded voice of a translatable text shown as `text` in lang,
 * if there is one that is not outdated; returns whether it did. */
static bool add_recording(struct script *s, const char *lang, const struct text *t,
                          const char *text)
{
	if (s->n == KIOSK_MAX_SEGS || voices_find(s->voices, s->tenant, lang, t->context, t->msgid,
	                                          text, s->with_audio, &s->recs[s->n]) != 1)
		return false;
	size_t used = strlen(s->ids);
	snprintf(s->ids + used, sizeof(s->ids) - used, "/r%lld", s->recs[s->n].id);
	s->segs[s->n].lang = lang;
	s->segs[s->n].text = text;   /* for the .txt twin: what the recording says */
	s->segs[s->n].audio = s->recs[s->n].audio;
	s->segs[s->n].audio_len = s->recs[s->n].len;
	s->n++;
	s->nrec++;
	return true;
}

/* Adds a translatable text, read in the language it is in: its recorded
 * voice, or else synthesised from its speech form and speech text. */
static void add_text(struct script *s, const struct text *t)
{
	const char *text = NULL;
	if (!t->msgid)
		return;
	const char *lang = text_lang(s, t, &text);
	if (add_recording(s, lang, t, text))
		return;
	add_said(s, lang, speech_form(s, lang, t, text), t->msgid);
}

/* Prepares an empty script for lang of tenant (free with script_free).
 * Texts without a speech form are counted in k's metrics only when
 * counted is set (the script is synthesised). */
static void script_init(struct script *s, const struct content *ct, const char *tenant,
                        const char *lang, struct kiosk *k, bool with_audio, bool counted)
{
	memset(s, 0, sizeof(*s));
	s->ct = ct;
	s->tenant = tenant;
	s->lang = lang;
	s->speech = k->speech;
	s->metrics = counted ? k->metrics : NULL;
	s->voices = k->voices;
	s->with_audio = with_audio;
	for (size_t i = 0; i < KIOSK_MAX_SEGS; i++)
		strbuf_init(&s->bufs[i]);
	content_say_words(ct, lang, &s->words);
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

/* The answer a choice recording is for, or NULL. */
static const struct choice *spoken_choice(const struct node *n, const char *id)
{
	for (size_t i = 0; n && i < n->nchoices; i++)
		if (strcmp(n->choices[i].id, id) == 0)
			return &n->choices[i];
	return NULL;
}

/* The node of a choice, choices or results route, or NULL when the route
 * names nothing that is shown (a results route needs an offers node and a
 * count the page can show). */
static const struct node *route_node(const struct tenant_content *tc, const struct kroute *r)
{
	const struct node *n = spoken_node(tc, r);
	if (!n)
		return NULL;
	if (r->kind == KR_SPEAK_CHOICE)
		return spoken_choice(n, r->choice) ? n : NULL;
	if (r->kind == KR_SPEAK_CHOICES)
		return n->nchoices ? n : NULL;
	if (r->kind == KR_SPEAK_RESULTS)
		return n->kind == NODE_OFFERS && r->count <= TALK_MAX_OFFERS ? n : NULL;
	return n;
}

/* "1: Ja. 2: Nein." - every answer numbered as on screen (one segment per
 * answer, each in the language it is shown in). */
static void script_choices(struct script *s, const struct node *n)
{
	for (size_t i = 0; i < n->nchoices && s->n < KIOSK_MAX_SEGS; i++) {
		const char *text = NULL;
		const char *lang = text_lang(s, &n->choices[i].label, &text);
		text = speech_form(s, lang, &n->choices[i].label, text);
		struct strbuf num;
		strbuf_init(&num);
		speak_numbered(&num, i + 1, text);
		if (strbuf_ok(&num))
			add_said(s, lang, strbuf_str(&num), n->choices[i].label.msgid);
		strbuf_free(&num);
	}
}

/* The results heading: the step's text (or its "none" text when nothing was
 * found), then "3 Angebote" from the catalogue. */
static void script_results(struct script *s, const struct node *n, unsigned count)
{
	add_text(s, count ? &n->text : &n->none);
	bool fb = false;
	const char *tmpl = catalog_ngettext(s->ct->catalogs, s->lang, NULL, MSG_OFFERS_N,
	                                    MSG_OFFERS_N_PL, count, &fb);
	struct strbuf b;
	strbuf_init(&b);
	speak_count(&b, tmpl, count);
	if (strbuf_ok(&b))
		add_said(s, fb ? CATALOG_SOURCE_LANG : s->lang, strbuf_str(&b), NULL);
	strbuf_free(&b);
}

/* Fills the script for a route; false when what it names does not exist. */
static bool make_script(struct script *s, const struct tenant_content *tc, const struct kroute *r)
{
	switch (r->kind) {
	case KR_SPEAK_STEP: {
		const struct node *n = spoken_node(tc, r);
		if (n)
			add_text(s, &n->text);
		return n != NULL;
	}
	case KR_SPEAK_CHOICE:
	case KR_SPEAK_CHOICES:
	case KR_SPEAK_RESULTS: {
		const struct node *n = route_node(tc, r);
		if (n && r->kind == KR_SPEAK_CHOICE)
			add_text(s, &spoken_choice(n, r->choice)->label);
		else if (n && r->kind == KR_SPEAK_CHOICES)
			script_choices(s, n);
		else if (n)
			script_results(s, n, r->count);
		return n != NULL;
	}
	case KR_SPEAK_OFFER: {
		const struct offer *o = tenant_offer(tc, r->offer);
		if (o)
			script_offer(s, o);
		return o != NULL;
	}
	case KR_SPEAK_LANGUAGE: {
		const struct lang *l = lang_find(r->lang);
		if (l)
			add_said(s, r->lang, l->autonym, NULL);
		return l != NULL;
	}
	case KR_SPEAK_WORDS: {
		const struct speak_word *w = speak_word_find(r->word);
		struct text t = {.msgid = w ? w->msgid : NULL, .context = w ? w->context : NULL};
		if (w && w->spoken)
			add_text(s, &t);
		return w && w->spoken;
	}
	case KR_SPEAK_PERSON:
		script_person(s, &tc->tenant->contact);
		return true;
	default:
		return false;
	}
}

/* Whether the route names something that exists (before any synthesis). */
static bool speak_exists(const struct tenant_content *tc, const struct kroute *r)
{
	switch (r->kind) {
	case KR_SPEAK_STEP: return spoken_node(tc, r) != NULL;
	case KR_SPEAK_CHOICE:
	case KR_SPEAK_CHOICES:
	case KR_SPEAK_RESULTS: return route_node(tc, r) != NULL;
	case KR_SPEAK_OFFER: return tenant_offer(tc, r->offer) != NULL;
	case KR_SPEAK_WORDS: {
		const struct speak_word *w = speak_word_find(r->word);
		return w && w->spoken;
	}
	default: return true;
	}
}

/* The route's path below /speak/ without its ending, e.g.
 * "testamt/de/step/main/who". */
static void speak_path(char *out, size_t n, const struct kroute *r)
{
	switch (r->kind) {
	case KR_SPEAK_STEP:
		snprintf(out, n, "%s/%s/step/%s/%s", r->tenant, r->lang, r->flow, r->node);
		break;
	case KR_SPEAK_CHOICE:
		snprintf(out, n, "%s/%s/choice/%s/%s/%s", r->tenant, r->lang, r->flow, r->node,
		         r->choice);
		break;
	case KR_SPEAK_CHOICES:
		snprintf(out, n, "%s/%s/choices/%s/%s", r->tenant, r->lang, r->flow, r->node);
		break;
	case KR_SPEAK_RESULTS:
		snprintf(out, n, "%s/%s/results/%s/%s/%u", r->tenant, r->lang, r->flow, r->node,
		         r->count);
		break;
	case KR_SPEAK_OFFER:
		snprintf(out, n, "%s/%s/offer/%s", r->tenant, r->lang, r->offer);
		break;
	case KR_SPEAK_LANGUAGE:
		snprintf(out, n, "%s/%s/language", r->tenant, r->lang);
		break;
	case KR_SPEAK_WORDS:
		snprintf(out, n, "%s/%s/words/%s", r->tenant, r->lang, r->word);
		break;
	default:
		snprintf(out, n, "%s/%s/person", r->tenant, r->lang);
	}
}

/* The cache key: content generation, the route's own path, then the ids of
 * the recordings it plays ("/r<id>" each; a new recording is a new key). */
static void speak_key(char *key, size_t n, unsigned long gen, const struct kroute *r,
                      const char *ids)
{
	char path[300];
	speak_path(path, sizeof(path), r);
	snprintf(key, n, "%lu/%s%s", gen, path, ids);
}

/* Old pages ask for .wav: 308 to the same path with .opus. */
static enum MHD_Result redirect_opus(struct MHD_Connection *c, const struct kroute *r)
{
	char path[300], to[320];
	speak_path(path, sizeof(path), r);
	snprintf(to, sizeof(to), "/speak/%s.opus", path);
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"",
	                                                            MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	http_base_headers(resp, "text/plain; charset=utf-8", NO_STORE, false);
	MHD_add_response_header(resp, "Location", to);
	return http_queue(c, 308, resp);
}

/* The texts a recording reads, one line per segment as "<lang>: <text>",
 * or "<lang> recorded: <text>" for a recorded voice (the .txt variant of a
 * speak route). Returns a malloc'd string the caller frees, or NULL when
 * out of memory. */
static char *script_text(const struct script *s, size_t *len)
{
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = 0; i < s->n; i++) {
		strbuf_puts(&b, s->segs[i].lang);
		strbuf_puts(&b, s->recs[i].id > 0 ? " recorded: " : ": ");
		for (const char *p = s->segs[i].text; *p; p++)   /* one line per segment */
			strbuf_putc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
		strbuf_putc(&b, '\n');
	}
	if (!strbuf_ok(&b)) {
		strbuf_free(&b);
		return NULL;
	}
	*len = strlen(strbuf_str(&b));
	return strbuf_steal(&b);
}

/* Serves a speak route: .wav redirected, .txt the script's texts, .opus the
 * one recording as stored, else from the cache or synthesised (texts and
 * decoded recordings in order). The script is made first without the
 * recordings' audio (its ids are part of the cache key), and made again
 * with it only when the cache does not hold the result. */
static enum MHD_Result answer_speak(struct kiosk *k, struct MHD_Connection *c,
                                    const struct kroute *r)
{
	if (r->format == KF_WAV)
		return redirect_opus(c, r);
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, r->tenant) : NULL;
	if (!tc || !tenant_speaks(tc->tenant, r->lang) || !speak_exists(tc, r)) {
		content_unref(ct);
		return not_found(c);
	}
	struct script s;
	script_init(&s, ct, r->tenant, r->lang, k, false, false);
	make_script(&s, tc, r);
	if (s.n == 0) {   /* nothing to hear: no voice and nothing recorded */
		script_free(&s);
		content_unref(ct);
		return not_found(c);
	}
	char key[400];
	void *out = NULL;
	size_t len = 0;
	int rc = -1;
	if (r->format == KF_TXT) {
		out = script_text(&s, &len);
		rc = out ? 0 : -1;
	} else {
		bool one = s.n == 1 && s.recs[0].id > 0;   /* one recording: served as stored */
		if (!one) {
			speak_key(key, sizeof(key), ct->generation, r, s.ids);
			rc = speech_lookup(k->speech, key, &out, &len);
		}
		if (rc < 0) {
			script_free(&s);
			script_init(&s, ct, r->tenant, r->lang, k, true, true);
			make_script(&s, tc, r);
			if (s.n == 1 && s.segs[0].audio) {
				out = malloc(s.segs[0].audio_len ? s.segs[0].audio_len : 1);
				if (out) {
					memcpy(out, s.segs[0].audio, s.segs[0].audio_len);
					len = s.segs[0].audio_len;
					rc = 0;
				}
			} else if (s.n > 0) {   /* (a recording may have changed meanwhile) */
				speak_key(key, sizeof(key), ct->generation, r, s.ids);
				rc = speech_render(k->speech, key, s.segs, s.n, &out, &len);
			}
		}
	}
	script_free(&s);
	content_unref(ct);
	if (rc < 0)
		return send_status(c, MHD_HTTP_SERVICE_UNAVAILABLE, "speech failed\n");
	if (r->format == KF_TXT)
		return send_owned(c, "text/plain; charset=utf-8", NO_STORE, out, len);
	return send_owned(c, "audio/ogg", NO_STORE, out, len);
}

/* {"lang":"ps","voice":false,"words":{"welcome":{"text":"…","lang":"ps"},…}}:
 * the page's words of speak_page.h from the catalogue, each with the
 * language it is really in (a missing translation falls back). */
static enum MHD_Result answer_words(struct kiosk *k, struct MHD_Connection *c,
                                    const struct kroute *r)
{
	struct content *ct = content_current();
	const struct tenant_content *tc = ct ? content_tenant(ct, r->tenant) : NULL;
	if (!tc || !tenant_speaks(tc->tenant, r->lang)) {
		content_unref(ct);
		return not_found(c);
	}
	struct script s = {.ct = ct, .lang = r->lang, .speech = k->speech};
	struct jsonw w;
	jsonw_init(&w, 0, 1024);
	jsonw_obj_open(&w);
	jsonw_key(&w, "lang");
	jsonw_str(&w, r->lang);
	jsonw_key(&w, "voice");
	jsonw_bool(&w, speech_has_voice(k->speech, r->lang));
	jsonw_key(&w, "words");
	jsonw_obj_open(&w);
	for (const struct speak_word *sw = speak_words; sw->key; sw++) {
		struct text t = {.msgid = sw->msgid, .context = sw->context};
		const char *text = NULL;
		const char *lang = text_lang(&s, &t, &text);
		jsonw_key(&w, sw->key);
		jsonw_obj_open(&w);
		jsonw_key(&w, "text");
		jsonw_str(&w, text);
		jsonw_key(&w, "lang");
		jsonw_str(&w, lang);
		jsonw_obj_close(&w);
	}
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	size_t len = 0;
	char *json = jsonw_finish(&w, &len);
	content_unref(ct);
	if (!json)
		return send_status(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	return send_owned(c, "application/json", "no-cache", json, len);
}

/* Whether what route r names has a recorded voice (one of its texts). */
static bool has_recording(struct kiosk *k, const struct content *ct,
                          const struct tenant_content *tc, const struct kroute *r)
{
	struct script s;
	script_init(&s, ct, r->tenant, r->lang, k, false, false);
	make_script(&s, tc, r);
	bool yes = s.nrec > 0;
	script_free(&s);
	return yes;
}

/* {"recorded":["step/<flow>/<node>","choice/<flow>/<node>/<choice>",
 * "offer/<id>","person","words/<key>"]}: the /speak/ paths of tenant and
 * lang with at least one recorded text (what a language without a voice
 * can play). */
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
			if (!speak_exists(tc, &q))
				continue;
			if (has_recording(k, ct, tc, &q)) {
				snprintf(path, sizeof(path), "step/%s/%s", fl->id, fl->nodes[i].id);
				json_array_append_new(list, json_string(path));
			}
			q.kind = KR_SPEAK_CHOICE;
			for (size_t j = 0; j < fl->nodes[i].nchoices; j++) {
				copy(q.choice, sizeof(q.choice), fl->nodes[i].choices[j].id);
				if (!has_recording(k, ct, tc, &q))
					continue;
				snprintf(path, sizeof(path), "choice/%s/%s/%s", fl->id, fl->nodes[i].id,
				         q.choice);
				json_array_append_new(list, json_string(path));
			}
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
	q.kind = KR_SPEAK_WORDS;
	for (const struct speak_word *sw = speak_words; k->voices && list && sw->key; sw++) {
		copy(q.word, sizeof(q.word), sw->key);
		if (!sw->spoken || !has_recording(k, ct, tc, &q))
			continue;
		snprintf(path, sizeof(path), "words/%s", sw->key);
		json_array_append_new(list, json_string(path));
	}
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
	case KR_QR_CONTACT: return answer_qr_contact(c, r);
	case KR_VOICES: return answer_voices(k, c);
	case KR_SPEAK_STEP:
	case KR_SPEAK_OFFER:
	case KR_SPEAK_PERSON:
	case KR_SPEAK_CHOICE:
	case KR_SPEAK_CHOICES:
	case KR_SPEAK_RESULTS:
	case KR_SPEAK_LANGUAGE:
	case KR_SPEAK_WORDS: return answer_speak(k, c, r);
	case KR_WORDS_JSON: return answer_words(k, c, r);
	case KR_RECORDED: return answer_recorded(k, c, r);
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
	k->metrics = metrics;
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
