/* budget.h - one size budget for everything the server sends a client
 * (issue 10, finding 7; docs/protocol.md "Sizes").
 *
 * The socket keeps at most BUDGET_QUEUE_BYTES of unsent frames per client.
 * The largest message the server can ever send, BUDGET_MESSAGE_MAX, is the
 * sum of what it may carry: content strings (texts, ids, addresses of the
 * office, translated), checked against BUDGET_CONTENT_MAX when content is
 * validated (`lotse check`, a staff preview or publish, a reload); the
 * client's own query echoed in an "answer" (max_message is capped at
 * BUDGET_CLIENT_MESSAGE_MAX, and escaping can make each byte six); a resume
 * token; and the frame's keys and program texts. Escaped as JSON, a byte
 * takes 1 byte, 2 for '"', '\\' and \b \f \n \r \t, 6 (\u00XX) for the other
 * control characters.
 *
 * The queue holds two of the largest messages, so a reply to a message in
 * hand always fits while the socket stops reading (ws.c).
 */
#ifndef LOTSE_BUDGET_H
#define LOTSE_BUDGET_H

#include <stddef.h>

#define BUDGET_QUEUE_BYTES (1024u * 1024u)        /* unsent bytes per client at most */
#define BUDGET_CLIENT_MESSAGE_MAX (32u * 1024u)  /* max_message's upper bound */
#define BUDGET_ECHO_MAX (6u * BUDGET_CLIENT_MESSAGE_MAX)
#define BUDGET_TOKEN_MAX 8192u                    /* a resume token (net/token.h TOKEN_MAX) */
#define BUDGET_FRAME_OVERHEAD (16u * 1024u)       /* keys, numbers, program texts */
#define BUDGET_CONTENT_MAX (192u * 1024u)         /* content strings in one message */
#define BUDGET_OFFERS_MAX 20u                     /* offers in one message (talk.h) */
#define BUDGET_LANG_BYTES 96u                     /* a language in an offer: code, autonym, dir */
#define BUDGET_MESSAGE_MAX \
	(BUDGET_CONTENT_MAX + BUDGET_ECHO_MAX + BUDGET_TOKEN_MAX + BUDGET_FRAME_OVERHEAD)

_Static_assert(2u * BUDGET_MESSAGE_MAX <= BUDGET_QUEUE_BYTES,
               "the send queue must hold two of the largest messages");

/* Bytes s takes as a JSON string, quotes included ("null", 4, for NULL). */
size_t budget_json_len(const char *s);

#endif
