/* Unit tests: layer member paths, whiteouts and the image config → process mapping. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <zlib.h>

#include "image.h"
#include "sha256.h"
#include "tar.h"
#include "whiteout.h"

static void expect_clean(const char *in, const char *want)
{
	char out[256];

	assert_int_equal(layer_path_clean(in, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_clean(void **state)
{
	char out[256];

	(void)state;
	expect_clean("./etc/passwd", "etc/passwd");
	expect_clean("/etc//passwd", "etc/passwd");
	expect_clean("etc/./x/", "etc/x");
	expect_clean("./", "");
	expect_clean(".", "");
	expect_clean("a..b/c", "a..b/c");
	assert_int_equal(layer_path_clean("../etc", out, sizeof(out)), -1);
	assert_int_equal(layer_path_clean("etc/../../x", out, sizeof(out)), -1);
	assert_int_equal(layer_path_clean("a/..", out, sizeof(out)), -1);
	assert_int_equal(layer_path_clean("abcdef", out, 4), -1);
}

static void test_classify(void **state)
{
	char t[256];

	(void)state;
	assert_int_equal(whiteout_classify("etc/.wh.group", t, sizeof(t)), WH_FILE);
	assert_string_equal(t, "etc/group");
	assert_int_equal(whiteout_classify(".wh.top", t, sizeof(t)), WH_FILE);
	assert_string_equal(t, "top");
	assert_int_equal(whiteout_classify("opq/.wh..wh..opq", t, sizeof(t)), WH_OPAQUE);
	assert_string_equal(t, "opq");
	assert_int_equal(whiteout_classify(".wh..wh..opq", t, sizeof(t)), WH_OPAQUE);
	assert_string_equal(t, "");
	assert_int_equal(whiteout_classify("etc/passwd", t, sizeof(t)), WH_NONE);
	assert_int_equal(whiteout_classify("etc/x.wh.y", t, sizeof(t)), WH_NONE);
	assert_int_equal(whiteout_classify("etc/.wh.", t, sizeof(t)), WH_NONE);
	assert_int_equal(whiteout_classify("etc/.wh...", t, sizeof(t)), WH_NONE);
}

static void test_digest(void **state)
{
	(void)state;
	assert_true(image_digest_valid("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_false(image_digest_valid("sha256:0123"));
	assert_false(image_digest_valid("sha256:../../../../etc/passwd0123456789abcdef0123456789abcdef0123456"));
	assert_false(image_digest_valid("md5:0123456789abcdef0123456789abcdef"));
	assert_false(image_digest_valid("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
}

static void test_image_config(void **state)
{
	struct json_object *spec = json_tokener_parse("{\"process\":{}}");
	struct json_object *cfg = json_tokener_parse(
		"{\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"--x\"],\"Env\":[\"A=1\"],"
		"\"WorkingDir\":\"/srv\",\"User\":\"7:8\"}");
	struct json_object *p;
	struct rt_err e;

	(void)state;
	assert_int_equal(image_apply_config(spec, cfg, "/nonexistent", &e), 0);
	p = json_object_object_get(spec, "process");
	assert_string_equal(json_object_to_json_string_ext(json_object_object_get(p, "args"),
							   JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			    "[\"/bin/app\",\"--x\"]");
	assert_int_equal(json_object_array_length(json_object_object_get(p, "env")), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(p, "cwd")), "/srv");
	assert_int_equal(json_object_get_int(json_object_object_get(json_object_object_get(p, "user"), "gid")), 8);
	json_object_put(cfg);
	cfg = json_tokener_parse("{\"User\":\"nobody\"}");
	assert_int_equal(image_apply_config(spec, cfg, "/nonexistent", &e), -1);
	assert_non_null(strstr(e.msg, "nobody"));
	json_object_put(cfg);
	json_object_put(spec);
}

/* image-spec config.md: Env, Entrypoint and Cmd are arrays of strings; anything else is refused by name. */
static void test_image_config_types(void **state)
{
	static const struct {
		const char *cfg, *msg;
	} bad[] = {
		{ "{\"Env\":[\"A=1\",null]}", "config.Env[1] is not a string" },
		{ "{\"Env\":[5]}", "config.Env[0] is not a string" },
		{ "{\"Cmd\":[\"sh\",[\"x\"]]}", "config.Cmd[1] is not a string" },
		{ "{\"Entrypoint\":\"sh\"}", "config.Entrypoint is not an array" },
		/* runtime-spec config.md: cwd absolute, env NAME=VALUE, args[0] the program. */
		{ "{\"WorkingDir\":\"relative\"}", "config.WorkingDir \"relative\" is not an absolute path" },
		{ "{\"Env\":[\"A=1\",\"NOEQUALS\"]}", "config.Env[1] \"NOEQUALS\" is not NAME=VALUE" },
		{ "{\"Env\":[\"=v\"]}", "config.Env[0] \"=v\" is not NAME=VALUE" },
		{ "{\"Entrypoint\":[],\"Cmd\":[\"\",\"x\"]}", "config.Cmd[0] is empty" },
		{ "{\"Entrypoint\":[\"\"],\"Cmd\":[\"sh\"]}", "config.Entrypoint[0] is empty" },
		{ "{\"User\":\"4294967296\"}", "uid or gid outside 0-4294967295" },
		{ "{\"User\":\"0:99999999999\"}", "uid or gid outside 0-4294967295" },
	};
	struct rt_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_object *spec = json_tokener_parse("{\"process\":{}}");
		struct json_object *cfg = json_tokener_parse(bad[i].cfg);

		e.msg[0] = '\0';
		assert_int_equal(image_apply_config(spec, cfg, "/nonexistent", &e), -1);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].cfg, e.msg, bad[i].msg);
		json_object_put(cfg);
		json_object_put(spec);
	}
	/* null is how Docker writes an absent Cmd or Entrypoint. */
	{
		struct json_object *spec = json_tokener_parse("{\"process\":{}}");
		struct json_object *cfg = json_tokener_parse("{\"Cmd\":null,\"Entrypoint\":null}");

		assert_int_equal(image_apply_config(spec, cfg, "/nonexistent", &e), 0);
		json_object_put(cfg);
		json_object_put(spec);
	}
}

