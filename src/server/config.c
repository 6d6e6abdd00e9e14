/* config.c - the server's YAML configuration; see config.h and
 * docs/operating.md. Unknown keys and wrong types are errors with position. */
#include "server/config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/lang.h"
#include "util/budget.h"
#include "staff/xff.h"
#include "yaml/ydoc.h"

int config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->arena = arena_new();
	if (!c->arena)
		return -1;
	c->flows_dir = "flows";
	c->mo_dir = "build/po";
	c->ui_dir = "kiosk-ui";
	c->fonts_dir = "/usr/share/fonts/truetype/noto";
	c->db_path = "lotse.db";
	c->po_dir = "po";
	c->staff_session_timeout = 1800;
	c->kiosk = (struct listen_addr){"0.0.0.0", 8080};
	c->socket = (struct listen_addr){"0.0.0.0", 8081};
	c->staff = (struct listen_addr){"127.0.0.1", 8082};
	c->max_message = 16384;
	c->ping_interval = 30;
	c->ping_timeout = 10;
	c->resume_window = 1800;
	c->preview_resume_window = 120;
	c->preview_per_account = 8;
	c->preview_max = 64;
	c->max_sessions = 20000;
	c->idle_timeout = 90;
	c->idle_countdown = 20;
	c->reach_zone = 44;
	c->take_home_ttl = 86400;
	c->default_chain = arena_alloc(c->arena, 2 * sizeof(char *));
	if (!c->default_chain)
		return -1;
	c->default_chain[0] = "en";
	c->log_level = "info";
	c->event_loop = "libev";
	c->socket_connections = 16000;
	c->socket_per_address = 256;
	c->http_connections = 256;
	c->http_per_address = 64;
	c->header_timeout = 10;
	c->body_timeout = 60;
	c->http_idle_timeout = 30;
	c->limits_log_interval = 10;
	c->staff_login_workers = 2;
	c->staff_login_queue = 16;
	c->audit_retention_days = 365;
	c->stats_enabled = true;
	c->stats_flush_seconds = 60;
	c->stats_retention_days = 400;
	c->staff_chartjs = "/usr/share/javascript/chart.js/chart.min.js";
	return 0;
}

/* Frees the arena, and with it every string and array of the config. */
void config_free(struct config *c)
{
	arena_free(c->arena);
	memset(c, 0, sizeof(*c));
}

int config_parse_addr(struct config *c, const char *s, struct listen_addr *out)
{
	const char *colon = strrchr(s, ':');
	if (!colon || !colon[1])
		return -1;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	const char *host = s;
	size_t hl = (size_t)(colon - s);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		host++;
		hl -= 2;
	}
	out->host = hl ? arena_strndup(c->arena, host, hl) : "0.0.0.0";
	out->port = (int)port;
	return out->host ? 0 : -1;
}

struct cfg_ctx {
	struct config *c;
	const char *file;
	struct diag *d;
};

