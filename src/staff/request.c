/* request.c - reading a staff request (see request.h). */
#include <ctype.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "staff/request.h"

const char *staff_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, key);
}

const char *staff_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, name);
}

void staff_hash_hex(const void *data, size_t len, char *out)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), data, len, NULL, 0);
	sodium_bin2hex(out, STAFF_HASH_HEX, h, sizeof(h));
}

bool staff_id_ok(const char *s)
{
	size_t n = 0;
	for (; s && s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return n >= 1 && n <= 64;
}

void staff_res_method(struct req *r, const char *allow)
{
	staff_res_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method",
	                "Diese Methode ist hier nicht erlaubt.");
	staff_res_header(r, MHD_HTTP_HEADER_ALLOW, allow);
}

bool staff_method(struct req *r, const char *a, const char *b)
{
	if (!strcmp(r->method, a) || (b && !strcmp(r->method, b)))
		return true;
	char allow[32];
	/* the router answers HEAD wherever GET is allowed */
	bool head = (!strcmp(a, MHD_HTTP_METHOD_GET) || (b && !strcmp(b, MHD_HTTP_METHOD_GET))) &&
	            !(b && !strcmp(b, MHD_HTTP_METHOD_HEAD));
	snprintf(allow, sizeof(allow), "%s%s%s%s", a, b ? ", " : "", b ? b : "", head ? ", HEAD" : "");
	staff_res_method(r, allow);
	return false;
}

json_t *staff_body_json(struct req *r)
{
	const char *type = staff_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t tl = strlen("application/json");
	if (!type || strncasecmp(type, "application/json", tl) != 0 ||
	    (type[tl] && type[tl] != ';' && type[tl] != ' ')) {
		staff_res_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "media_type",
		                "Erwartet wird Content-Type: application/json.");
		return NULL;
	}
	json_error_t e;
	json_t *o = json_loadb(r->body.data ? r->body.data : "", r->body.len,
	                       JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(o)) {
		json_decref(o);
		staff_res_error(r, MHD_HTTP_BAD_REQUEST, "bad_request",
		                "Die Anfrage ist kein gültiges JSON-Objekt.");
		return NULL;
	}
	return o;
}

/* Hostname of the request's Host header ("[::1]" kept in brackets). */
static void request_host(struct req *r, char *out, size_t n)
{
	const char *h = staff_header(r, MHD_HTTP_HEADER_HOST);
	size_t len = 0;
	if (h && h[0] == '[') {
		const char *e = strchr(h, ']');
		len = e ? (size_t)(e - h) + 1 : 0;
	} else if (h) {
		len = strcspn(h, ":");
	}
	bool ok = len > 0 && len < n;
	for (size_t i = 0; ok && i < len; i++)
		ok = isalnum((unsigned char)h[i]) || strchr(".-[]:", h[i]);
	snprintf(out, n, "%.*s", ok ? (int)len : 9, ok ? h : "127.0.0.1");
}

int staff_kiosk_origin(struct req *r, char *out, size_t n)
{
	struct staff *st = r->st;
	int port = atomic_load(&st->kiosk_port);
	const char *proto = staff_header(r, "X-Forwarded-Proto");
	const char *kh = st->kiosk_host;
	char host[300];
	if (!port)
		return -1;
	if (!strcmp(kh, "0.0.0.0") || !strcmp(kh, "::") || !*kh)
		request_host(r, host, sizeof(host));
	else
		snprintf(host, sizeof(host), strchr(kh, ':') ? "[%s]" : "%s", kh);
	snprintf(out, n, "%s://%s:%d", proto && !strcasecmp(proto, "https") ? "https" : "http", host,
	         port);
	return 0;
}
