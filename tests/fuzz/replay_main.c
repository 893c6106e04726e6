/*
 * replay_main.c - a main() for the fuzz targets without libFuzzer: feed
 * each named file (or, with -l, each line of it) to
 * LLVMFuzzerTestOneInput. make test uses it to run every parser over every
 * real fixture; a crash or an abort() in a target's checks fails the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	size_t len, i, start, inputs = 0;
	uint8_t *buf;
	int a = 1, lines = 0;

	if (a < argc && strcmp(argv[a], "-l") == 0) {
		lines = 1;
		a++;
	}
	for (; a < argc; a++) {
		if ((buf = slurp(argv[a], &len)) == NULL) {
			fprintf(stderr, "%s: cannot read\n", argv[a]);
			return 1;
		}
		if (!lines) {
			LLVMFuzzerTestOneInput(buf, len);
			inputs++;
		} else {
			for (i = 0, start = 0; i <= len; i++) {
				if (i < len && buf[i] != '\n')
					continue;
				if (i > start) {
					LLVMFuzzerTestOneInput(buf + start,
					    i - start);
					inputs++;
				}
				start = i + 1;
			}
		}
		free(buf);
	}
	printf("%zu inputs\n", inputs);
	return 0;
}
