/* fuzz_yaml_parse.c - fuzz target for ydoc_parse: any bytes must give either
 * a document or positioned errors, never a crash, hang or leak. */
#include <stdint.h>
#include <stddef.h>

#include "yaml/ydoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walks the tree so every node the parser built is read at least once. */
static size_t walk(const struct ynode *n, int depth)
{
	size_t count = 1;
	if (!n || depth > YDOC_MAX_DEPTH + 1)
		return 0;
	if (n->kind == YNODE_SCALAR) {
		long v;
		bool b;
		count += n->len + (size_t)ynode_int(n, -1000, 1000, &v) + (size_t)ynode_bool(n, &b);
	}
	for (size_t i = 0; n->kind == YNODE_MAP && i < n->npairs; i++)
		count += walk(n->pairs[i].key, depth + 1) + walk(n->pairs[i].value, depth + 1);
	for (size_t i = 0; n->kind == YNODE_SEQ && i < n->nitems; i++)
		count += walk(n->items[i], depth + 1);
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct ydoc *doc = ydoc_parse("fuzz.yaml", (const char *)data, size, &d);
	if (doc) {
		volatile size_t n = walk(doc->root, 0);
		(void)n;
		(void)ynode_get(doc->root, "flow");
	}
	ydoc_free(doc);
	diag_free(&d);
	return 0;
}
