/* mo.c - reads GNU gettext .mo files (as written by `msgfmt --check`).
 *
 * The file is untrusted input (a fuzz target feeds it): every table offset
 * and string length is checked against the file size, every string must be
 * NUL-terminated inside the file and valid UTF-8, and the order msgfmt writes
 * the messages in is not relied upon: the loader builds its own sorted index
 * (binary search) and rejects duplicate keys. Both byte orders are accepted,
 * revision 0.x. The file contents are copied; a struct mo is immutable after
 * loading and can be shared by threads.
 *
 * Keys: "msgctxt\x04msgid"; a plural entry's original is "msgid\0msgid_plural"
 * (indexed by msgid) and its translation "form0\0form1\0...".
 */
#include "i18n/catalog.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

#define MO_MAGIC 0x950412deu
#define MO_MAGIC_SWAPPED 0xde120495u
#define MO_HEADER_SIZE 28
#define MO_MAX_FILE (64u << 20)  /* refuse files over 64 MiB */

struct mo_entry {
	const char *key;   /* msgid (with "ctx\x04" prefix), up to the first NUL */
	size_t keylen;
	const char *val;   /* translation, forms separated by NUL */
	size_t vallen;     /* bytes of all forms, without the final NUL */
};

struct mo {
	char *data;        /* owned copy of the file */
	size_t size;
	struct mo_entry *entries;  /* owned, sorted by key bytes */
	size_t n;
	struct plural_expr *plural;  /* owned; NULL: germanic rule n != 1 */
};

struct reader {
	const char *file;
	const unsigned char *p;
	size_t size;
	int swap;
	struct diag *d;
};

static uint32_t rd32(const struct reader *r, size_t off)
{
	const unsigned char *b = r->p + off;
	if (r->swap)
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* Reads the descriptor i of the table at tab; checks the string lies inside
 * the file, NUL-terminated, valid UTF-8. */
static int read_string(struct reader *r, uint32_t tab, uint32_t i, const char *what,
                       const char **s, size_t *len)
{
	uint64_t at = (uint64_t)tab + (uint64_t)i * 8;
	uint32_t l = rd32(r, (size_t)at), off = rd32(r, (size_t)at + 4);
	if ((uint64_t)off + l + 1 > r->size) {
		diag_add(r->d, r->file, 0, 0,
		         "%s string %u lies outside the file (offset %u, length %u, file size %zu)",
		         what, i, off, l, r->size);
		return -1;
	}
	if (r->p[off + l] != '\0') {
		diag_add(r->d, r->file, 0, 0, "%s string %u is not NUL-terminated (offset %u)", what,
		         i, off);
		return -1;
	}
	size_t bad = utf8_invalid_at((const char *)r->p + off, l);
	if (bad < l) {
		diag_add(r->d, r->file, 0, 0, "%s string %u is not valid UTF-8 (byte %zu)", what, i,
		         bad + 1);
		return -1;
	}
	*s = (const char *)r->p + off;
	*len = l;
	return 0;
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct mo_entry *a = x, *b = y;
	return cmp_bytes(a->key, a->keylen, b->key, b->keylen);
}

/* Returns the value of header field name ("Plural-Forms") as a newly
 * allocated string (caller frees), or NULL if absent. */
static char *header_field(const char *hdr, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *p = hdr, *end = hdr + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			return strndup(v, (size_t)(eol - v));
		}
		p = eol + 1;
	}
	return NULL;
}

/* Checks the charset in Content-Type (must be UTF-8 if given) and parses
 * Plural-Forms into m->plural. */
static int parse_header(struct mo *m, const char *file, const char *hdr, size_t len,
                        struct diag *d)
{
	int rc = -1;
	char *ct = header_field(hdr, len, "Content-Type");
	char *pf = header_field(hdr, len, "Plural-Forms");
	const char *cs = ct ? strstr(ct, "charset=") : NULL;
	if (cs && strncasecmp(cs + 8, "UTF-8", 5) != 0) {
		diag_add(d, file, 0, 0, "catalogue charset must be UTF-8 (Content-Type: %.100s)", ct);
		goto out;
	}
	if (pf) {
		m->plural = plural_parse(pf, d, file);
		if (!m->plural)
			goto out;
	}
	rc = 0;
out:
	free(ct);
	free(pf);
	return rc;
}

static int check_header(struct reader *r, uint32_t *n, uint32_t *orig, uint32_t *trans)
{
	if (r->size < MO_HEADER_SIZE) {
		diag_add(r->d, r->file, 0, 0, "truncated: %zu bytes, a .mo file has at least %d",
		         r->size, MO_HEADER_SIZE);
		return -1;
	}
	uint32_t magic = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	                 (uint32_t)r->p[3] << 24;
	if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED) {
		diag_add(r->d, r->file, 0, 0, "not a .mo file (bad magic 0x%08x)", magic);
		return -1;
	}
	r->swap = magic == MO_MAGIC_SWAPPED;
	uint32_t rev = rd32(r, 4);
	if (rev >> 16 != 0) {
		diag_add(r->d, r->file, 0, 0, "unsupported .mo revision %u.%u", rev >> 16,
		         rev & 0xffff);
		return -1;
	}
	*n = rd32(r, 8);
	*orig = rd32(r, 12);
	*trans = rd32(r, 16);
	uint64_t need = (uint64_t)*n * 8;
	if ((uint64_t)*orig + need > r->size || (uint64_t)*trans + need > r->size) {
		diag_add(r->d, r->file, 0, 0,
		         "string tables lie outside the file (%u messages, tables at %u and %u, "
		         "file size %zu)", *n, *orig, *trans, r->size);
		return -1;
	}
	return 0;
}

