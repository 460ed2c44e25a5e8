/* Fuzz harness of bwrun's layer importer (tar reader, whiteouts, extraction) on a rootfs with a lower layer. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "layer.h"
#include "util.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/sandbox.h"

/*
 * Each input is a layer (tar, maybe gzipped) applied with whiteouts onto
 * /tmp/w/rootfs, which holds a small lower layer including symlinks that point
 * out of it. Beside the rootfs lies /tmp/w/outside/canary: whatever the layer
 * holds, nothing may appear in /tmp/w or /tmp/w/outside, and the canary keeps
 * its bytes (the sandbox makes the rest of the machine read-only).
 */
#define W "/tmp/w"
#define CANARY "must not change\n"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_sandbox(*argc, *argv);
	return 0;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);

	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(write_all(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

static void lower_layer(void)
{
	FUZZ_CHECK(mkdir(W, 0755) == 0 && mkdir(W "/outside", 0755) == 0 && mkdir(W "/rootfs", 0755) == 0);
	put(W "/outside/canary", CANARY);
	FUZZ_CHECK(mkdir(W "/rootfs/etc", 0755) == 0 && mkdir(W "/rootfs/dir", 0755) == 0);
	FUZZ_CHECK(mkdir(W "/rootfs/dir/sub", 0755) == 0);
	put(W "/rootfs/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	put(W "/rootfs/dir/sub/file", "lower\n");
	FUZZ_CHECK(symlink(W "/outside", W "/rootfs/abs") == 0);
	FUZZ_CHECK(symlink("../outside", W "/rootfs/rel") == 0);
	FUZZ_CHECK(symlink("../../outside/canary", W "/rootfs/dir/canary") == 0);
}

/* Only the names `allowed` (NULL-terminated) may be in `dir`. */
static void only(const char *dir, const char *const *allowed)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	FUZZ_CHECK(d);
	while ((de = readdir(d))) {
		bool ok = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(de->d_name, *a);
		if (!ok)
			fprintf(stderr, "layer wrote %s/%s outside the rootfs\n", dir, de->d_name);
		FUZZ_CHECK(ok);
	}
	closedir(d);
}

static void check_outside(void)
{
	static const char *const tmp[] = { "w", NULL }, *const w[] = { "outside", "rootfs", "layer", NULL };
	static const char *const outside[] = { "canary", NULL };
	char buf[64] = { 0 };
	int fd = open(W "/outside/canary", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	FUZZ_CHECK(fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1);
	FUZZ_CHECK(read(fd, buf, sizeof(buf) - 1) == (ssize_t)strlen(CANARY) && !strcmp(buf, CANARY));
	FUZZ_CHECK((st.st_mode & 07777) == 0644 && st.st_uid == 0 && st.st_gid == 0);
	close(fd);
	only("/tmp", tmp);
	only(W, w);
	only(W "/outside", outside);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_err e = { 0 };
	int fd;

	rm_rf(W);
	lower_layer();
	fd = open(W "/layer", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0 && write_all(fd, data, size) == (ssize_t)size);
	close(fd);
	if (layer_apply(W "/layer", W "/rootfs", true, &e) < 0)
		FUZZ_CHECK(e.msg[0] != '\0' && memchr(e.msg, '\0', sizeof(e.msg)));
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "layer: %s\n", e.msg[0] ? e.msg : "applied");
	check_outside();
	rm_rf(W);
	return 0;
}
