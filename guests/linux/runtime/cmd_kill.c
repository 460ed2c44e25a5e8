/* Commands kill and delete. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "cgroup.h"
#include "commands.h"
#include "container.h"
#include "signals.h"
#include "validate.h"

static int kill_container(const char *root, const char *id, int sig, bool all,
			  struct rt_err *e)
{
	struct ct_state st;
	int r = -1;

	if (container_load(root, id, &st, NULL, e) < 0)
		return -1;
	if (status_allows(OP_KILL, state_status(root, &st), id, e) < 0)
		goto out;
	if (all && st.cgroup[0])
		r = cgroup_kill_all(st.cgroup, sig);
	else
		r = kill(st.pid, sig) < 0 ? rt_fail(e, errno, "kill container %s", id) : 0;
out:
	state_free(&st);
	return r;
}

int cmd_kill(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, 0, 'a' }, { 0, 0, 0, 0 } };
	struct rt_err e = { 0 };
	bool all = false;
	int c, sig = SIGTERM;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		if (c != 'a')
			return cmd_usage_error(ctx, "unknown option");
		all = true;
	}
	if (optind >= argc || argc - optind > 2)
		return cmd_usage_error(ctx, "expected a container id and an optional signal");
	if (argc - optind == 2 && (sig = signal_parse(argv[optind + 1])) < 0)
		return cmd_usage_error(ctx, "unknown signal");
	if (kill_container(ctx->root, argv[optind], sig, all, &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
	return 0;
}

/* A creation killed midway leaves a state directory without state.json; its config
 * copy still says where the cgroup is. */
static void remove_stale(const char *root, const char *id)
{
	cleanup_free char *dir = state_dir(root, id);
	cleanup_free char *cfg = xasprintf("%s/config.json", dir);
	cleanup_free char *cg = NULL;
	struct oci_config c;
	struct rt_err e;

	if (validate_id(id, &e) < 0)
		return;
	if (config_load(cfg, &c, &e) == 0) {
		cg = cgroup_path_for(&c, id, &e);
		if (cg)
			cgroup_destroy(cg, &e);
		config_free(&c);
	}
	rm_rf(dir);
}

static int delete_container(const char *root, const char *id, bool force, struct rt_err *e)
{
	cleanup_close int lock = container_lock(root, id);
	struct ct_state st;
	struct oci_config c;
	int r = -1;

	if (container_load(root, id, &st, &c, e) < 0) {
		if (force)
			remove_stale(root, id);
		return force ? 0 : -1;
	}
	if (status_allows(force ? OP_DELETE_FORCE : OP_DELETE, state_status(root, &st), id, e) == 0)
		r = container_destroy(root, &st, &c, e);
	state_free(&st);
	config_free(&c);
	return r;
}

int cmd_delete(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, 0, 'f' }, { 0, 0, 0, 0 } };
	struct rt_err e = { 0 };
	bool force = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
		if (c != 'f')
			return cmd_usage_error(ctx, "unknown option");
		force = true;
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "expected exactly one container id");
	if (delete_container(ctx->root, argv[optind], force, &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
	return 0;
}
