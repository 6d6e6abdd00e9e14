/* token.h - self-contained resume tokens: a conversation's path, sealed.
 *
 * A resume token is "<id>.<sealed>": the session's id (32 hex digits, the
 * key of the socket thread's session table, sessions.h) and, after the dot,
 * the conversation itself (talk_save's line) with an expiry, encrypted and
 * authenticated with XChaCha20-Poly1305 (libsodium) under a 32-byte key,
 * base64url without padding. Every instance that holds the same key (the
 * configuration key resume_key_file, docs/scaling.md) can open the token and
 * continue the conversation at the same step, so several instances behind
 * HAProxy need no shared session store, and a conversation survives a
 * crash of its instance. Without a key file tokens are the id alone (the
 * server holds the conversation, and saves it at a clean shutdown).
 *
 * The sealed part is opaque to the page (it holds only ids: office,
 * language, steps, facts set by choices; never free text) and is refused
 * after its expiry or if one bit of it was changed. The id is bound to it
 * (additional data), so a sealed part cannot be moved to another id.
 * Pure functions over buffers: callable from any thread.
 */
#ifndef LOTSE_TOKEN_H
#define LOTSE_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_ID_HEX 32
#define TOKEN_KEY_BYTES 32
/* The longest token sent to a page. A conversation whose sealed path would
 * be longer, or would not fit back into a resume message of max_message
 * bytes (ws.c), gets an id-only token: it resumes on its own instance only. */
#define TOKEN_MAX 8192

struct token_key {
	unsigned char k[TOKEN_KEY_BYTES];
	bool from_file;     /* false: made at random (tests) */
};

/* Reads the key from path: exactly 32 bytes (as `head -c 32 /dev/urandom`
 * writes them). Returns 0, or -1 with a specific reason in err. */
int token_key_load(struct token_key *key, const char *path, char *err, size_t errlen);
/* A random key (tests and fuzzing). Returns 0 or -1. */
int token_key_random(struct token_key *key);
/* Writes "<id>.<sealed>" into out (cap bytes, NUL-terminated): state
 * (talk_save's line) valid until expires (Unix seconds). id: 32 lowercase
 * hex digits. Returns the token's length, or -1 if it does not fit in cap
 * (nothing usable is in out then) or id is malformed. */
int token_seal(const struct token_key *key, const char *id, long long expires, const char *state,
               char *out, size_t cap);
/* Splits a token into its id (copied into id_out, 33 bytes) and reports
 * whether a sealed part follows. Returns false if the token is malformed
 * (then id_out is empty). Accepts the id-only form "<id>". */
bool token_split(const char *token, char id_out[TOKEN_ID_HEX + 1], bool *sealed);
/* Opens a sealed token at time now: returns its state (malloc'd, caller
 * frees) and its expiry in *expires; NULL if it is malformed, was not made
 * with this key, was changed, or has expired (*why says which, a static
 * string for the log). */
char *token_open(const struct token_key *key, const char *token, long long now,
                 long long *expires, const char **why);

#endif
