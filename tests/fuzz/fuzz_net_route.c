/* fuzz_net_route.c - fuzz target for the kiosk address's path router: the
 * input is a request path as libmicrohttpd hands it to http.c's route()
 * (cut at its first NUL byte). kroute_parse must classify it exactly: a
 * route it accepts is rebuilt from the parsed fields into the very same
 * path, every field obeys its character set, and a path is ours (not
 * KR_NONE) exactly when its first component is k, qr, speak or fonts. A
 * path the page's file server accepts (webpath_check) names a relative
 * file with no empty or dot-started component, and opening it under
 * kiosk-ui/ (when run from the repository root) leaks no descriptor. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/fonts.h"
#include "net/kiosk.h"
#include "net/webpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int id_ok(const char *s, const char *extra)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      strchr(extra, s[i])))
			return 0;
	return n >= 1 && n <= KIOSK_ID_MAX;
}

/* A language code: 2-3 letters a-z, optionally "-x-" and letters or digits
 * (a private-use subtag such as Easy German's "de-x-es"), 7 characters at
 * most (docs/translating.md). */
static int lang_ok(const char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n && s[i] >= 'a' && s[i] <= 'z')
		i++;
	if (i < 2 || i > 3)
		return 0;
	if (i == n)
		return 1;
	if (strncmp(s + i, "-x-", 3) != 0 || n > 7 || n == i + 3)
		return 0;
	for (i += 3; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* The lowest free descriptor number (to see a leak within one call). */
static int lowest_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return fd;
}

