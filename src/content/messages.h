/* messages.h - the program's own translatable texts (not from flow files).
 *
 * Every text the C code shows a person is listed in one table, so that
 * `lotse extract` can write it into the template with a source reference,
 * exactly like flow texts. msgids are German, the source language.
 */
#ifndef LOTSE_MESSAGES_H
#define LOTSE_MESSAGES_H

#include <stddef.h>

struct ui_msg {
	const char *msgid;
	const char *plural;     /* msgid_plural or NULL */
	const char *note;       /* translator comment */
	const char *file;       /* source file (repository-relative) */
	int line;
};

/* All program texts, terminated by an entry with msgid == NULL. */
extern const struct ui_msg ui_messages[];

#define MSG_NEXT        "Weiter"
#define MSG_OFFERS_N    "%d Angebot"
#define MSG_OFFERS_N_PL "%d Angebote"
#define MSG_ERR_CHOICE  "Diese Auswahl gibt es hier nicht."
#define MSG_ERR_TENANT  "Dieses Bildungsbüro gibt es hier nicht."
#define MSG_ERR_LANG    "Diese Sprache gibt es hier nicht."
#define MSG_ERR_BACK    "Sie sind schon am Anfang."
#define MSG_ERR_BROKEN  "Hier ist leider etwas schiefgegangen. Bitte fangen Sie neu an."

#endif
