/* recordings_api.c - recorded voices in the staff area: the texts of an
 * office per language with the state of their recording (recorded,
 * outdated, synthesised, silent) and coverage counts, uploading a recording
 * (WAV or Ogg Opus; decoded and encoded again as Ogg Opus, net/audio.h),
 * deleting, confirming an outdated one, its revisions and audio. Texts and
 * their translations come from the published content snapshot, so a
 * recording is made for exactly the text the kiosk shows. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "content/scan.h"
#include "i18n/catalog.h"
#include "net/audio.h"
#include "staff/audit.h"
#include "staff/auth.h"
#include "staff/recordings_api.h"
#include "staff/request.h"

#define REC_MAX_SECONDS 60   /* longest recording accepted */
#define REC_MAX_TEXTS 4096

/* One text of an office, as the kiosk shows it in one language. */
struct rtext {
	const char *context, *msgid;   /* from the snapshot */
	const char *text;              /* translation; NULL: not translated in this language */
};

struct rtexts {
	struct rtext *v;
	size_t n, cap;
	const struct content *ct;
	const char *lang;
};

/* The text shown in lang, or NULL when lang falls back to another one. */
static const char *shown(const struct content *ct, const char *lang, const char *ctx,
                         const char *msgid)
{
	bool fb = false;
	const char *t = catalog_gettext(ct->catalogs, lang, ctx, msgid, &fb);
	if (!strcmp(lang, CATALOG_SOURCE_LANG))
		return msgid;
	return fb ? NULL : t;
}

static bool same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static void each_text(void *ud, const struct text *t, const char *file, const char *role)
{
	(void)file;
	(void)role;
	struct rtexts *x = ud;
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->v[i].msgid, t->msgid) && same(x->v[i].context, t->context))
			return;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct rtext *m = cap <= REC_MAX_TEXTS ? realloc(x->v, cap * sizeof(*m)) : NULL;
		if (!m)
			return;
		x->v = m;
		x->cap = cap;
	}
	x->v[x->n].context = t->context;
	x->v[x->n].msgid = t->msgid;
	x->v[x->n].text = shown(x->ct, x->lang, t->context, t->msgid);
	x->n++;
}

/* The texts of tenant tc in lang into x (x->v malloc'd: caller frees). */
static void collect(struct rtexts *x, const struct content *ct, const struct tenant_content *tc,
                    const char *lang)
{
	memset(x, 0, sizeof(*x));
	x->ct = ct;
	x->lang = lang;
	scan_each_text(tc, each_text, x);
}

static bool offers_lang(const struct tenant *t, const char *lang)
{
	for (size_t i = 0; i < t->nlangs; i++)
		if (!strcmp(t->langs[i], lang))
			return true;
	return false;
}

static bool has_voice(struct req *r, const char *lang)
{
	return r->st->has_voice && r->st->has_voice(r->st->has_voice_ud, lang);
}

/* The published snapshot and the office r->seg[1] in it (404 set when the
 * office or, with lang, the language is not there). Caller unrefs *ct. */
static const struct tenant_content *office(struct req *r, const char *lang, struct content **ct)
{
	*ct = content_current();
	const struct tenant_content *tc = *ct ? content_tenant(*ct, r->seg[1]) : NULL;
	if (!tc) {
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found",
		                "Dieses Bildungsbüro ist nicht veröffentlicht.");
		return NULL;
	}
	if (lang && !offers_lang(tc->tenant, lang)) {
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found",
		                "Diese Sprache bietet das Bildungsbüro nicht an.");
		return NULL;
	}
	return tc;
}

/* The state of one text: "recorded" (a recording for exactly this text),
 * "outdated" (recorded for another text), "synthesised" or "silent". The
 * newest recording (if any) goes into *rec (caller frees). */
