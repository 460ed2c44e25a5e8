/* Fuzz harness of bwrun's image import: index.json, manifests and image config from the input, then a bundle. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "image.h"
#include "sha256.h"
#include "util.h"
#include "validate.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/sandbox.h"

/*
 * The input is index.json, then up to 8 blobs, each after a line "--blob--":
 *   <index.json>\n--blob--\n<blob 1>\n--blob--\n<blob 2>...
 * Blob K is stored under its real sha256, and the text "sha256:@K" in the
 * index or in an earlier blob becomes that digest, so a mutated manifest is
 * still found (the digest check itself is reached with any other digest).
 * Inputs of odd length import the ref name "busybox", even ones the first
 * manifest. Properties: a failed import leaves no rootfs or config.json; a
 * successful one writes a config.json that bwrun's own parser and validator
 * accept; nothing is written beside the layout and the bundle.
 */
#define W "/tmp/i"
#define MARK "\n--blob--\n"
#define BLOBS_MAX 9

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_sandbox(*argc, *argv);
	return 0;
}

struct part {
	char *data;
	size_t len;
	char hex[65];
};

/* Replaces every "sha256:@K" with K in (first, n) by blob K's digest; returns a new buffer. */
static char *substitute(const struct part *p, const struct part *parts, int first, int n, size_t *len)
{
	char *out = xmalloc(p->len * 9 + 1);
	size_t o = 0;

	for (size_t i = 0; i < p->len;) {
		int k = i + 9 <= p->len && !memcmp(p->data + i, "sha256:@", 8) ? p->data[i + 8] - '0' : -1;
		if (k > first && k < n) {
			o += (size_t)sprintf(out + o, "sha256:%s", parts[k].hex);
			i += 9;
		} else {
			out[o++] = p->data[i++];
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

static void put(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);

	FUZZ_CHECK(fd >= 0 && write_all(fd, data, len) == (ssize_t)len);
	close(fd);
}

static int split(const uint8_t *data, size_t size, struct part *parts)
{
	int n = 0;
	size_t at = 0;

	while (n < BLOBS_MAX) {
		const uint8_t *m = memmem(data + at, size - at, MARK, strlen(MARK));
		size_t end = m && n < BLOBS_MAX - 1 ? (size_t)(m - data) : size;
		parts[n].data = xmalloc(end - at + 1);
		memcpy(parts[n].data, data + at, end - at);
		parts[n].len = end - at;
		n++;
		if (end == size)
			break;
		at = end + strlen(MARK);
	}
	return n;
}

static void write_layout(struct part *parts, int n)
{
	FUZZ_CHECK(mkdir(W, 0755) == 0 && mkdir(W "/layout", 0755) == 0 && mkdir(W "/bundle", 0755) == 0);
	FUZZ_CHECK(mkdir(W "/layout/blobs", 0755) == 0 && mkdir(W "/layout/blobs/sha256", 0755) == 0);
	put(W "/layout/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	for (int k = n - 1; k >= 0; k--) {
		size_t len;
		char *text = substitute(&parts[k], parts, k, n, &len), path[128];
		if (k == 0) {
			put(W "/layout/index.json", text, len);
		} else {
			struct sha256 s;
			sha256_init(&s);
			sha256_update(&s, text, len);
			sha256_hex(&s, parts[k].hex);
			snprintf(path, sizeof(path), W "/layout/blobs/sha256/%s", parts[k].hex);
			put(path, text, len);
		}
		free(text);
	}
}

static void check_bundle(int imported)
{
	struct oci_config c;
	struct rt_err e = { 0 };
	char *text = NULL;

	if (!imported) {
		FUZZ_CHECK(!path_exists(W "/bundle/rootfs") && !path_exists(W "/bundle/config.json"));
		return;
	}
	FUZZ_CHECK(read_file(W "/bundle/config.json", &text, NULL, &e) == 0);
	if (config_parse(text, &c, &e) < 0 || config_validate(&c, &e) < 0) {
		fprintf(stderr, "import wrote a config.json that bwrun refuses: %s\n", e.msg);
		FUZZ_CHECK(!"imported config.json is valid");
	}
	config_free(&c);
	free(text);
}

static void only(const char *dir, const char *const *allowed)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	FUZZ_CHECK(d);
	while ((de = readdir(d))) {
		bool ok = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(de->d_name, *a);
		FUZZ_CHECK(ok);
	}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tmp[] = { "i", NULL }, *const w[] = { "layout", "bundle", NULL };
	struct part parts[BLOBS_MAX] = { 0 };
	struct rt_err e = { 0 };
	int n = split(data, size, parts), r;

	rm_rf(W);
	write_layout(parts, n);
	r = image_import(W "/layout", size & 1 ? "busybox" : NULL, W "/bundle", &e);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "import: %s\n", r == 0 ? "ok" : e.msg);
	FUZZ_CHECK(r == 0 || (e.msg[0] && memchr(e.msg, '\0', sizeof(e.msg))));
	check_bundle(r == 0);
	only("/tmp", tmp);
	only(W, w);
	for (int k = 0; k < n; k++)
		free(parts[k].data);
	rm_rf(W);
	return 0;
}
