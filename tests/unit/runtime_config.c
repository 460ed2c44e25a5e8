/* Unit tests: config.json decoding and validation, mount option parsing. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/mount.h>
#include <sched.h>
#include <cmocka.h>

#include "config.h"
#include "mounts.h"
#include "validate.h"

#define BASE "\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
#define NS "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"uts\"}]}"

static int parse_validate(const char *json, struct rt_err *e)
{
	struct oci_config c;
	int r = config_parse(json, &c, e);

	if (r == 0)
		r = config_validate(&c, e);
	config_free(&c);
	return r;
}

static void expect_error(const char *json, const char *needle)
{
	struct rt_err e = { 0 };

	assert_int_equal(parse_validate(json, &e), -1);
	if (!strstr(e.msg, needle))
		fail_msg("error \"%s\" does not name \"%s\"", e.msg, needle);
}

static void test_full_config(void **state)
{
	const char *json = "{" BASE
		"\"hostname\":\"h\",\"process\":{\"args\":[\"sh\",\"-c\",\"x\"],\"cwd\":\"/tmp\","
		"\"env\":[\"A=1\"],\"user\":{\"uid\":5,\"gid\":6,\"additionalGids\":[7,8]},"
		"\"noNewPrivileges\":true,\"oomScoreAdj\":-5,"
		"\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_CHOWN\"],\"effective\":[\"CAP_KILL\"],"
		"\"permitted\":[\"CAP_KILL\"]},"
		"\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":20}]},"
		"\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\",\"options\":[\"nosuid\"]}],"
		"\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\",\"timeout\":3}]},"
		"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"},"
		"{\"type\":\"mount\"},{\"type\":\"uts\"}],"
		"\"resources\":{\"memory\":{\"limit\":1048576},\"cpu\":{\"quota\":50000,\"period\":100000},"
		"\"pids\":{\"limit\":32}},\"cgroupsPath\":\"/x/y\",\"maskedPaths\":[\"/proc/kcore\"]}}";
	struct oci_config c;
	struct rt_err e = { 0 };

	(void)state;
	assert_int_equal(config_parse(json, &c, &e), 0);
	assert_int_equal(config_validate(&c, &e), 0);
	assert_string_equal(c.process.args[2], "x");
	assert_int_equal(c.process.uid, 5);
	assert_int_equal(c.process.n_gids, 2);
	assert_int_equal(c.process.gids[1], 8);
	assert_true(c.process.no_new_privileges);
	assert_int_equal(c.process.oom_score_adj, -5);
	assert_int_equal(c.process.caps.bounding, (1ULL << 5) | 1ULL);
	assert_int_equal(c.process.rlimits[0].hard, 20);
	assert_int_equal(c.n_mounts, 1);
	assert_string_equal(c.mounts[0].options[0], "nosuid");
	assert_int_equal(c.n_hooks[HOOK_POSTSTOP], 1);
	assert_int_equal(c.hooks[HOOK_POSTSTOP][0].timeout, 3);
	assert_string_equal(config_namespace(&c, CLONE_NEWNET)->path, "/proc/1/ns/net");
	assert_int_equal(c.resources.memory_limit, 1048576);
	assert_int_equal(c.resources.cpu_quota, 50000);
	assert_int_equal(c.resources.pids_limit, 32);
	assert_int_equal(c.resources.cpu_shares, -1);
	assert_string_equal(c.cgroups_path, "/x/y");
	config_free(&c);
}

static void test_type_errors_name_the_field(void **state)
{
	(void)state;
	expect_error("{" BASE "\"process\":{\"args\":\"sh\"}," NS "}", "process.args");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\",3]}," NS "}", "process.args[1]");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"],\"user\":{\"uid\":-1}}," NS "}",
		     "process.user.uid");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"],\"capabilities\":{\"bounding\":[\"CAP_NOPE\"]}}," NS "}",
		     "process.capabilities.bounding[0]");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_X\",\"soft\":1,\"hard\":1}]}," NS "}",
		     "process.rlimits[0].type");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[{\"type\":\"nope\"}]}}",
		     "linux.namespaces[0].type");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"mounts\":[{\"destination\":5}]," NS "}",
		     "mounts[0].destination");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"hooks\":{\"prestart\":[{}]}," NS "}",
		     "hooks.prestart[0].path");
	expect_error("{\"ociVersion\":", "config.json");
	expect_error("[1]", "top level");
}

static void test_semantic_errors(void **state)
{
	(void)state;
	expect_error("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"sh\"]}}", "ociVersion");
	expect_error("{\"ociVersion\":\"2.0.0\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"sh\"]}}", "ociVersion");
	expect_error("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]}}", "root.path");
	expect_error("{" BASE "\"process\":{\"args\":[]}," NS "}", "process.args");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"],\"cwd\":\"tmp\"}," NS "}", "process.cwd");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"],\"env\":[\"NOEQUALS\"]}," NS "}", "process.env[0]");
	expect_error("{" BASE "\"hostname\":\"h\",\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		     "uts namespace");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}}",
		     "listed twice");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[{\"type\":\"user\"}]}}",
		     "uidMappings");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"mounts\":[{\"destination\":\"proc\"}]," NS "}",
		     "mounts[0].destination");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"memory\":{\"limit\":10}}}}",
		     "memory.limit");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"pids\":{\"limit\":0}}}}",
		     "pids.limit");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"cgroupsPath\":\"a/../../b\"}}", "cgroupsPath");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"cgroupsPath\":\"system.slice:bw:x\"}}", "systemd");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"devices\":[{\"path\":\"dev/x\",\"type\":\"c\"}]}}",
		     "linux.devices[0].path");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"q\"}]}}",
		     "linux.devices[0].type");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"fileMode\":65535}]}}",
		     "fileMode");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}}}",
		     "linux.resources.devices[0].access");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"devices\":[{\"access\":\"r\"}]}}}",
		     "linux.resources.devices[0].allow");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"blockIO\":{\"weight\":5}}}}",
		     "blockIO.weight");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":1}]}}}}",
		     "throttleReadBpsDevice[0].minor");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"hugepageLimits\":[{\"pageSize\":\"2M\",\"limit\":1}]}}}",
		     "hugepageLimits[0].pageSize");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"unified\":{\"../x\":\"1\"}}}}",
		     "unified");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"unified\":{\"memory.high\":5}}}}",
		     "unified.memory.high");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"maskedPaths\":[\"/proc/kcore\"],\"namespaces\":[{\"type\":\"pid\"}]}}",
		     "mount namespace");
	expect_error("{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{\"rootfsPropagation\":\"weird\"}}",
		     "rootfsPropagation");
}

/* What runc and crun accept: their `spec` capabilities (no inheritable, ambient listed),
 * a relative cgroupsPath, no mount namespace. */