static const char *text_state(struct req *r, const char *lang, const struct rtext *t,
                              struct store_recording *rec, int *found)
{
	*found = store_recording_current(r->st->db, r->seg[1], lang, t->context, t->msgid, false, rec);
	if (*found == 1 && t->text && !strcmp(rec->text, t->text))
		return "recorded";
	if (*found == 1)
		return "outdated";
	/* a language without a voice hears recordings only */
	return has_voice(r, lang) ? "synthesised" : "silent";
}

void staff_recordings_coverage(struct req *r)
{
	struct content *ct = NULL;
	const struct tenant_content *tc = office(r, NULL, &ct);
	json_t *langs = json_array();
	for (size_t l = 0; tc && langs && l < tc->tenant->nlangs; l++) {
		const char *lang = tc->tenant->langs[l];
		struct rtexts x;
		size_t n[4] = {0};
		collect(&x, ct, tc, lang);
		for (size_t i = 0; i < x.n; i++) {
			struct store_recording rec = {0};
			int found = 0;
			const char *st = text_state(r, lang, &x.v[i], &rec, &found);
			store_recording_free(&rec);
			n[!strcmp(st, "recorded") ? 0 : !strcmp(st, "outdated") ? 1
			  : !strcmp(st, "synthesised") ? 2 : 3]++;
		}
		json_array_append_new(langs, json_pack("{s:s,s:b,s:I,s:I,s:I,s:I,s:I}", "lang", lang,
		                                       "voice", has_voice(r, lang), "recorded",
		                                       (json_int_t)n[0], "outdated", (json_int_t)n[1],
		                                       "synthesised", (json_int_t)n[2], "silent",
		                                       (json_int_t)n[3], "total", (json_int_t)x.n));
		free(x.v);
	}
	if (tc)
		staff_res_json(r, MHD_HTTP_OK, json_pack("{s:s,s:o}", "tenant", r->seg[1],
		                                         "languages", langs));
	else
		json_decref(langs);
	content_unref(ct);
}

void staff_recordings_list(struct req *r)
{
	const char *lang = r->seg[2];
	struct content *ct = NULL;
	const struct tenant_content *tc = office(r, lang, &ct);
	if (!tc) {
		content_unref(ct);
		return;
	}
	struct rtexts x;
	collect(&x, ct, tc, lang);
	json_t *list = json_array();
	for (size_t i = 0; list && i < x.n; i++) {
		struct store_recording rec = {0};
		int found = 0;
		const char *st = text_state(r, lang, &x.v[i], &rec, &found);
		json_t *rj = found == 1 ? json_pack("{s:I,s:s,s:I,s:I,s:s}", "id", (json_int_t)rec.id,
		                                    "author", rec.author, "at", (json_int_t)rec.at,
		                                    "duration_ms", (json_int_t)rec.duration_ms,
		                                    "text", rec.text)
		                        : json_null();
		json_array_append_new(list, json_pack("{s:s?,s:s,s:s?,s:s,s:o}", "context",
		                                      x.v[i].context, "msgid", x.v[i].msgid, "text",
		                                      x.v[i].text, "state", st, "recording", rj));
		store_recording_free(&rec);
	}
	free(x.v);
	content_unref(ct);
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:s,s:s,s:b,s:o}", "tenant", r->seg[1], "lang",
	                                         lang, "voice", has_voice(r, lang), "texts", list));
}

/* The text named by ?msgid=&context= in the published office, in lang: its
 * translation into *text (a pointer into ct). Sets 404/422 and returns
 * false when there is no such text or it is not translated. */
