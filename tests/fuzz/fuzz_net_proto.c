/* fuzz_net_proto.c - feeds arbitrary bytes to the protocol parser
 * (proto_parse) and renders whatever it accepted back into frames, so
 * both directions of src/net/proto.c run on hostile input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_msg m;
	char detail[160];
	enum proto_err e = proto_parse((const char *)data, size, &m, detail, sizeof(detail));
	if (e != PROTO_E_NONE) {
		free(proto_render_error(e, detail, 16));
		return 0;
	}
	/* Echo every string field through the renderers. */
	const char *s = m.text ? m.text : m.choice ? m.choice : m.lang ? m.lang : "";
	const char *langs[] = {m.lang ? m.lang : "de", s};
	const char *names[] = {NULL, s};
	struct proto_tenant t = {m.tenant ? m.tenant : "t", s, langs[0], true, langs, names, 2};
	free(proto_render_tenants(&t, 1, 16));
	free(proto_render_answer(s, m.token, NULL, 0, 16));
	free(proto_render_error(PROTO_E_UNKNOWN_CHOICE, s, 0));
	proto_msg_free(&m);
	return 0;
}