static void check_route(const char *url)
{
	struct kroute r;
	enum kroute_kind k = kroute_parse(url, &r);
	char again[1024];
	if (k != r.kind || k < KR_NONE || k > KR_QR_CONTACT)
		abort();
	/* Ours exactly when the first component is one of the four prefixes. */
	size_t first = url[0] == '/' ? strcspn(url + 1, "/") : 0;
	int ours = url[0] == '/' &&
	           ((first == 1 && !strncmp(url + 1, "k", 1)) ||
	            (first == 2 && !strncmp(url + 1, "qr", 2)) ||
	            (first == 5 && !strncmp(url + 1, "speak", 5)) ||
	            (first == 5 && !strncmp(url + 1, "fonts", 5)));
	if (ours != (k != KR_NONE))
		abort();
	if (k == KR_NONE || k == KR_BAD) {   /* nothing else filled in */
		if (r.tenant[0] || r.lang[0] || r.flow[0] || r.node[0] || r.offer[0] || r.font[0] ||
		    r.choice[0] || r.word[0] || r.count || r.format != KF_OPUS)
			abort();
		return;
	}
	if (k != KR_VOICES && k != KR_FONT && !id_ok(r.tenant, "_-"))
		abort();
	int speak = (k >= KR_SPEAK_STEP && k <= KR_WORDS_JSON) || k == KR_RECORDED;
	if (speak && !lang_ok(r.lang))
		abort();
	/* speak: .opus, .wav (redirected to .opus) and .txt are all ours */
	const char *ext = r.format == KF_TXT ? "txt" : r.format == KF_WAV ? "wav" : "opus";
	if (r.format != KF_OPUS && r.format != KF_WAV && r.format != KF_TXT)
		abort();
	switch (k) {
	case KR_PAGE:
		snprintf(again, sizeof(again), "/k/%s%s", r.tenant,
		         url[strlen(url) - 1] == '/' ? "/" : "");
		break;
	case KR_QR:
		if (!id_ok(r.offer, "_-"))
			abort();
		snprintf(again, sizeof(again), "/qr/%s/%s.svg", r.tenant, r.offer);
		break;
	case KR_VOICES:
		snprintf(again, sizeof(again), "/speak/voices.json");
		break;
	case KR_SPEAK_PERSON:
		snprintf(again, sizeof(again), "/speak/%s/%s/person.%s", r.tenant, r.lang, ext);
		break;
	case KR_SPEAK_OFFER:
		if (!id_ok(r.offer, "_-"))
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/offer/%s.%s", r.tenant, r.lang, r.offer,
		         ext);
		break;
	case KR_SPEAK_STEP:
		if (!id_ok(r.flow, "_-") || !id_ok(r.node, "_-"))
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/step/%s/%s.%s", r.tenant, r.lang, r.flow,
		         r.node, ext);
		break;
	case KR_SPEAK_CHOICES:
		if (!id_ok(r.flow, "_-") || !id_ok(r.node, "_-"))
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/choices/%s/%s.%s", r.tenant, r.lang,
		         r.flow, r.node, ext);
		break;
	case KR_SPEAK_CHOICE:
		if (!id_ok(r.flow, "_-") || !id_ok(r.node, "_-") || !id_ok(r.choice, "_-"))
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/choice/%s/%s/%s.%s", r.tenant, r.lang,
		         r.flow, r.node, r.choice, ext);
		break;
	case KR_SPEAK_RESULTS:
		if (!id_ok(r.flow, "_-") || !id_ok(r.node, "_-") || r.count > 999)
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/results/%s/%s/%u.%s", r.tenant, r.lang,
		         r.flow, r.node, r.count, ext);
		break;
	case KR_SPEAK_LANGUAGE:
		snprintf(again, sizeof(again), "/speak/%s/%s/language.%s", r.tenant, r.lang, ext);
		break;
	case KR_SPEAK_WORDS:
		if (!id_ok(r.word, "_-"))
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/words/%s.%s", r.tenant, r.lang, r.word,
		         ext);
		break;
	case KR_WORDS_JSON:
		if (r.format != KF_OPUS)   /* not a recording: the format stays at its zero */
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/words.json", r.tenant, r.lang);
		break;
	case KR_QR_CONTACT:   /* the office's contact card */
		snprintf(again, sizeof(again), "/qr/%s.svg", r.tenant);
		break;
	case KR_RECORDED:
		if (r.format != KF_OPUS)
			abort();
		snprintf(again, sizeof(again), "/speak/%s/%s/recorded.json", r.tenant, r.lang);
		break;
	default:   /* KR_FONT: a plain servable name, nothing else */
		if (!fonts_mime(r.font) || r.font[0] == '.' || strchr(r.font, '/'))
			abort();
		snprintf(again, sizeof(again), "/fonts/%s", r.font);
	}
	if (strcmp(again, url) != 0)
		abort();
}

static void check_file(const char *url)
{
	char rel[WEBPATH_MAX];
	if (webpath_check(url, rel, sizeof(rel)) < 0)
		return;
	size_t n = strlen(rel);
	if (n == 0 || n >= WEBPATH_MAX)
		abort();
	if (strcmp(url, "/") == 0 ? strcmp(rel, "index.html") != 0 : strcmp(rel, url + 1) != 0)
		abort();
	int depth = 0;
	for (const char *p = rel;; depth++) {   /* no "", ".", ".." or dot-file component */
		size_t len = strcspn(p, "/");
		if (len == 0 || p[0] == '.' || depth >= WEBPATH_MAX_DEPTH)
			abort();
		for (size_t i = 0; i < len; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			            p[i]))
				abort();
		if (!p[len])
			break;
		p += len + 1;
	}
	if (!webpath_mime(rel))
		return;
	int ui = open("kiosk-ui", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ui < 0)
		return;
	int before = lowest_fd();
	size_t fsize = 0;
	int fd = webpath_open(ui, rel, &fsize);
	if (fd >= 0)
		close(fd);
	if (lowest_fd() != before)
		abort();
	close(ui);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = malloc(size + 1);
	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';   /* a path ends at a NUL, as libmicrohttpd's does */
	check_route(url);
	check_file(url);
	free(url);
	return 0;
}
