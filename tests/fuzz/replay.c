/* replay.c - runs a fuzz target without libFuzzer (gcc builds, ctest).
 *
 * Feeds every file of the corpus folders given on the command line to
 * LLVMFuzzerTestOneInput, then a fixed number of deterministic mutations of
 * each (bit flips, truncations, duplicated and inserted bytes, splices), so
 * that the sanitizer build exercises each parser on broken input in every
 * test run. A crash or sanitizer report fails the test. With LOTSE_FUZZ the
 * same targets are built for real coverage-guided fuzzing with libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUTATIONS_PER_INPUT 4000
#define REPLAY_MAX_INPUT (1 << 20)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static const char *const tokens[] = {
	"\n", ":", "- ", "{", "}", "[", "]", "&a ", "*a", "\"", "'", "\\", "#", "---\n", "\t",
	"\xc3", "\xff", "\xe2\x80", "%", "%s", "n==1", "?", "(", ")", "\0",
};

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	int rounds = 1 + (int)(rng() % 4);
	for (int r = 0; r < rounds; r++) {
		size_t pos = len ? rng() % len : 0;
		switch (rng() % 6) {
		case 0: /* flip a bit */
			if (len)
				buf[pos] ^= (uint8_t)(1u << (rng() % 8));
			break;
		case 1: /* truncate */
			len = pos;
			break;
		case 2: /* random byte */
			if (len)
				buf[pos] = (uint8_t)rng();
			break;
		case 3: { /* insert a token */
			const char *t = tokens[rng() % (sizeof(tokens) / sizeof(tokens[0]))];
			size_t tl = strlen(t) ? strlen(t) : 1;
			if (len + tl > cap)
				break;
			memmove(buf + pos + tl, buf + pos, len - pos);
			memcpy(buf + pos, t, tl);
			len += tl;
			break;
		}
		case 4: { /* duplicate a chunk */
			size_t n = len - pos < 64 ? len - pos : 64;
			if (len + n > cap)
				break;
			memmove(buf + pos + n, buf + pos, len - pos);
			len += n;
			break;
		}
		default: /* delete a chunk */
			if (len) {
				size_t n = (size_t)(rng() % 16);
				if (n > len - pos)
					n = len - pos;
				memmove(buf + pos, buf + pos + n, len - pos - n);
				len -= n;
			}
		}
	}
	return len;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	uint8_t *orig = malloc(REPLAY_MAX_INPUT), *buf = malloc(REPLAY_MAX_INPUT * 2);
	if (!orig || !buf) {
		fclose(f);
		free(orig);
		free(buf);
		return 0;
	}
	size_t len = fread(orig, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	/* Exact-size copies so ASan sees reads past the end. */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, orig, len);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	for (int i = 0; i < MUTATIONS_PER_INPUT; i++) {
		memcpy(buf, orig, len);
		size_t ml = mutate(buf, len, REPLAY_MAX_INPUT * 2);
		exact = malloc(ml ? ml : 1);
		memcpy(exact, buf, ml);
		LLVMFuzzerTestOneInput(exact, ml);
		free(exact);
	}
	free(orig);
	free(buf);
	return 1;
}

int main(int argc, char **argv)
{
	int files = 0;
	for (int a = 1; a < argc; a++) {
		struct stat st;
		if (stat(argv[a], &st) != 0) {
			fprintf(stderr, "replay: %s: no such corpus\n", argv[a]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			files += run_file(argv[a]);
			continue;
		}
		DIR *d = opendir(argv[a]);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char p[4096];
			snprintf(p, sizeof(p), "%s/%s", argv[a], e->d_name);
			files += run_file(p);
		}
		if (d)
			closedir(d);
	}
	if (files == 0) {
		fprintf(stderr, "replay: empty corpus\n");
		return 1;
	}
	printf("replayed %d inputs with %d mutations each\n", files, MUTATIONS_PER_INPUT);
	return 0;
}
