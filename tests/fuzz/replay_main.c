/* Corpus replay: runs a fuzz harness once on every file named (or inside every folder named), without libFuzzer. */
/* SPDX-License-Identifier: MIT */

#define _GNU_SOURCE /* asprintf */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tests/fuzz/fuzz.h"

/* Optional, as in libFuzzer: a harness that needs set-up once defines it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/*
 * Every input is read before the harness's set-up runs: a harness may sandbox itself there
 * (tests/fuzz/sandbox.c), and the corpus must stay readable wherever the tree lies.
 */
struct input {
	char *path;
	uint8_t *buf; /* exactly the input's size, so ASan sees any read past its end */
	size_t len;
};

static struct input *inputs;
static size_t ninputs;

static int load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct input *grown;
	long n;
	uint8_t *buf;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc(n ? (size_t)n : 1);
	grown = realloc(inputs, (ninputs + 1) * sizeof(*inputs));
	if (grown)
		inputs = grown;
	if (!buf || !grown || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	inputs[ninputs++] = (struct input){ strdup(path), buf, (size_t)n };
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly inside `dir`, in name order so a run is reproducible. */
static int load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		char **grown;
		if (e->d_name[0] == '.')
			continue;
		grown = realloc(names, (count + 1) * sizeof(*names));
		if (!grown) {
			rc = -1;
			break;
		}
		names = grown;
		if (asprintf(&names[count], "%s/%s", dir, e->d_name) < 0) {
			rc = -1;
			break;
		}
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), cmp_names);
	for (size_t i = 0; i < count; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = load_file(names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int init_argc = 1;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		int rc;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
			return 2;
		}
		rc = S_ISDIR(st.st_mode) ? load_dir(argv[i]) : load_file(argv[i]);
		if (rc)
			return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&init_argc, &argv);
	for (size_t i = 0; i < ninputs; i++) {
		fprintf(stderr, "replay: %s (%zu bytes)\n", inputs[i].path, inputs[i].len);
		LLVMFuzzerTestOneInput(inputs[i].buf, inputs[i].len);
		free(inputs[i].buf);
		free(inputs[i].path);
	}
	free(inputs);
	printf("replayed %zu inputs\n", ninputs);
	return 0;
}
