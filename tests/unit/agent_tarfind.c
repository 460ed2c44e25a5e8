/* Host unit tests of the agent's tar lookup (index.json of an image layout tar) on archives built
 * here by the ustar rules (POSIX.1-2017 pax, "ustar Interchange Format"). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tarfind.h"

static unsigned char tar[16 * 512];
static size_t tar_len;

static ssize_t rd(void *ctx, uint64_t off, void *buf, size_t n)
{
	(void)ctx;
	if (off >= tar_len)
		return 0;
	if (n > tar_len - off)
		n = tar_len - off;
	memcpy(buf, tar + off, n);
	return (ssize_t)n;
}

/* Appends one member: a ustar header (name, optional prefix, octal size, type) and its data. */
static void member(const char *prefix, const char *name, char type, const char *data, const char *size_field)
{
	unsigned char *h = tar + tar_len;
	size_t n = strlen(data);

	memset(h, 0, 512);
	memcpy(h, name, strlen(name));
	if (size_field)
		memcpy(h + 124, size_field, strlen(size_field));
	else {
		char f[24];
		snprintf(f, sizeof(f), "%011o", (unsigned)n);
		memcpy(h + 124, f, 11);
	}
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	if (prefix)
		memcpy(h + 345, prefix, strlen(prefix));
	memcpy(h + 512, data, n);
	tar_len += 512 + (n + 511) / 512 * 512;
}

static int setup(void **state)
{
	(void)state;
	memset(tar, 0, sizeof(tar));
	tar_len = 0;
	return 0;
}

static void end(void)
{
	tar_len += 1024; /* two zero blocks */
}

static void test_found(void **state)
{
	char out[64];

	(void)state;
	member(NULL, "./", '5', "", NULL);
	member(NULL, "./oci-layout", '0', "{\"imageLayoutVersion\":\"1.0.0\"}", NULL);
	member(NULL, "./index.json", '0', "{\"manifests\":[]}", NULL);
	end();
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), 16);
	assert_memory_equal(out, "{\"manifests\":[]}", 16);
	assert_int_equal(tar_find(rd, NULL, "blobs", out, sizeof(out)), -1);
}

static void test_plain_name_and_prefix(void **state)
{
	char out[64];

	(void)state;
	member("deep/dir", "index.json", '0', "other", NULL); /* deep/dir/index.json: not it */
	member(NULL, "index.json", '\0', "old-style", NULL);  /* a NUL type is a regular file */
	end();
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), 9);
	assert_memory_equal(out, "old-style", 9);
}

static void test_not_a_regular_file(void **state)
{
	char out[64];

	(void)state;
	member(NULL, "index.json", '2', "", NULL); /* a symlink */
	end();
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), -1);
}

static void test_bounds(void **state)
{
	char out[8];

	(void)state;
	member(NULL, "index.json", '0', "more than eight", NULL);
	end();
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), -1); /* over max */
}

static void test_malformed(void **state)
{
	char out[64];

	(void)state;
	member(NULL, "a", '0', "x", "12x4");         /* not octal */
	end();
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), -1);
	setup(NULL);
	member(NULL, "a", '0', "x", "77777777777"); /* a size far past the end */
	member(NULL, "index.json", '0', "x", NULL);
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), -1);
	setup(NULL);
	member(NULL, "index.json", '0', "abc", NULL);
	tar_len = 514; /* cut inside the data */
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), -1);
	tar_len = 0; /* empty */
	assert_int_equal(tar_find(rd, NULL, "index.json", out, sizeof(out)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_found, setup),
		cmocka_unit_test_setup(test_plain_name_and_prefix, setup),
		cmocka_unit_test_setup(test_not_a_regular_file, setup),
		cmocka_unit_test_setup(test_bounds, setup),
		cmocka_unit_test_setup(test_malformed, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
