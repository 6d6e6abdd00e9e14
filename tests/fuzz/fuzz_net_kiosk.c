/* fuzz_net_kiosk.c - feeds arbitrary bytes to the kiosk route parser
 * (kroute_parse), the speech rewrites of phone numbers, postcodes and free
 * text, the count template and answer numbering of speak_page.c, the
 * vCard builder and (for short inputs) the QR code drawing, so every new
 * text parser of src/net/{kiosk,speech_text,speak_page,qr}.c runs on
 * hostile input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/fonts.h"
#include "net/kiosk.h"
#include "net/qr.h"
#include "net/speak_page.h"
#include "net/speech.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void rewrite(void (*fn)(struct strbuf *, const char *), const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	fn(&sb, s);
	strbuf_free(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';   /* stops at an embedded NUL, like a C string does */
	struct kroute r;
	if (kroute_parse(s, &r) == KR_FONT && !fonts_mime(r.font))
		abort();      /* a font route always names a servable file */
	rewrite(speech_phone_words, s);
	struct strbuf sb;   /* a count template and an answer label from a catalogue */
	strbuf_init(&sb);
	speak_count(&sb, s, (unsigned)size);
	if (strbuf_ok(&sb) && !strstr(s, "%d") && strcmp(strbuf_str(&sb), s) != 0)
		abort();   /* without "%d" the template is kept as it is */
	speak_numbered(&sb, size, s);
	strbuf_free(&sb);
	struct qr_contact c = {.name = s, .phone = s, .address = s, .hours = s, .district = s};
	free(qr_vcard(&c));
	if (size <= 24) {   /* encoding is slow-ish; the title escaping is what is ours */
		size_t len = 0;
		free(qr_svg(s, s, &len));
	}
	free(s);
	return 0;
}