static void test_runc_configs_accepted(void **state)
{
	struct rt_err e = { 0 };

	(void)state;
	assert_int_equal(parse_validate("{" BASE "\"process\":{\"args\":[\"sh\"],\"capabilities\":{"
					"\"bounding\":[\"CAP_KILL\"],\"permitted\":[\"CAP_KILL\"],"
					"\"ambient\":[\"CAP_KILL\"]}}," NS "}", &e), 0);
	assert_int_equal(parse_validate("{" BASE "\"process\":{\"args\":[\"sh\"],\"capabilities\":{"
					"\"inheritable\":[],\"ambient\":[\"CAP_KILL\"]}}," NS "}", &e), 0);
	assert_int_equal(parse_validate("{" BASE "\"process\":{\"args\":[\"sh\"]},"
					"\"linux\":{\"cgroupsPath\":\"rel/c\"}}", &e), 0);
	assert_int_equal(parse_validate("{" BASE "\"process\":{\"args\":[\"sh\"]},"
					"\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}", &e), 0);
}

/* config-linux.md: devices, and the resources beyond memory, cpu and pids. */
static void test_devices_and_resources(void **state)
{
	const char *json = "{" BASE "\"process\":{\"args\":[\"sh\"]},\"linux\":{"
		"\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229,"
		"\"fileMode\":438,\"uid\":1,\"gid\":2},{\"path\":\"/dev/p\",\"type\":\"p\"}],"
		"\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
		"{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rw\"},"
		"{\"allow\":true,\"type\":\"b\",\"major\":8,\"access\":\"m\"}],"
		"\"cpu\":{\"cpus\":\"0-1\",\"mems\":\"0\"},"
		"\"blockIO\":{\"weight\":500,\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":20}],"
		"\"throttleReadBpsDevice\":[{\"major\":1,\"minor\":0,\"rate\":1048576}],"
		"\"throttleWriteIOPSDevice\":[{\"major\":1,\"minor\":0,\"rate\":100}]},"
		"\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":4194304}],"
		"\"unified\":{\"memory.high\":\"50000000\"}}}}";
	struct oci_config c;
	struct rt_err e = { 0 };
	const struct oci_resources *r = &c.resources;

	(void)state;
	assert_int_equal(config_parse(json, &c, &e), 0);
	assert_int_equal(config_validate(&c, &e), 0);
	assert_int_equal(c.n_devices, 2);
	assert_string_equal(c.devices[0].path, "/dev/fuse");
	assert_int_equal(c.devices[0].type, 'c');
	assert_int_equal(c.devices[0].major, 10);
	assert_int_equal(c.devices[0].minor, 229);
	assert_int_equal(c.devices[0].mode, 0666);
	assert_int_equal(c.devices[0].gid, 2);
	assert_int_equal(c.devices[1].mode, 0666); /* runc's default */
	assert_true(r->has_devices);
	assert_int_equal(r->n_dev_rules, 3);
	assert_false(r->dev_rules[0].allow);
	assert_int_equal(r->dev_rules[0].type, 'a');
	assert_int_equal(r->dev_rules[0].major, -1);
	assert_int_equal(r->dev_rules[0].access, 7);
	/* BPF_DEVCG_ACC_MKNOD 1, READ 2, WRITE 4 (include/uapi/linux/bpf.h) */
	assert_int_equal(r->dev_rules[1].access, 2 | 4);
	assert_int_equal(r->dev_rules[2].minor, -1);
	assert_int_equal(r->dev_rules[2].access, 1);
	assert_string_equal(r->cpuset_cpus, "0-1");
	assert_string_equal(r->cpuset_mems, "0");
	assert_int_equal(r->blkio_weight, 500);
	assert_int_equal(r->blkio_weights[0].value, 20);
	assert_int_equal(r->throttle[THR_READ_BPS][0].value, 1048576);
	assert_int_equal(r->throttle[THR_WRITE_IOPS][0].value, 100);
	assert_int_equal(r->n_throttle[THR_WRITE_BPS], 0);
	assert_string_equal(r->hugepages[0].page_size, "2MB");
	assert_int_equal(r->hugepages[0].limit, 4194304);
	assert_non_null(r->unified);
	config_free(&c);
}