static bool named_text(struct req *r, const struct content *ct, const struct tenant_content *tc,
                       const char *lang, const char **ctx, const char **msgid, const char **text)
{
	*msgid = staff_query(r, "msgid");
	*ctx = staff_query(r, "context");
	if (*ctx && !**ctx)
		*ctx = NULL;
	if (!*msgid || !**msgid) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                "Welcher Text? Es fehlt ?msgid= (und ?context=, wenn er einen hat).");
		return false;
	}
	struct rtexts x;
	collect(&x, ct, tc, lang);
	bool known = false;
	for (size_t i = 0; i < x.n && !known; i++)
		if (!strcmp(x.v[i].msgid, *msgid) && same(x.v[i].context, *ctx)) {
			known = true;
			*text = x.v[i].text;
		}
	free(x.v);
	if (!known) {
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found",
		                "Diesen Text zeigt das Bildungsbüro nicht (msgid und context prüfen).");
		return false;
	}
	if (!*text) {
		staff_res_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT, "untranslated",
		                "Der Text ist in dieser Sprache noch nicht übersetzt: erst übersetzen, "
		                "dann aufnehmen.");
		return false;
	}
	return true;
}

static bool audio_type_ok(const char *type)
{
	static const char *const ok[] = {"audio/wav", "audio/x-wav", "audio/wave", "audio/ogg",
	                                 "audio/opus", NULL};
	size_t n = type ? strcspn(type, "; ") : 0;
	for (size_t i = 0; type && ok[i]; i++)
		if (strlen(ok[i]) == n && !strncasecmp(type, ok[i], n))
			return true;
	return false;
}

static unsigned audio_status(enum audio_result a)
{
	switch (a) {
	case AUDIO_UNSUPPORTED: return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
	case AUDIO_TOO_LONG: return MHD_HTTP_CONTENT_TOO_LARGE;
	case AUDIO_NO_MEMORY: return MHD_HTTP_INTERNAL_SERVER_ERROR;
	default: return MHD_HTTP_UNPROCESSABLE_CONTENT;
	}
}

static json_t *recording_json(long long id, const char *tenant, const char *lang, const char *ctx,
                              const char *msgid, const char *text, long long ms, size_t bytes)
{
	return json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s,s:I,s:I}", "id", (json_int_t)id, "tenant", tenant,
	                 "lang", lang, "context", ctx, "msgid", msgid, "text", text, "duration_ms",
	                 (json_int_t)ms, "bytes", (json_int_t)bytes);
}

void staff_recordings_upload(struct req *r)
{
	const char *lang = r->seg[2], *ctx, *msgid, *text;
	struct content *ct = NULL;
	struct audio_pcm pcm = {0};
	void *opus = NULL;
	size_t len = 0;
	if (!staff_need_editor(r))
		return;
	const struct tenant_content *tc = office(r, lang, &ct);
	if (!tc || !named_text(r, ct, tc, lang, &ctx, &msgid, &text))
		goto out;
	const char *type = staff_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!audio_type_ok(type)) {
		staff_res_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
		                "Bitte eine Aufnahme als audio/wav (16 Bit PCM) oder audio/ogg (Opus) "
		                "senden.");
		goto out;
	}
	char err[256];
	enum audio_result a = audio_decode(r->body.data, r->body.len, REC_MAX_SECONDS, &pcm, err,
	                                   sizeof(err));
	if (a != AUDIO_OK) {
		staff_res_error(r, audio_status(a),
		                a == AUDIO_UNSUPPORTED ? "unsupported_media_type" :
		                a == AUDIO_TOO_LONG ? "too_long" : "invalid_audio", err);
		goto out;
	}
	if (audio_encode_opus(pcm.s, pcm.n, pcm.rate, &opus, &len) < 0) {
		staff_res_internal(r, "encoding a recording");
		goto out;
	}
	long long ms = (long long)pcm.n * 1000 / pcm.rate;
	long long id = store_recording_add(r->st->db, r->seg[1], lang, ctx, msgid, text, opus, len,
	                                   ms, r->sess.name, (long long)time(NULL));
	if (id < 0) {
		staff_res_internal(r, store_error(r->st->db));
		goto out;
	}
	staff_audit(r->st, r->sess.name, "recording", "flows/%s %s %lld", r->seg[1], lang, id);
	staff_res_json(r, MHD_HTTP_CREATED,
	               recording_json(id, r->seg[1], lang, ctx, msgid, text, ms, len));
