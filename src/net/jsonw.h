/* jsonw.h - a small direct JSON writer for the server's outgoing frames.
 *
 * Writes compact JSON straight into one growable malloc'd buffer that starts
 * with `prefix` bytes the caller fills in itself (proto.c puts the
 * struct proto_frame header and libwebsockets' LWS_PRE headroom there), so a
 * frame is built with no tree and no second copy. The output is byte for
 * byte what jansson's json_dumps(JSON_COMPACT) prints for the same values:
 * strings escape '"', '\\' and the control characters (\b \f \n \r \t, the
 * others as \u00XX with upper-case hex), everything else, UTF-8 included, is
 * kept as it is; NULL strings are null and strings that are not valid UTF-8
 * (overlong forms, surrogates, > U+10FFFF, truncated sequences) are "".
 *
 * Commas are placed by the writer: open an object or array, then write
 * values (in an object: jsonw_key before each value), then close it. On
 * allocation failure the writer is marked failed and ignores further calls;
 * jsonw_finish then returns NULL.
 */
#ifndef LOTSE_JSONW_H
#define LOTSE_JSONW_H

#include <stdbool.h>
#include <stddef.h>

#define JSONW_MAX_DEPTH 16

struct jsonw {
	char *buf;                        /* owned until jsonw_finish */
	size_t len, cap;                  /* len includes the prefix */
	size_t prefix;
	unsigned depth;
	bool first[JSONW_MAX_DEPTH + 1];  /* nothing written yet at this level */
	bool after_key;
	bool failed;
};

/* Starts a document with prefix uninitialised bytes in front and room for
 * about size_hint bytes of text (it grows as needed). */
void jsonw_init(struct jsonw *w, size_t prefix, size_t size_hint);
/* Frees what the writer holds (after a failure, or instead of finishing). */
void jsonw_free(struct jsonw *w);

void jsonw_obj_open(struct jsonw *w);
void jsonw_obj_close(struct jsonw *w);
void jsonw_arr_open(struct jsonw *w);
void jsonw_arr_close(struct jsonw *w);
/* The next member's name (escaped like a string; NULL is a failure). */
void jsonw_key(struct jsonw *w, const char *key);
/* A string value: null for NULL, "" for invalid UTF-8. */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* An integer value. */
void jsonw_int(struct jsonw *w, long long v);

/* Ends the document: NUL-terminates it and hands the buffer to the caller,
 * who frees it with free(); *len gets the text's length (without prefix and
 * NUL). Returns NULL (and frees everything) if anything failed, including
 * unbalanced opens and closes. */
char *jsonw_finish(struct jsonw *w, size_t *len);

#endif
