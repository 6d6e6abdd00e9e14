/* fuzz_net_jsonw.c - arbitrary bytes through the direct JSON writer
 * (src/net/jsonw.c) as one string value, read back with jansson: valid
 * UTF-8 must come back unchanged and match jansson's own bytes, anything
 * else must be "". Aborts on a mismatch. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/jsonw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';   /* a C string: up to the first NUL */
	struct jsonw w;
	size_t len = 0;
	jsonw_init(&w, 8, 16);
	jsonw_arr_open(&w);
	jsonw_str(&w, in);
	jsonw_arr_close(&w);
	char *out = jsonw_finish(&w, &len);
	if (!out)
		abort();
	json_t *ref = json_string(in);   /* NULL: not valid UTF-8 */
	json_t *got = json_loadb(out + 8, len, 0, NULL);
	json_t *s = json_array_get(got, 0);
	if (!got || !json_is_string(s) || strcmp(json_string_value(s), ref ? in : "") != 0)
		abort();
	if (ref) {
		json_t *arr = json_pack("[O]", ref);
		char *dump = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
		if (!dump || strcmp(dump, out + 8) != 0)
			abort();
		free(dump);
		json_decref(arr);
	}
	json_decref(ref);
	json_decref(got);
	free(out);
	free(in);
	return 0;
}