out:
	free(opus);
	audio_pcm_free(&pcm);
	content_unref(ct);
}

/* Delete and confirm: a new revision of an existing recording. */
static void revise(struct req *r, bool confirm)
{
	const char *lang = r->seg[2], *ctx, *msgid, *text;
	struct content *ct = NULL;
	struct store_recording cur = {0};
	if (!staff_need_editor(r))
		return;
	const struct tenant_content *tc = office(r, lang, &ct);
	if (!tc || !named_text(r, ct, tc, lang, &ctx, &msgid, &text))
		goto out;
	int found = store_recording_current(r->st->db, r->seg[1], lang, ctx, msgid, confirm, &cur);
	if (found < 0) {
		staff_res_internal(r, store_error(r->st->db));
		goto out;
	}
	if (found == 0) {
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found",
		                "Für diesen Text gibt es keine Aufnahme in dieser Sprache.");
		goto out;
	}
	long long id = store_recording_add(r->st->db, r->seg[1], lang, ctx, msgid, text,
	                                   confirm ? cur.audio : NULL, cur.len, cur.duration_ms,
	                                   r->sess.name, (long long)time(NULL));
	if (id < 0) {
		staff_res_internal(r, store_error(r->st->db));
		goto out;
	}
	staff_audit(r->st, r->sess.name, confirm ? "recording_confirm" : "recording_delete",
	            "flows/%s %s %lld", r->seg[1], lang, id);
	staff_res_json(r, MHD_HTTP_OK, recording_json(id, r->seg[1], lang, ctx, msgid, text,
	                                              confirm ? cur.duration_ms : 0,
	                                              confirm ? cur.len : 0));
out:
	store_recording_free(&cur);
	content_unref(ct);
}

void staff_recordings_delete(struct req *r)
{
	revise(r, false);
}

void staff_recordings_confirm(struct req *r)
{
	revise(r, true);
}

static void history_row(void *ud, const struct store_recording *x)
{
	json_array_append_new(ud, json_pack("{s:I,s:I,s:s,s:I,s:s,s:b,s:I}", "id", (json_int_t)x->id,
	                                     "parent", (json_int_t)x->parent, "author", x->author,
	                                     "at", (json_int_t)x->at, "text", x->text, "deleted",
	                                     x->len == 0, "duration_ms",
	                                     (json_int_t)x->duration_ms));
}

void staff_recordings_history(struct req *r)
{
	const char *msgid = staff_query(r, "msgid"), *ctx = staff_query(r, "context");
	if (!msgid) {
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "Es fehlt ?msgid=.");
		return;
	}
	json_t *list = json_array();
	if (store_recording_history(r->st->db, r->seg[1], r->seg[2], ctx, msgid, history_row,
	                            list) < 0) {
		json_decref(list);
		staff_res_internal(r, store_error(r->st->db));
		return;
	}
	staff_res_json(r, MHD_HTTP_OK, json_pack("{s:o}", "revisions", list));
}

void staff_recordings_audio(struct req *r)
{
	char *end = NULL;
	long long id = strtoll(r->seg[3], &end, 10);
	struct store_recording rec = {0};
	int found = id > 0 && end && !strcmp(end, ".opus") ? store_recording_get(r->st->db, id, &rec)
	                                                   : 0;
	if (found < 0) {
		staff_res_internal(r, store_error(r->st->db));
		return;
	}
	if (found == 0 || strcmp(rec.tenant, r->seg[1]) || strcmp(rec.lang, r->seg[2]) || !rec.audio) {
		store_recording_free(&rec);
		staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Diese Aufnahme gibt es nicht.");
		return;
	}
	staff_res_take(r, MHD_HTTP_OK, "audio/ogg", (char *)rec.audio, rec.len);
	rec.audio = NULL;
	store_recording_free(&rec);
}