/* Fills m->entries from the tables; the header entry (empty msgid) is parsed
 * instead of indexed. */
static int read_entries(struct mo *m, struct reader *r, uint32_t n, uint32_t orig, uint32_t trans)
{
	int seen_header = 0;
	m->entries = calloc(n ? n : 1, sizeof(*m->entries));
	if (!m->entries) {
		diag_add(r->d, r->file, 0, 0, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct mo_entry e;
		if (read_string(r, orig, i, "original", &e.key, &e.keylen) != 0 ||
		    read_string(r, trans, i, "translation", &e.val, &e.vallen) != 0)
			return -1;
		e.keylen = strlen(e.key);  /* msgid only, not "\0msgid_plural" */
		if (e.keylen == 0) {
			if (seen_header++) {
				diag_add(r->d, r->file, 0, 0, "duplicate header entry (empty msgid)");
				return -1;
			}
			if (parse_header(m, r->file, e.val, e.vallen, r->d) != 0)
				return -1;
			continue;
		}
		m->entries[m->n++] = e;
	}
	qsort(m->entries, m->n, sizeof(*m->entries), cmp_entry);
	for (size_t i = 1; i < m->n; i++) {
		if (cmp_entry(&m->entries[i - 1], &m->entries[i]) == 0) {
			const char *k = m->entries[i].key, *x = memchr(k, '\x04', m->entries[i].keylen);
			diag_add(r->d, r->file, 0, 0, "duplicate message \"%.100s\"", x ? x + 1 : k);
			return -1;
		}
	}
	return 0;
}

/* Parses a .mo image (copied). Returns a new catalogue (free with mo_free)
 * or NULL with errors in d. */
struct mo *mo_parse(const char *display, const void *buf, size_t len, struct diag *d)
{
	struct mo *m = calloc(1, sizeof(*m));
	uint32_t n, orig, trans;
	if (!m || !(m->data = malloc(len ? len : 1))) {
		diag_add(d, display, 0, 0, "out of memory");
		goto fail;
	}
	if (len)
		memcpy(m->data, buf, len);
	m->size = len;
	struct reader r = { display, (const unsigned char *)m->data, len, 0, d };
	if (check_header(&r, &n, &orig, &trans) != 0 || read_entries(m, &r, n, orig, trans) != 0)
		goto fail;
	return m;
fail:
	mo_free(m);
	return NULL;
}

/* Reads and parses path. Returns a new catalogue (free with mo_free) or NULL
 * with errors in d. */
struct mo *mo_load(const char *path, struct diag *d)
{
	struct mo *m = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(d, path, 0, 0, "cannot open catalogue: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= MO_MAX_FILE) {
				diag_add(d, path, 0, 0, "catalogue larger than %u bytes", MO_MAX_FILE);
				goto out;
			}
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				diag_add(d, path, 0, 0, "out of memory");
				goto out;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_add(d, path, 0, 0, "cannot read catalogue: %s", strerror(errno));
		goto out;
	}
	m = mo_parse(path, buf, len, d);
out:
	fclose(f);
	free(buf);
	return m;
}

/* Frees a catalogue and everything it owns; NULL is fine. */
void mo_free(struct mo *m)
{
	if (!m)
		return;
	plural_free(m->plural);
	free(m->entries);
	free(m->data);
	free(m);
}

/* Compares an entry key with the virtual string ctx "\x04" msgid. */
static int cmp_lookup(const struct mo_entry *e, const char *ctx, const char *msgid)
{
	const char *k = e->key;
	size_t kl = e->keylen;
	if (ctx) {
		size_t cl = strlen(ctx);
		int c = memcmp(k, ctx, kl < cl ? kl : cl);
		if (c)
			return c;
		if (kl <= cl)
			return -1;  /* key is a prefix of ctx "\x04" msgid: sorts first */
		if ((unsigned char)k[cl] != 0x04)
			return (unsigned char)k[cl] < 0x04 ? -1 : 1;
		k += cl + 1;
		kl -= cl + 1;
	}
	return cmp_bytes(k, kl, msgid, strlen(msgid));
}

static const struct mo_entry *find(const struct mo *m, const char *ctx, const char *msgid)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_lookup(&m->entries[mid], ctx, msgid);
		if (c == 0)
			return &m->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *mo_lookup(const struct mo *m, const char *ctx, const char *msgid)
{
	const struct mo_entry *e = m && msgid ? find(m, ctx, msgid) : NULL;
	return e && e->val[0] ? e->val : NULL;
}

/* Returns form n's text, or NULL when the entry has fewer forms or the form
 * is empty (treated as untranslated, so the caller falls back). */
const char *mo_lookup_plural(const struct mo *m, const char *ctx, const char *msgid,
                             const char *msgid_plural, unsigned long n)
{
	(void)msgid_plural;  /* gettext looks plural entries up by msgid alone */
	const struct mo_entry *e = m && msgid ? find(m, ctx, msgid) : NULL;
	if (!e)
		return NULL;
	unsigned long idx = plural_eval(m->plural, n);
	const char *p = e->val, *end = e->val + e->vallen;
	for (; idx > 0; idx--) {
		p += strlen(p) + 1;
		if (p > end)
			return NULL;
	}
	return p[0] ? p : NULL;
}

size_t mo_count(const struct mo *m)
{
	return m ? m->n : 0;
}
