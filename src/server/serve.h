/* serve.h - `lotse serve`: the running server.
 *
 * Opens the database, loads and publishes the content, starts the kiosk
 * HTTP address, the conversation socket and the staff/ops HTTP address,
 * prints one line per listener ("kiosk page: http://127.0.0.1:8080/", ...)
 * and runs the socket's event loop on the calling thread until SIGTERM or
 * SIGINT. SIGHUP reloads the content in a separate thread: on success new
 * conversations use the new content (running ones keep theirs), on failure
 * every error is logged and the old content keeps serving.
 */
#ifndef LOTSE_SERVE_H
#define LOTSE_SERVE_H

#include "server/config.h"

/* Runs the server. Returns 0 after a clean shutdown, -1 if it could not
 * start (the reason is logged to stderr). */
int serve_run(const struct config *cfg);

#endif
