/* Command update: new cgroup limits for a running container, as runc's update takes them. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cgroup.h"
#include "commands.h"
#include "container.h"
#include "validate.h"

struct update_flag {
	const char *name;
	int64_t *dst;
};

static int read_resources(const char *path, struct oci_resources *r, struct json_object **j,
			  struct rt_err *e)
{
	cleanup_free char *text = NULL;
	enum json_tokener_error jerr;

	if (!strcmp(path, "-")) {
		if (read_file("/dev/stdin", &text, NULL, e) < 0)
			return -1;
	} else if (read_file(path, &text, NULL, e) < 0) {
		return -1;
	}
	*j = json_tokener_parse_verbose(text, &jerr);
	if (!*j)
		return rt_fail(e, 0, "--resources %s: %s", path, json_tokener_error_desc(jerr));
	return config_parse_resources(*j, "linux.resources", r, e);
}

static int parse_number(const char *opt, const char *s, int64_t *out, struct rt_err *e)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return rt_fail(e, 0, "--%s: \"%s\" is not a number", opt, s);
	return 0;
}

static int update_container(const char *root, const char *id, struct oci_resources *r,
			    struct rt_err *e)
{
	struct ct_state st;
	int ret = -1;

	if (container_load(root, id, &st, NULL, e) < 0)
		return -1;
	if (state_status(root, &st) == ST_STOPPED)
		rt_fail(e, 0, "container %s is stopped: nothing to update", id);
	else if (!st.cgroup || !st.cgroup[0])
		rt_fail(e, 0, "container %s has no cgroup", id);
	else
		ret = cgroup_update(st.cgroup, r, e);
	state_free(&st);
	return ret;
}

int cmd_update(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "resources", required_argument, 0, 'r' },   { "memory", required_argument, 0, 1 },
		{ "memory-swap", required_argument, 0, 2 },   { "cpu-quota", required_argument, 0, 3 },
		{ "cpu-period", required_argument, 0, 4 },    { "cpu-share", required_argument, 0, 5 },
		{ "pids-limit", required_argument, 0, 6 },    { "blkio-weight", required_argument, 0, 7 },
		{ "memory-reservation", required_argument, 0, 8 },
		{ "cpuset-cpus", required_argument, 0, 9 },   { "cpuset-mems", required_argument, 0, 10 },
		{ 0, 0, 0, 0 },
	};
	struct oci_resources r = { 0 };
	const struct update_flag flags[] = {
		[1] = { "memory", &r.memory_limit },      [2] = { "memory-swap", &r.memory_swap },
		[3] = { "cpu-quota", &r.cpu_quota },      [4] = { "cpu-period", &r.cpu_period },
		[5] = { "cpu-share", &r.cpu_shares },     [6] = { "pids-limit", &r.pids_limit },
		[7] = { "blkio-weight", &r.blkio_weight }, [8] = { "memory-reservation", &r.memory_reservation },
	};
	struct json_object *j = NULL;
	struct rt_err e = { 0 };
	const char *file = NULL, *cpus = NULL, *mems = NULL;
	int c, status = 1;
	struct {
		int opt;
		const char *val;
	} given[16];
	int n_given = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+r:", opts, NULL)) != -1) {
		if (c == 'r')
			file = optarg;
		else if (c == 9)
			cpus = optarg;
		else if (c == 10)
			mems = optarg;
		else if (c >= 1 && c <= 8 && n_given < 16)
			given[n_given++] = (typeof(given[0])){ c, optarg };
		else
			return cmd_usage_error(ctx, "unknown option");
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "expected exactly one container id");
	/* The --resources file first, the single-value flags over it (runc's order). */
	if (!file)
		j = json_object_new_object();
	if (file ? read_resources(file, &r, &j, &e) < 0
		 : config_parse_resources(j, "linux.resources", &r, &e) < 0)
		goto out;
	for (int i = 0; i < n_given; i++)
		if (parse_number(flags[given[i].opt].name, given[i].val, flags[given[i].opt].dst, &e) < 0)
			goto out;
	if (cpus)
		r.cpuset_cpus = cpus;
	if (mems)
		r.cpuset_mems = mems;
	if (resources_validate(&r, &e) < 0)
		goto out;
	if (update_container(ctx->root, argv[optind], &r, &e) == 0)
		status = 0;
out:
	if (status)
		rt_err_print(&e);
	resources_free(&r);
	if (j)
		json_object_put(j);
	return status;
}