static void test_sha256(void **state)
{
	struct sha256 s;
	char hex[65];
	char million[1000];

	(void)state;
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_hex(&s, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_init(&s);
	sha256_hex(&s, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	memset(million, 'a', sizeof(million));
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, million, sizeof(million));
	sha256_hex(&s, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Stores `data` as a blob of the layout in `dir` and writes its digest into `digest`. */
static void put_blob(const char *dir, const void *data, size_t len, char digest[72])
{
	struct sha256 s;
	char hex[65], path[512];
	struct rt_err e;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_hex(&s, hex);
	snprintf(digest, 72, "sha256:%s", hex);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, hex);
	assert_int_equal(write_file(path, data, len, &e), 0);
}

/* A ustar archive (POSIX.1-2001 pax, ustar header) holding the regular file `name`. */
static size_t one_file_tar(char *tar, const char *name, const char *text)
{
	unsigned sum = 0;

	memset(tar, 0, 2048);
	snprintf(tar, 100, "%s", name);
	snprintf(tar + 100, 8, "%07o", 0644);
	snprintf(tar + 108, 8, "%07o", 0);
	snprintf(tar + 116, 8, "%07o", 0);
	snprintf(tar + 124, 12, "%011o", (unsigned)strlen(text));
	snprintf(tar + 136, 12, "%011o", 0);
	tar[156] = '0';
	memcpy(tar + 257, "ustar\0" "00", 8);
	memset(tar + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += (unsigned char)tar[i];
	snprintf(tar + 148, 8, "%06o", sum);
	memcpy(tar + 512, text, strlen(text));
	return 2048; /* header, one data block, two zero blocks */
}

/*
 * index.json -> a nested image index -> manifest -> config and one layer
 * (image-spec image-index.md: an index may point at another index). The
 * nested index's media type used to be read after its JSON was freed: a
 * use-after-free that AddressSanitizer reports, and that otherwise took the
 * index for a manifest whenever the freed bytes had been reused.
 */
static void test_import_nested_index(void **state)
{
	char dir[] = "/tmp/bwrun-unit-XXXXXX", path[512], cfg_d[72], layer_d[72], man_d[72], idx_d[72];
	char tar[2048], json[1024];
	struct rt_err e;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/layout/blobs/sha256", dir);
	assert_int_equal(mkdir_p(path, 0755, &e), 0);
	snprintf(path, sizeof(path), "%s/layout", dir);
	n = one_file_tar(tar, "hello", "hi\n");
	put_blob(path, tar, n, layer_d);
	snprintf(json, sizeof(json), "{\"config\":{\"Cmd\":[\"sh\"]}}");
	put_blob(path, json, strlen(json), cfg_d);
	snprintf(json, sizeof(json), "{\"schemaVersion\":2,\"config\":{\"digest\":\"%s\"},\"layers\":"
		 "[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\"}]}", cfg_d, layer_d);
	put_blob(path, json, strlen(json), man_d);
	snprintf(json, sizeof(json), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
		 "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\"}]}", man_d);
	put_blob(path, json, strlen(json), idx_d);
	snprintf(json, sizeof(json), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
		 "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"%s\"}]}", idx_d);
	snprintf(path, sizeof(path), "%s/layout/index.json", dir);
	assert_int_equal(write_file(path, json, strlen(json), &e), 0);

	snprintf(path, sizeof(path), "%s/layout", dir);
	snprintf(json, sizeof(json), "%s/bundle", dir);
	if (image_import(path, NULL, json, &e) < 0)
		fail_msg("import of a nested index failed: %s", e.msg);
	snprintf(path, sizeof(path), "%s/bundle/rootfs/hello", dir);
	assert_true(path_exists(path));
	snprintf(path, sizeof(path), "%s/bundle/config.json", dir);
	assert_true(path_exists(path));
	rm_rf(dir);
}

/* An index.json that is JSON but not an object (image-layout.md wants an image index object). */
static void test_import_index_not_object(void **state)
{
	static const char *const texts[] = { "0", "[]", "\"index\"", "null", "{\"manifests\":7}" };
	char dir[] = "/tmp/bwrun-unit-XXXXXX", path[512], bundle[512];
	struct rt_err e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/layout", dir);
	assert_int_equal(mkdir_p(path, 0755, &e), 0);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		snprintf(path, sizeof(path), "%s/layout/index.json", dir);
		assert_int_equal(write_file(path, texts[i], strlen(texts[i]), &e), 0);
		snprintf(path, sizeof(path), "%s/layout", dir);
		snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
		e.msg[0] = '\0';
		assert_int_equal(image_import(path, NULL, bundle, &e), -1);
		if (!strstr(e.msg, i < 4 ? "not a JSON object" : "no manifests"))
			fail_msg("index.json %s: got \"%s\"", texts[i], e.msg);
		snprintf(path, sizeof(path), "%s/bundle/rootfs", dir);
		assert_false(path_exists(path));
	}
	rm_rf(dir);
}

/* How many entries tar_next() gives for the archive `data`, and whether it ends in an error. */
static int tar_walk(const char *dir, const void *data, size_t len, int gz, int *entries, struct rt_err *e)
{
	char path[512];
	struct tar_entry ent;
	struct tar_reader *t;
	int r;

	snprintf(path, sizeof(path), "%s/a.tar", dir);
	if (gz) {
		gzFile g = gzopen(path, "wb9");
		assert_non_null(g);
		assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
		assert_int_equal(gzclose(g), Z_OK);
	} else {
		assert_int_equal(write_file(path, data, len, e), 0);
	}
	t = tar_open(path, e);
	assert_non_null(t);
	*entries = 0;
	while ((r = tar_next(t, &ent, e)) > 0)
		(*entries)++;
	tar_close(t);
	return r;
}

/*
 * POSIX.1-2001 ustar: an archive is 512-byte blocks. One that stops at a block
 * boundary without the two zero blocks is accepted as it always was; one that
 * stops inside a header, or whose gzip stream is cut off, is an error, not a
 * shorter layer.
 */
static void test_tar_truncated(void **state)
{
	char dir[] = "/tmp/bwrun-unit-XXXXXX", tar[4096], path[512];
	struct rt_err e;
	struct stat st;
	int entries;

	(void)state;
	assert_non_null(mkdtemp(dir));
	one_file_tar(tar, "one", "1\n");
	one_file_tar(tar + 1024, "two", "2\n"); /* one, two, two zero blocks */
	assert_int_equal(tar_walk(dir, tar, 3072, 0, &entries, &e), 0);
	assert_int_equal(entries, 2);
	assert_int_equal(tar_walk(dir, tar, 2048, 0, &entries, &e), 0); /* no zero blocks */
	assert_int_equal(entries, 2);
	e.msg[0] = '\0';
	assert_int_equal(tar_walk(dir, tar, 1024 + 100, 0, &entries, &e), -1); /* inside "two"'s header */
	assert_int_equal(entries, 1);
	assert_non_null(strstr(e.msg, "truncated"));

	assert_int_equal(tar_walk(dir, tar, 3072, 1, &entries, &e), 0);
	assert_int_equal(entries, 2);
	snprintf(path, sizeof(path), "%s/a.tar", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, st.st_size / 2), 0);
	{
		struct tar_reader *t = tar_open(path, &e);
		struct tar_entry ent;
		int r;

		assert_non_null(t);
		e.msg[0] = '\0';
		while ((r = tar_next(t, &ent, &e)) > 0)
			;
		tar_close(t);
		assert_int_equal(r, -1); /* a cut gzip stream is not a clean end */
		assert_non_null(strstr(e.msg, "truncated"));
	}
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_image_config),
		cmocka_unit_test(test_image_config_types),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_import_nested_index),
		cmocka_unit_test(test_import_index_not_object),
		cmocka_unit_test(test_tar_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
