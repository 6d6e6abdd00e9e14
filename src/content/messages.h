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
	const char *context;    /* msgctxt or NULL (after line, so rows without one stay short) */
};

/* The source columns of a row of messages.c with a msgctxt (written where
 * the row is, so the reference names the row's line). */
#define MSG_HERE_IN(ctx) "src/content/messages.c", __LINE__, ctx

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
#define MSG_ERR_JSON    "Die Nachricht konnte nicht gelesen werden."
#define MSG_ERR_TYPE    "Diese Art von Nachricht kennen wir nicht."
#define MSG_ERR_FIELD   "In der Nachricht fehlt eine Angabe oder sie hat die falsche Form."
#define MSG_ERR_NOSESS  "Bitte beginnen Sie zuerst ein Gespräch."
#define MSG_ERR_TOKEN   "Dieses Gespräch ist abgelaufen. Bitte beginnen Sie ein neues."
#define MSG_ERR_BUSY    "Gerade sind sehr viele Gespräche offen. Bitte versuchen Sie es gleich noch einmal."
#define MSG_ERR_INTERNAL "Das hat leider nicht geklappt. Bitte versuchen Sie es noch einmal."

/* Read aloud on the kiosk page (src/net/speak_page.c): what the page's own
 * words say when spoken, and the line shown where a language has no voice. */
#define CTX_SPEAK_WELCOME "kiosk read aloud: welcome screen"
#define MSG_SPEAK_WELCOME "Willkommen! Berühren Sie den Bildschirm, um zu beginnen."
#define CTX_SPEAK_IDLE    "kiosk read aloud: the warning before the conversation is deleted"
#define MSG_SPEAK_IDLE    "Sind Sie noch da? Sonst wird gleich alles gelöscht. Wenn Sie weitermachen möchten, tippen Sie auf „Ja, weiter“."
#define CTX_NO_VOICE      "kiosk page: shown once when a language has no voice for reading aloud"
#define MSG_NO_VOICE      "Für diese Sprache gibt es leider noch keine Stimme zum Vorlesen."

/* The kiosk page's feedback block on a results step (counted in the
 * anonymous statistics, docs/privacy.md) and its privacy dialog; shown
 * from words.json (src/net/speak_page.c). */
#define CTX_FEEDBACK      "kiosk feedback"
#define MSG_FB_QUESTION   "Hat Ihnen das geholfen?"
#define MSG_FB_YES        "Ja"
#define MSG_FB_NO         "Nein"
#define MSG_FB_NOTHING    "Nichts davon passt"
#define MSG_FB_THANKS     "Danke für Ihre Rückmeldung!"
#define CTX_PRIVACY       "kiosk privacy"
#define MSG_PRIVACY_TITLE "Datenschutz"
#define MSG_PRIVACY_TEXT  "Wir speichern nichts, was Sie erkennbar macht: keinen Namen, keine IP-Adresse, keine Uhrzeit. Wir zählen nur anonym, wie oft welche Schritte und Angebote gewählt werden, damit das Bildungsbüro seine Angebote verbessern kann. Einen Suchtext behalten wir erst, wenn mindestens fünf Menschen ihn eingegeben haben. Wenn Sie fertig sind oder eine Weile nichts berühren, wird das Gespräch gelöscht."
#define MSG_PRIVACY_CLOSE "Schließen"
/* Take it home on the phone (issue 11, item 6; src/net/takehome.h): the
 * page's words for the phone link, from the catalogues (msgctxt "kiosk
 * page: <key>"), sent by the server with the link and the link's page. */
