/* Host unit tests of the agent's container bundles: the image's config.json with a request's args,
 * env and limits, checked against the OCI runtime spec (config.md "process", config-linux.md
 * "Control groups": memory.limit/swap in bytes, pids.limit, cpu.quota microseconds per
 * cpu.period). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "agent.h"

static char dir[64];

static int setup(void **state)
{
	FILE *f;
	char path[128];

	(void)state;
	strcpy(dir, "/tmp/agent-bundle.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config.json", dir);
	f = fopen(path, "w");
	fputs("{\"ociVersion\":\"1.0.2\",\"process\":{\"terminal\":true,\"args\":[\"sh\"],"
	      "\"env\":[\"PATH=/bin\",\"HOME=/root\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"},"
	      "\"hostname\":\"x\",\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}}}",
	      f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_rf(dir);
	return 0;
}

static struct json_object *get(struct json_object *o, const char *path)
{
	char buf[128], *save, *k;

	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, k, &o))
			return NULL;
	return o;
}

static struct json_object *write_and_load(const struct agent_req *r)
{
	char msg[256] = "", path[128];

	assert_int_equal(bundle_write(dir, dir, r, msg, sizeof(msg)), 0);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	return json_object_from_file(path);
}

static void test_limits_and_process(void **state)
{
	struct agent_req r = { 0 };
	struct json_object *c, *env;
	char rootfs[128];

	(void)state;
	strcpy(r.name, "web");
	r.has_args = true;
	r.args[0] = "sleep";
	r.args[1] = "5";
	r.n_args = 2;
	r.env[0] = "HOME=/srv";
	r.env[1] = "MODE=x";
	r.n_env = 2;
	r.mem = 16 << 20;
	r.pids = 5;
	r.cpus_milli = 250;
	c = write_and_load(&r);
	assert_non_null(c);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", dir);
	assert_string_equal(json_object_get_string(get(c, "root.path")), rootfs);
	assert_true(json_object_get_boolean(get(c, "root.readonly")));
	assert_string_equal(json_object_get_string(get(c, "hostname")), "web");
	assert_false(json_object_get_boolean(get(c, "process.terminal")));
	assert_string_equal(json_object_to_json_string_ext(get(c, "process.args"), JSON_C_TO_STRING_PLAIN),
			    "[\"sleep\",\"5\"]");
	env = get(c, "process.env");
	assert_string_equal(json_object_to_json_string_ext(env, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			    "[\"PATH=/bin\",\"HOME=/srv\",\"MODE=x\"]");
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.memory.limit")), 16 << 20);
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.memory.swap")), 16 << 20);
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.pids.limit")), 5);
	/* 250 milli-CPUs: 25 ms of CPU time per 100 ms period */
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.cpu.quota")), 25000);
	assert_int_equal(json_object_get_int64(get(c, "linux.resources.cpu.period")), 100000);
	/* what the image had stays */
	assert_non_null(get(c, "linux.resources.devices"));
	assert_string_equal(json_object_get_string(get(c, "process.cwd")), "/");
	json_object_put(c);
}

static void test_defaults_keep_the_image(void **state)
{
	struct agent_req r = { 0 };
	struct json_object *c;

	(void)state;
	strcpy(r.name, "plain");
	r.tty = true;
	c = write_and_load(&r);
	assert_string_equal(json_object_to_json_string_ext(get(c, "process.args"), JSON_C_TO_STRING_PLAIN),
			    "[\"sh\"]");
	assert_true(json_object_get_boolean(get(c, "process.terminal")));
	assert_null(get(c, "linux.resources.memory"));
	assert_null(get(c, "linux.resources.pids"));
	assert_null(get(c, "linux.resources.cpu"));
	json_object_put(c);
}

static void test_bad_base(void **state)
{
	struct agent_req r = { 0 };
	char msg[256] = "";

	(void)state;
	assert_int_equal(bundle_write("/nonexistent-base", dir, &r, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "does not parse"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_limits_and_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults_keep_the_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_base, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
