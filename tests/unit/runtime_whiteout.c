/* Unit tests: layer member paths, whiteouts and the image config → process mapping. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "image.h"
#include "sha256.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_image_config),
		cmocka_unit_test(test_sha256),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
