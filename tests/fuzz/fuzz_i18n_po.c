/* fuzz_i18n_po.c - fuzz target for the PO reader (po_parse). */
#include <stdint.h>

#include "i18n/po.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct po_file *p = po_parse("fuzz.po", (const char *)data, size, &d);
	if (p && p->n)
		po_find(p, p->entries[0].ctx, p->entries[0].msgid);
	po_free(p);
	diag_free(&d);
	return 0;
}