#define MSG_ERR_TAKE_HOME "Einen Link für Ihr Telefon gibt es hier leider nicht."
#define CTX_TH_TITLE   "kiosk page: take_home_title"
#define MSG_TH_TITLE   "Auf Ihr Telefon mitnehmen"
#define CTX_TH_HINT    "kiosk page: take_home_hint"
#define MSG_TH_HINT    "Scannen Sie den Code mit der Kamera Ihres Telefons. Dann sehen Sie diese Angebote auch auf Ihrem Telefon."
#define CTX_TH_UNTIL   "kiosk page: take_home_until"
#define MSG_TH_UNTIL   "Der Link gilt bis:"
#define CTX_TH_REVOKE  "kiosk page: take_home_revoke"
#define MSG_TH_REVOKE  "Beim Beenden auch den Link für das Telefon löschen"
#define CTX_TH_PAGE    "kiosk page: take_home_page"
#define MSG_TH_PAGE    "Ihre Angebote vom Bildungsbüro"
#define CTX_TH_EXPIRED "kiosk page: take_home_expired"
#define MSG_TH_EXPIRED "Dieser Link gilt nicht mehr. Er ist abgelaufen oder wurde gelöscht. Sie können am Bildschirm im Bildungsbüro neu beginnen."
/* The kiosk page's own words (buttons, headings, the idle warning, the card
 * labels), served by /speak/<tenant>/<lang>/words.json (src/net/speak_page.c,
 * docs/protocol.md) and shown by kiosk-ui/app.js under the same key. Each
 * has the msgctxt "kiosk page: <key>". Write them in the formal register
 * (Sie) like every other text. X(key, German msgid, translator note). */
#define PAGE_WORD_CTX(key) "kiosk page: " #key
#define PAGE_WORDS(X) \
	X(greet, "Willkommen", "Welcome screen: the greeting on the button of your language") \
	X(office, "Bildungsbüro wählen", "Heading above the list of education offices to choose from") \
	X(choose_language, "Sprache wählen", "Heading above the list of languages") \
	X(language, "Sprache", "Button in the top bar: change the language") \
	X(back, "Zurück", "Button in the top bar: take the last answer back") \
	X(restart, "Neu beginnen", "Button: start the questions again from the first one") \
	X(finish, "Beenden", "Button at the end: finish and delete the conversation") \
	X(large, "Große Schrift", "Switch in the top bar: large text") \
	X(contrast, "Kontrast", "Switch in the top bar: high contrast colours") \
	X(listen, "Vorlesen", "Speaker button: read this aloud") \
	X(listen_all, "Alle Antworten vorlesen", "Speaker button above the answers: read all answers aloud") \
	X(print, "Drucken", "Button on an offer card: print it") \
	X(idle_title, "Sind Sie noch da?", "Heading of the warning after a while without a touch") \
	X(idle_text, "Sonst wird gleich alles gelöscht.", "Text of that warning: the conversation will be deleted soon") \
	X(yes, "Ja, weiter", "Button of that warning: continue (name it as the spoken idle warning does)") \
	X(lost, "Verbindung unterbrochen. Neuer Versuch …", "Shown at the bottom when the connection to the server is lost and being tried again") \
	X(sample, "Beispieldaten", "Small notice: the office's details are invented sample data") \
	X(when, "Wann", "Label on an offer card: opening hours or dates") \
	X(where, "Wo", "Label on an offer card: the address") \
	X(phone, "Telefon", "Label on an offer card: phone number") \
	X(email, "E-Mail", "Label on an offer card: e-mail address") \
	X(web, "Internet", "Label on an offer card: web address") \
	X(langs, "Sprachen", "Label on an offer card: languages spoken there") \
	X(cost, "Kosten", "Label on an offer card: what it costs") \
	X(qr, "QR-Code mit den Kontaktdaten", "Description of the QR code on a card (for screen readers)") \
	X(contact, "Kontakt", "Heading of the office's contact card") \
	X(you, "Sie", "Read by screen readers before the answer the person chose (\"You: ...\"), formal") \
	X(printAll, "Alles drucken", "Button on the results: print everything on one sheet") \
	X(printTitle, "Ihre Ergebnisse", "Title of the printed sheet with the answers and offers") \
	X(answers, "Ihre Antworten", "Heading on the printed sheet above the questions and the answers given") \
	X(finishTitle, "Alles wird gelöscht", "Title of the reminder shown after touching Finish") \
	X(finishText, "Bitte nehmen Sie Ihren Ausdruck mit oder scannen Sie den QR-Code. Danach wird alles gelöscht.", "Text of the reminder shown after touching Finish, before everything is erased") \
	X(finishNow, "Jetzt beenden", "Button in the finish reminder: erase everything now")

#endif
