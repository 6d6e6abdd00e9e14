/* fuzz_flow_offers.c - fuzz target for offers_parse: no crash, hang or leak
 * on any input. */
#include <stdint.h>
#include <stddef.h>

#include "flow/tenant.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct offer_list *l = offers_parse("fuzz.yaml", (const char *)data, size, &d);
	offer_list_free(l);
	diag_free(&d);
	return 0;
}
