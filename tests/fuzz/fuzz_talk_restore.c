/* fuzz_talk_restore.c - fuzz target for the saved-conversation parser
 * (talk_restore), which reads text a client hands back on resume. Loads the
 * test content once (tests/data/content; run from the repository root). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/fixture.h"
#include "talk/talk.h"

static struct fixture fx;
static struct content *content;

static void cleanup(void)
{
	content_unref(content);
	fixture_done(&fx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!content) {
		content = fixture_load(&fx, NULL);
		if (!content)
			abort();
		atexit(cleanup);
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct talk_session s;
	if (talk_restore(&s, content, text) == TALK_OK) {
		struct talk_step st;
		talk_render(&s, &st);
		char *again = talk_save(&s);
		free(again);
		talk_back(&s);
		talk_end(&s);
	}
	free(text);
	return 0;
}
