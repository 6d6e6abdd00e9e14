/* test_i18n_util.h - helpers shared by the i18n unit tests: compiling the
 * test .po files with msgfmt into a temporary folder, and building .mo
 * images by hand (for byte order, bad headers and broken offsets that
 * msgfmt would never write). */
#ifndef LOTSE_TEST_I18N_UTIL_H
#define LOTSE_TEST_I18N_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Creates a temporary folder; returns its path in buf (or "" on failure). */
static inline const char *i18n_tmpdir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/lotse-i18n-XXXXXX");
	if (!mkdtemp(buf))
		buf[0] = '\0';
	return buf;
}

/* Runs `msgfmt --check` on tests/data/i18n/<lang>.po into <dir>/<lang>.mo.
 * Returns 0 on success. */
static inline int i18n_compile_po(const char *dir, const char *lang)
{
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "msgfmt --check -o '%s/%s.mo' '%s/tests/data/i18n/%s.po'", dir,
	         lang, LOTSE_SOURCE_DIR, lang);
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "failed: %s\n", cmd);
	return rc;
}

/* Removes <dir>/<name> for each name, then dir. */
static inline void i18n_rmdir(const char *dir, const char *const *names)
{
	char p[4096];
	for (size_t i = 0; names[i]; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* Reads a whole file into a malloc'ed buffer (caller frees); NULL on error. */
static inline unsigned char *i18n_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	return buf;
}

struct mo_msg {
	const char *orig;   /* may contain NUL (plural): give lengths */
	size_t origlen;
	const char *trans;
	size_t translen;
};

static inline void i18n_put32(unsigned char *p, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Builds a .mo image with the messages in the given order (not sorted),
 * little- or big-endian, no hash table. Caller frees; *len gets the size. */
static inline unsigned char *i18n_build_mo(const struct mo_msg *m, size_t n, int big,
                                           size_t *len)
{
	size_t size = 28 + 16 * n;
	for (size_t i = 0; i < n; i++)
		size += m[i].origlen + 1 + m[i].translen + 1;
	unsigned char *b = calloc(1, size);
	if (!b)
		return NULL;
	i18n_put32(b, 0x950412de, big);
	i18n_put32(b + 4, 0, big);
	i18n_put32(b + 8, (uint32_t)n, big);
	i18n_put32(b + 12, 28, big);
	i18n_put32(b + 16, (uint32_t)(28 + 8 * n), big);
	size_t at = 28 + 16 * n;
	for (size_t i = 0; i < n; i++) {
		i18n_put32(b + 28 + 8 * i, (uint32_t)m[i].origlen, big);
		i18n_put32(b + 28 + 8 * i + 4, (uint32_t)at, big);
		memcpy(b + at, m[i].orig, m[i].origlen);
		at += m[i].origlen + 1;
		i18n_put32(b + 28 + 8 * n + 8 * i, (uint32_t)m[i].translen, big);
		i18n_put32(b + 28 + 8 * n + 8 * i + 4, (uint32_t)at, big);
		memcpy(b + at, m[i].trans, m[i].translen);
		at += m[i].translen + 1;
	}
	*len = size;
	return b;
}

#define MO_STR(s) s, sizeof(s) - 1

#endif