static void test_ids(void **state)
{
	struct rt_err e;

	(void)state;
	assert_int_equal(validate_id("web-1.a_b", &e), 0);
	assert_int_equal(validate_id("", &e), -1);
	assert_int_equal(validate_id("../etc", &e), -1);
	assert_int_equal(validate_id("a/b", &e), -1);
	assert_int_equal(validate_id("-x", &e), -1);
}

static void test_mount_options(void **state)
{
	char *opts[] = { "nosuid", "ro", "rbind", "rslave", "mode=755", "size=64k", "rw", NULL };
	struct mount_opts o;
	struct rt_err e;

	(void)state;
	assert_int_equal(mount_parse_options(opts, &o, &e), 0);
	assert_true(o.flags & MS_NOSUID);
	assert_true(o.flags & MS_BIND);
	assert_true(o.flags & MS_REC);
	assert_false(o.flags & MS_RDONLY); /* "rw" came last */
	assert_int_equal(o.propagation, MS_SLAVE | MS_REC);
	assert_string_equal(o.data, "mode=755,size=64k");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_config),
		cmocka_unit_test(test_type_errors_name_the_field),
		cmocka_unit_test(test_semantic_errors),
		cmocka_unit_test(test_runc_configs_accepted),
		cmocka_unit_test(test_devices_and_resources),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_mount_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
