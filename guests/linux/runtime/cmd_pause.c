/* Commands pause and resume: the container's cgroup frozen and thawed. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "cgroup.h"
#include "commands.h"
#include "container.h"

static int set_frozen(struct cmd_ctx *ctx, int argc, char **argv, bool frozen)
{
	struct ct_state st;
	struct rt_err e = { 0 };
	int r = -1;

	if (argc != 2)
		return cmd_usage_error(ctx, "expected exactly one container id");
	cleanup_close int lock = container_lock(ctx->root, argv[1]);
	if (container_load(ctx->root, argv[1], &st, NULL, &e) < 0)
		goto out_print;
	if (status_allows(frozen ? OP_PAUSE : OP_RESUME, state_status(ctx->root, &st), argv[1],
			  &e) < 0)
		goto out;
	if (!st.cgroup[0])
		rt_fail(&e, 0, "container %s has no cgroup to freeze", argv[1]);
	else
		r = cgroup_freeze(st.cgroup, frozen, &e);
out:
	state_free(&st);
out_print:
	if (r < 0)
		rt_err_print(&e);
	return r < 0 ? 1 : 0;
}

int cmd_pause(struct cmd_ctx *ctx, int argc, char **argv)
{
	return set_frozen(ctx, argc, argv, true);
}

int cmd_resume(struct cmd_ctx *ctx, int argc, char **argv)
{
	return set_frozen(ctx, argc, argv, false);
}
