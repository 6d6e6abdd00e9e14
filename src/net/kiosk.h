/* kiosk.h - the kiosk address's own routes besides the page's files:
 *
 *   /k/<tenant>[/]                                  the page (served by http.c)
 *   /qr/<tenant>/<offer>.svg?lang=<l>               an offer's contact as a QR code
 *   /qr/<tenant>.svg?lang=<l>                       the office's contact as a QR code
 *   /speak/voices.json                              languages that can be read aloud
 *   /speak/<tenant>/<lang>/recorded.json            what has a recorded voice there
 *   /speak/<tenant>/<lang>/step/<flow>/<node>.opus  a step's text read aloud
 *   /speak/<tenant>/<lang>/offer/<offer>.opus       an offer card read aloud
 *   /speak/<tenant>/<lang>/person.opus              the office's contact read aloud
 *   /speak/<tenant>/<lang>/choice/<flow>/<node>/<choice>.opus  one answer
 *   /speak/<tenant>/<lang>/choices/<flow>/<node>.opus  all answers, numbered
 *   /speak/<tenant>/<lang>/results/<flow>/<node>/<n>.opus  results heading + count
 *   /speak/<tenant>/<lang>/language.opus            the language's own name
 *   /speak/<tenant>/<lang>/words/<key>.opus         the page's words (welcome, idle)
 *   /speak/<tenant>/<lang>/words.json               those words and the no-voice line
 *   (every .opus route also as .txt: the texts that would be spoken; and as
 *   .wav: redirected to .opus, for pages from before)
 *   /fonts/<file>                                   a font from the `fonts` folder
 *
 * (docs/protocol.md, "Kiosk HTTP endpoints"). kroute_parse is pure and
 * fuzzed; kiosk_answer runs on libmicrohttpd's threads and reads only the
 * current content snapshot (content_current).
 */
#ifndef LOTSE_KIOSK_H
#define LOTSE_KIOSK_H

#include <microhttpd.h>
#include <stdbool.h>

#include "net/fonts.h"
#include "net/metrics.h"
#include "net/takehome.h"

#define KIOSK_ID_MAX 64

enum kroute_kind {
	KR_NONE,          /* not one of these routes: a page file, maybe */
	KR_BAD,           /* under /k/, /qr/, /speak/ or /fonts/ but malformed: 404 */
	KR_PAGE,
	KR_QR,
	KR_VOICES,
	KR_SPEAK_STEP,
	KR_SPEAK_OFFER,
	KR_SPEAK_PERSON,
	KR_SPEAK_CHOICE,
	KR_SPEAK_CHOICES,
	KR_SPEAK_RESULTS,
	KR_SPEAK_LANGUAGE,
	KR_SPEAK_WORDS,
	KR_WORDS_JSON,
	KR_FONT,
	KR_RECORDED,      /* /speak/<tenant>/<lang>/recorded.json */
	KR_QR_CONTACT,    /* /qr/<tenant>.svg: the office's contact card */
};

/* What a speak route answers with: the audio, the texts it reads, or (for
 * .wav, asked by pages from before) a redirect to the audio. */
enum kroute_format {
	KF_OPUS,
	KF_WAV,
	KF_TXT,
};

struct kroute {
	enum kroute_kind kind;
	char tenant[KIOSK_ID_MAX + 1];   /* [a-z0-9_-]{1,64} */
	char lang[8];                    /* lang_code_ok, e.g. "de", "de-x-es" (speak) */
	char flow[KIOSK_ID_MAX + 1];     /* speak step */
	char node[KIOSK_ID_MAX + 1];     /* speak step */
	char offer[KIOSK_ID_MAX + 1];    /* qr, speak offer */
	char choice[KIOSK_ID_MAX + 1];   /* speak choice */
	char word[KIOSK_ID_MAX + 1];     /* speak words: a key of speak_page.h */
	unsigned count;                  /* speak results: offers found, 0..999 */
	enum kroute_format format;       /* speak routes: .opus, .wav or .txt */
	char font[FONTS_NAME_MAX + 1];   /* fonts */
};

/* Classifies a request path (as libmicrohttpd hands it over, without the
 * query) and fills r's fields for it. Returns r->kind. */
enum kroute_kind kroute_parse(const char *url, struct kroute *r);

struct kiosk;
/* State of the routes: the fonts folder (opened now; if it is missing, a
 * warning is logged and /fonts/ answers 404) and the speech engine (its
 * counters go to metrics, which may be NULL). Returns NULL when out of
 * memory. Caller frees with kiosk_destroy. */
struct kiosk *kiosk_create(const char *fonts_dir, struct net_metrics *metrics);
/* Lets /speak/ play recorded voices from the database at db_path (opened
 * now, for reading; NULL or a failure: everything is synthesised). Call
 * before serving. */
void kiosk_set_recordings(struct kiosk *k, const char *db_path);
/* Lets /t/ answer take-home links with th (not owned; NULL: 404). */
void kiosk_set_takehome(struct kiosk *k, struct takehome *th);
/* Answers a take-home route (takehome_route_parse) other than NONE and
 * PAGE: the link's offers as JSON (404 malformed or not ours, 410 expired
 * or revoked, in the link's language) or its QR code. */
enum MHD_Result kiosk_answer_take_home(struct kiosk *k, struct MHD_Connection *c,
                                       enum takehome_route route, const char *link);
/* True if the speech engine has a voice for the Lotse language lang. */
bool kiosk_has_voice(struct kiosk *k, const char *lang);
/* Frees k (terminating the speech engine). NULL is fine. */
void kiosk_destroy(struct kiosk *k);
/* Answers a parsed route other than KR_NONE and KR_PAGE (404 for those). */
enum MHD_Result kiosk_answer(struct kiosk *k, struct MHD_Connection *c, const struct kroute *r);

#endif