static void bad(struct cfg_ctx *x, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void bad(struct cfg_ctx *x, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_addv(x->d, x->file, n->line, n->col, fmt, ap);
	va_end(ap);
}

static const char *get_str(struct cfg_ctx *x, const struct ynode *n, const char *key)
{
	if (!ynode_is_str(n) || n->len == 0) {
		bad(x, n, "\"%s\" must be a non-empty text", key);
		return NULL;
	}
	return arena_strdup(x->c->arena, n->str);
}

/* A path from the file: an absolute one as it is; a relative one against the
 * folder of the configuration file (unchanged when that is the current folder,
 * so messages keep the short paths), copied into the config's arena. */
static const char *get_path(struct cfg_ctx *x, const struct ynode *n, const char *key)
{
	const char *s = get_str(x, n, key);
	const char *slash = x->file ? strrchr(x->file, '/') : NULL;
	if (!s || s[0] == '/' || !slash)
		return s;
	size_t dl = (size_t)(slash - x->file) + 1, sl = strlen(s);
	char *out = arena_alloc(x->c->arena, dl + sl + 1);
	if (!out)
		return NULL;
	memcpy(out, x->file, dl);
	memcpy(out + dl, s, sl + 1);
	return out;
}

static void get_int(struct cfg_ctx *x, const struct ynode *n, const char *key, long min, long max,
                    int *out)
{
	long v;
	if (!ynode_int(n, min, max, &v)) {
		diag_add(x->d, x->file, n->line, n->col, "\"%s\" must be a whole number from %ld to %ld",
		         key, min, max);
		return;
	}
	*out = (int)v;
}

static void get_addr(struct cfg_ctx *x, const struct ynode *n, const char *key,
                     struct listen_addr *out)
{
	if (!ynode_is_str(n) || config_parse_addr(x->c, n->str, out) != 0)
		bad(x, n, "\"%s\" must be an address like 127.0.0.1:8080 or [::1]:8080 (port 0: any free port)",
		    key);
}

/* A list of language codes, NULL-terminated, in the arena. */
static const char **get_langs(struct cfg_ctx *x, const struct ynode *n, const char *key)
{
	if (n->kind != YNODE_SEQ) {
		bad(x, n, "\"%s\" must be a list of language codes", key);
		return NULL;
	}
	const char **out = arena_alloc(x->c->arena, (n->nitems + 1) * sizeof(*out));
	for (size_t i = 0; out && i < n->nitems; i++) {
		const struct ynode *it = n->items[i];
		if (!ynode_is_str(it) || !lang_find(it->str)) {
			diag_add(x->d, x->file, it->line, it->col, "unknown language code \"%s\"",
			         ynode_is_str(it) ? it->str : "");
			continue;
		}
		out[i] = arena_strdup(x->c->arena, it->str);
	}
	return out;
}

static void load_listen(struct cfg_ctx *x, const struct ynode *map)
{
	if (map->kind != YNODE_MAP) {
		bad(x, map, "\"%s\" must be a mapping (kiosk, socket, staff)", "listen");
		return;
	}
	for (size_t i = 0; i < map->npairs; i++) {
		const char *k = map->pairs[i].key->str;
		const struct ynode *v = map->pairs[i].value;
		if (!strcmp(k, "kiosk"))
			get_addr(x, v, k, &x->c->kiosk);
		else if (!strcmp(k, "socket"))
			get_addr(x, v, k, &x->c->socket);
		else if (!strcmp(k, "staff"))
			get_addr(x, v, k, &x->c->staff);
		else
			bad(x, map->pairs[i].key, "unknown key \"%s\" in listen", k);
	}
}

static void load_limits(struct cfg_ctx *x, const struct ynode *map)
{
	static const char *const keys[] = {"socket_connections", "socket_per_address",
	                                   "http_connections", "http_per_address",
	                                   "header_timeout", "body_timeout", "http_idle_timeout",
	                                   "log_interval"};
	static const long max[] = {1000000, 1000000, 100000, 100000, 3600, 86400, 86400, 86400};
	struct config *c = x->c;
	int *const out[] = {&c->socket_connections, &c->socket_per_address, &c->http_connections,
	                    &c->http_per_address, &c->header_timeout, &c->body_timeout,
	                    &c->http_idle_timeout, &c->limits_log_interval};
	if (map->kind != YNODE_MAP) {
		bad(x, map, "\"%s\" must be a mapping (see docs/operating.md, Limits)", "limits");
		return;
	}
	for (size_t i = 0; i < map->npairs; i++) {
		const char *k = map->pairs[i].key->str;
		size_t j = 0;
		while (j < sizeof(keys) / sizeof(keys[0]) && strcmp(k, keys[j]))
			j++;
		if (j < sizeof(keys) / sizeof(keys[0]))
			get_int(x, map->pairs[i].value, k, 1, max[j], out[j]);
		else
			bad(x, map->pairs[i].key, "unknown key \"%s\" in limits", k);
	}
}

static void load_trusted_proxies(struct cfg_ctx *x, const struct ynode *n)
{
	struct config *c = x->c;
	if (n->kind != YNODE_SEQ) {
		bad(x, n, "\"%s\" must be a list of addresses or networks like 127.0.0.1, \"::1\" "
		    "or 10.0.0.0/8", "trusted_proxies");
		return;
	}
	c->trusted_proxies = arena_alloc(c->arena, (n->nitems + 1) * sizeof(char *));
	c->ntrusted_proxies = 0;
	for (size_t i = 0; c->trusted_proxies && i < n->nitems; i++) {
		const struct ynode *it = n->items[i];
		struct xff_addr a;
		if (!ynode_is_str(it) || xff_parse_addr(it->str, it->len, true, &a) < 0) {
			bad(x, it, "\"%s\" is not an IP address or network (10.0.0.0/8; host bits zero) "
			    "(%s)", ynode_is_str(it) ? it->str : "", "trusted_proxies");
			continue;
		}
		c->trusted_proxies[c->ntrusted_proxies++] = arena_strdup(c->arena, it->str);
	}
}

static void load_staff(struct cfg_ctx *x, const struct ynode *map)
{
	struct config *c = x->c;
	if (map->kind != YNODE_MAP) {
		bad(x, map, "\"%s\" must be a mapping (see docs/operating.md)", "staff");
		return;
	}
	for (size_t i = 0; i < map->npairs; i++) {
		const char *k = map->pairs[i].key->str;
		const struct ynode *v = map->pairs[i].value;
		if (!strcmp(k, "trusted_proxies"))
			load_trusted_proxies(x, v);
		else if (!strcmp(k, "login_workers"))
			get_int(x, v, k, 1, 64, &c->staff_login_workers);
		else if (!strcmp(k, "login_queue"))
			get_int(x, v, k, 1, 10000, &c->staff_login_queue);
		else if (!strcmp(k, "audit_retention_days"))
			get_int(x, v, k, 1, 36500, &c->audit_retention_days);
		else if (!strcmp(k, "chartjs") && get_path(x, v, k))
			c->staff_chartjs = get_path(x, v, k);
		else if (strcmp(k, "chartjs"))
			bad(x, map->pairs[i].key, "unknown key \"%s\" in staff", k);
	}
}

/* stats: enabled, flush_seconds, retention_days (docs/operating.md). */
static void load_stats(struct cfg_ctx *x, const struct ynode *map)
{
	struct config *c = x->c;
	if (map->kind != YNODE_MAP) {
		bad(x, map, "\"%s\" must be a mapping (see docs/operating.md)", "stats");
		return;
	}
	for (size_t i = 0; i < map->npairs; i++) {
		const char *k = map->pairs[i].key->str;
		const struct ynode *v = map->pairs[i].value;
		if (!strcmp(k, "enabled")) {
			if (!ynode_bool(v, &c->stats_enabled))
				bad(x, v, "\"%s\" must be true or false (stats)", k);
		} else if (!strcmp(k, "flush_seconds")) {
			get_int(x, v, k, 1, 86400, &c->stats_flush_seconds);
		} else if (!strcmp(k, "retention_days")) {
			get_int(x, v, k, 1, 36500, &c->stats_retention_days);
		} else {
			bad(x, map->pairs[i].key, "unknown key \"%s\" in stats", k);
		}
	}
}

static void load_fallback(struct cfg_ctx *x, const struct ynode *map)
{
	if (map->kind != YNODE_MAP) {
		bad(x, map, "\"%s\" must be a mapping of language code to a list of languages",
		    "fallback");
		return;
	}
	struct config *c = x->c;
	c->fallbacks = arena_alloc(c->arena, (map->npairs + 1) * sizeof(*c->fallbacks));
	if (!c->fallbacks)
		return;
	for (size_t i = 0; i < map->npairs; i++) {
		const struct ynode *k = map->pairs[i].key;
		const char **chain = get_langs(x, map->pairs[i].value, k->str);
		if (!strcmp(k->str, "default")) {
			if (chain)
				c->default_chain = chain;
			continue;
		}
		if (!lang_find(k->str)) {
			bad(x, k, "unknown language code \"%s\"", k->str);
			continue;
		}
		c->fallbacks[c->nfallbacks].lang = arena_strdup(c->arena, k->str);
		c->fallbacks[c->nfallbacks].chain = chain;
		c->nfallbacks++;
	}
}

static void load_origins(struct cfg_ctx *x, const struct ynode *n)
{
	if (n->kind != YNODE_SEQ) {
		bad(x, n, "\"%s\" must be a list of origins like https://kiosk.example.org", "origins");
		return;
	}
	x->c->origins = arena_alloc(x->c->arena, (n->nitems + 1) * sizeof(char *));
	for (size_t i = 0; x->c->origins && i < n->nitems; i++) {
		const struct ynode *it = n->items[i];
		if (!ynode_is_str(it) ||
		    (strncmp(it->str, "http://", 7) != 0 && strncmp(it->str, "https://", 8) != 0)) {
			bad(x, it, "origin must start with http:// or https:// (%s)", "origins");
			continue;
		}
		x->c->origins[x->c->norigins++] = arena_strdup(x->c->arena, it->str);
	}
}

/* public_socket: a path on the page's own origin ("/socket"): '/' first,
 * then only characters a URL path carries unescaped, no empty segment. */
static void load_public_socket(struct cfg_ctx *x, const struct ynode *n)
{
	bool ok = ynode_is_str(n) && n->len >= 1 && n->len <= 200 && n->str[0] == '/';
	for (size_t i = 1; ok && i < n->len; i++) {
		char ch = n->str[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		     ch == '.' || ch == '_' || ch == '~' || ch == '-' || (ch == '/' && n->str[i - 1] != '/');
	}
	if (!ok) {
		bad(x, n, "\"%s\" must be a path on the page's own origin like /socket "
		    "(at most 200 of a-z A-Z 0-9 / . _ ~ -)", "public_socket");
		return;
	}
	x->c->public_socket = arena_strdup(x->c->arena, n->str);
}

/* public_url: "http(s)://host[:port][/path]", what phones reach the kiosk
 * address under (take-home links); no query, fragment, space or quote. */
static void load_public_url(struct cfg_ctx *x, const struct ynode *n)
{
	bool ok = ynode_is_str(n) && n->len <= 200 &&
	          (!strncmp(n->str, "https://", 8) || !strncmp(n->str, "http://", 7));
	size_t start = ok ? (n->str[4] == 's' ? 8 : 7) : 0;
	ok = ok && n->len > start && n->str[start] != '/';
	for (size_t i = start; ok && i < n->len; i++) {
		char ch = n->str[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		     strchr(".-_~:/[]", ch) != NULL;
	}
	if (!ok) {
		bad(x, n, "\"%s\" must be the address phones reach this server under, like "
		    "https://lotse.example.org (http:// or https://, a host, at most 200 of "
		    "a-z A-Z 0-9 . - _ ~ : / [ ])", "public_url");
		return;
	}
	x->c->public_url = arena_strdup(x->c->arena, n->str);
}

static void load_key(struct cfg_ctx *x, const char *k, const struct ynode *kn, const struct ynode *v)
{
	struct config *c = x->c;
	int tmp;
	if (!strcmp(k, "flows")) {
		const char *s = get_path(x, v, k);
		c->flows_dir = s ? s : c->flows_dir;
	} else if (!strcmp(k, "catalogues")) {
		const char *s = get_path(x, v, k);
		c->mo_dir = s ? s : c->mo_dir;
	} else if (!strcmp(k, "ui")) {
		const char *s = get_path(x, v, k);
		c->ui_dir = s ? s : c->ui_dir;
	} else if (!strcmp(k, "fonts")) {
		const char *s = get_path(x, v, k);
		c->fonts_dir = s ? s : c->fonts_dir;
	} else if (!strcmp(k, "idle_timeout")) {
		get_int(x, v, k, 1, 86400, &c->idle_timeout);
	} else if (!strcmp(k, "idle_countdown")) {
		get_int(x, v, k, 20, 3600, &c->idle_countdown);
	} else if (!strcmp(k, "reach_zone")) {
		get_int(x, v, k, 20, 100, &c->reach_zone);
	} else if (!strcmp(k, "po")) {
		const char *s = get_path(x, v, k);
		c->po_dir = s ? s : c->po_dir;
	} else if (!strcmp(k, "staff_session_timeout")) {
		get_int(x, v, k, 1, 86400 * 7, &c->staff_session_timeout);
	} else if (!strcmp(k, "staff_secure_cookie")) {
		if (!ynode_bool(v, &c->staff_secure_cookie))
			bad(x, v, "\"%s\" must be true or false", k);
	} else if (!strcmp(k, "database")) {
		const char *s = get_path(x, v, k);
		c->db_path = s ? s : c->db_path;
	} else if (!strcmp(k, "listen")) {
		load_listen(x, v);
	} else if (!strcmp(k, "limits")) {
		load_limits(x, v);
	} else if (!strcmp(k, "staff")) {
		load_staff(x, v);
	} else if (!strcmp(k, "stats")) {
		load_stats(x, v);
	} else if (!strcmp(k, "origins")) {
		load_origins(x, v);
	} else if (!strcmp(k, "public_socket")) {
		load_public_socket(x, v);
	} else if (!strcmp(k, "public_url")) {
		load_public_url(x, v);
	} else if (!strcmp(k, "take_home_ttl")) {
		get_int(x, v, k, 1, 86400 * 30, &c->take_home_ttl);
	} else if (!strcmp(k, "max_message")) {
		tmp = (int)c->max_message;
		get_int(x, v, k, 256, BUDGET_CLIENT_MESSAGE_MAX, &tmp);   /* util/budget.h */
		c->max_message = (size_t)tmp;
	} else if (!strcmp(k, "max_sessions")) {
		get_int(x, v, k, 1, 1000000, &c->max_sessions);
	} else if (!strcmp(k, "ping_interval")) {
		get_int(x, v, k, 1, 3600, &c->ping_interval);
	} else if (!strcmp(k, "ping_timeout")) {
		get_int(x, v, k, 1, 3600, &c->ping_timeout);
	} else if (!strcmp(k, "resume_key_file")) {
		const char *s = get_path(x, v, k);
		c->resume_key_file = s ? s : c->resume_key_file;
	} else if (!strcmp(k, "resume_window")) {
		get_int(x, v, k, 0, 86400 * 7, &c->resume_window);
	} else if (!strcmp(k, "preview_resume_window")) {
		get_int(x, v, k, 0, 3600, &c->preview_resume_window);
	} else if (!strcmp(k, "preview_per_account")) {
		get_int(x, v, k, 1, 256, &c->preview_per_account);
	} else if (!strcmp(k, "preview_max")) {
		get_int(x, v, k, 1, 256, &c->preview_max);
	} else if (!strcmp(k, "fallback")) {
		load_fallback(x, v);
	} else if (!strcmp(k, "log_level")) {
		const char *s = get_str(x, v, k);
		if (s && strcmp(s, "error") && strcmp(s, "warning") && strcmp(s, "info") && strcmp(s, "debug"))
			bad(x, v, "\"%s\" must be error, warning, info or debug", k);
		else if (s)
			c->log_level = s;
	} else if (!strcmp(k, "event_loop")) {
		const char *s = get_str(x, v, k);
		if (s && strcmp(s, "libev") && strcmp(s, "poll"))
			bad(x, v, "\"%s\" must be libev or poll", k);
		else if (s)
			c->event_loop = s;
	} else {
		bad(x, kn, "unknown key \"%s\" (see docs/operating.md)", k);
	}
}

int config_load(struct config *c, const char *path, struct diag *d)
{
	size_t before = diag_count(d);
	struct ydoc *doc = ydoc_load(path, path, d);
	if (!doc)
		return -1;
	struct cfg_ctx x = {c, path, d};
	c->file = arena_strdup(c->arena, path);
	const struct ynode *root = doc->root;
	if (root && root->kind != YNODE_MAP) {
		diag_add(d, path, root->line, root->col, "the configuration must be a mapping of keys");
	} else if (root) {
		for (size_t i = 0; i < root->npairs; i++)
			load_key(&x, root->pairs[i].key->str, root->pairs[i].key, root->pairs[i].value);
	}
	/* Every kept string was copied into c's arena: the document can go. */
	ydoc_free(doc);
	return diag_count(d) == before ? 0 : -1;
}
