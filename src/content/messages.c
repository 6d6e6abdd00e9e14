/* messages.c - the table of the program's own texts; see messages.h.
 * Add a row here for every new text the C code shows, and run
 * `lotse extract`. */
#include "content/messages.h"

#include "content/content.h"
#include "i18n/saytext.h"

#define HERE "src/content/messages.c", __LINE__, NULL

const struct ui_msg ui_messages[] = {
	{MSG_NEXT, NULL, "Button under an information message: go on to the next step", HERE},
	{MSG_OFFERS_N, MSG_OFFERS_N_PL, "Number of offers found; %d is the number", HERE},
	{MSG_ERR_CHOICE, NULL, "Error: the chosen answer does not exist", HERE},
	{MSG_ERR_TENANT, NULL, "Error: unknown education office (tenant)", HERE},
	{MSG_ERR_LANG, NULL, "Error: the language is not offered", HERE},
	{MSG_ERR_BACK, NULL, "Error: 'back' pressed on the first question", HERE},
	{MSG_ERR_BROKEN, NULL, "Error: the flow is broken or a saved conversation no longer fits",
	 HERE},
	{MSG_ERR_JSON, NULL, "Error: the kiosk sent a message the server could not read", HERE},
	{MSG_ERR_TYPE, NULL, "Error: the kiosk sent a kind of message the server does not know", HERE},
	{MSG_ERR_FIELD, NULL, "Error: a message lacks a field or has a wrong one", HERE},
	{MSG_ERR_NOSESS, NULL, "Error: an answer arrived before a conversation was started", HERE},
	{MSG_ERR_TOKEN, NULL, "Error: a conversation could not be resumed (it expired)", HERE},
	{MSG_ERR_BUSY, NULL, "Error: the server has too many open conversations", HERE},
	{MSG_ERR_INTERNAL, NULL, "Error: something failed inside the server", HERE},
	{MSG_SPEAK_WELCOME, NULL,
	 "Spoken (not shown) on the welcome screen's speaker button: a greeting and how to begin",
	 MSG_HERE_IN(CTX_SPEAK_WELCOME)},
	{MSG_SPEAK_IDLE, NULL,
	 "Spoken (not shown) on the speaker of the idle warning; name the button as the page shows "
	 "it in your language (\"Yes, continue\")", MSG_HERE_IN(CTX_SPEAK_IDLE)},
	{MSG_NO_VOICE, NULL,
	 "Shown once under the question when your language cannot be read aloud yet",
	 MSG_HERE_IN(CTX_NO_VOICE)},
	/* The words read-aloud says in each language (i18n/saytext.h, docs/speech.md). */
#define SAY_MSG(id, ctx, msgid, note) {msgid, NULL, note, "src/content/messages.c", __LINE__, ctx},
	SAY_WORDS(SAY_MSG)
#undef SAY_MSG
	/* The feedback block of a results step and the privacy dialog (kiosk page). */
	{MSG_FB_QUESTION, NULL, "Asked under the offers of a results step; answered with Yes or No",
	 MSG_HERE_IN(CTX_FEEDBACK)},
	{MSG_FB_YES, NULL, "Button: the offers helped", MSG_HERE_IN(CTX_FEEDBACK)},
	{MSG_FB_NO, NULL, "Button: the offers did not help", MSG_HERE_IN(CTX_FEEDBACK)},
	{MSG_FB_NOTHING, NULL, "Button under the offers: none of these offers fits me",
	 MSG_HERE_IN(CTX_FEEDBACK)},
	{MSG_FB_THANKS, NULL, "Shown after one of the feedback buttons was touched",
	 MSG_HERE_IN(CTX_FEEDBACK)},
	{MSG_PRIVACY_TITLE, NULL, "Link on the welcome screen and title of the privacy dialog",
	 MSG_HERE_IN(CTX_PRIVACY)},
	{MSG_PRIVACY_TEXT, NULL,
	 "The privacy dialog of the kiosk: what is counted (anonymously) and what is never kept",
	 MSG_HERE_IN(CTX_PRIVACY)},
	{MSG_PRIVACY_CLOSE, NULL, "Button: close the privacy dialog", MSG_HERE_IN(CTX_PRIVACY)},
	/* take it home on the phone (src/net/takehome.h) */
	{MSG_ERR_TAKE_HOME, NULL,
	 "Error: the phone link was asked for where there is none (not on the results, or the "
	 "server has no public address)", HERE},
	{MSG_TH_TITLE, NULL, "Heading beside the QR code that opens the results on the family's own "
	 "phone", MSG_HERE_IN(CTX_TH_TITLE)},
	{MSG_TH_HINT, NULL, "Under that heading: how to use the QR code",
	 MSG_HERE_IN(CTX_TH_HINT)},
	{MSG_TH_UNTIL, NULL, "Before the date and time until which the phone link works",
	 MSG_HERE_IN(CTX_TH_UNTIL)},
	{MSG_TH_REVOKE, NULL, "A switch beside the QR code: when the family touches 'Finish', the "
	 "phone link stops working too (otherwise it works until it expires)",
	 MSG_HERE_IN(CTX_TH_REVOKE)},
	{MSG_TH_PAGE, NULL, "Heading of the page the phone link opens on the family's phone",
	 MSG_HERE_IN(CTX_TH_PAGE)},
	{MSG_TH_EXPIRED, NULL, "Shown on the phone when the link has expired or was deleted at the "
	 "kiosk", MSG_HERE_IN(CTX_TH_EXPIRED)},
	/* The kiosk page's own words (kiosk-ui/app.js, through words.json). */
#define PAGE_MSG(key, msgid, note) \
	{msgid, NULL, note, "src/content/messages.c", __LINE__, PAGE_WORD_CTX(key)},
	PAGE_WORDS(PAGE_MSG)
#undef PAGE_MSG
	{NULL, NULL, NULL, NULL, 0, NULL},
};
