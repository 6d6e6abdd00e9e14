/* fonts.h - which font files the kiosk address serves under /fonts/.
 *
 * The page brings no fonts of its own: it uses the operating system's Noto
 * fonts (Debian's fonts-noto-core) from the configured `fonts` folder, so no
 * request ever leaves the server. Only plain file names directly in that
 * folder are served: [A-Za-z0-9._-]+, not starting with '.', ending in .ttf,
 * .otf or .woff2; they are opened with openat(O_NOFOLLOW) (webpath_open), so
 * a symbolic link is never followed.
 */
#ifndef LOTSE_FONTS_H
#define LOTSE_FONTS_H

#include <stddef.h>

#define FONTS_NAME_MAX 128
#define FONTS_CACHE_CONTROL "public, max-age=2592000"   /* 30 days */

/* The Content-Type ("font/ttf", "font/otf", "font/woff2") for a file name,
 * or NULL if that name must not be served. */
const char *fonts_mime(const char *name);
/* Opens the font file name (checked with fonts_mime first) in the folder
 * dirfd. Returns an fd (caller closes) and its size, or -1. */
int fonts_open(int dirfd, const char *name, size_t *size);

#endif
