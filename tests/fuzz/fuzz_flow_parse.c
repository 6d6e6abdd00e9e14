/* fuzz_flow_parse.c - fuzz target for flow_parse and, when a flow comes
 * back, flows_check_graph: no crash, hang or leak on any input. */
#include <stdint.h>
#include <stddef.h>

#include "flow/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_parse("fuzz.yaml", (const char *)data, size, &d);
	if (f) {
		flows_check_graph(&f, 1, f->id, &d);
		(void)flow_node(f, f->start);
	}
	flow_free(f);
	diag_free(&d);
	return 0;
}
