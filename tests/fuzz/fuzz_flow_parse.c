/* fuzz_flow_parse.c - fuzz target for flow_parse and, when a flow comes
 * back, flows_check_graph: no crash, hang or leak on any input; every icon of
 * an accepted flow is a name of the pictogram table (its own string), and the
 * name suggested for any string is a known one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "flow/pictogram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken property: says which, then aborts (the input is kept by libFuzzer). */
static void broken(const char *what, const char *name)
{
	fprintf(stderr, "fuzz_flow_parse: %s: \"%s\"\n", what, name ? name : "(null)");
	abort();
}

static void check_icons(const struct flow *f)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		for (size_t j = 0; j < f->nodes[i].nchoices; j++) {
			const char *icon = f->nodes[i].choices[j].icon;
			const struct pictogram *p = pictogram_find(icon);
			if (icon && (!p || p->name != icon))
				broken("an accepted icon is not the table's name", icon);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	diag_init(&d);
	struct flow *f = flow_parse("fuzz.yaml", (const char *)data, size, &d);
	if (f) {
		flows_check_graph(&f, 1, f->id, &d);
		(void)flow_node(f, f->start);
		check_icons(f);
	}
	flow_free(f);
	diag_free(&d);
	/* the first line of the input as a name: a suggestion is always a known name */
	char name[80];
	size_t n = 0;
	while (n < size && n < sizeof(name) - 1 && data[n] != '\n' && data[n] != '\0') {
		name[n] = (char)data[n];
		n++;
	}
	name[n] = '\0';
	const char *near = pictogram_suggest(name);
	if (near && !pictogram_find(near))
		broken("a suggestion that is no name", near);
	if (pictogram_find(name) && pictogram_suggest(name) && strcmp(pictogram_suggest(name), name))
		broken("a known name suggests another", name);
	return 0;
}
