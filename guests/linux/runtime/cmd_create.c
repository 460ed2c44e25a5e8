/* Commands create, run and start. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <string.h>

#include "commands.h"
#include "container.h"
#include "hooks.h"

static int create_like(struct cmd_ctx *ctx, int argc, char **argv, enum create_mode mode)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, 0, 'b' },
		{ "console-socket", required_argument, 0, 'c' },
		{ "pid-file", required_argument, 0, 'p' },
		{ "detach", no_argument, 0, 'd' },
		{ "no-pivot", no_argument, 0, 'n' },
		{ "no-new-keyring", no_argument, 0, 'k' },
		{ 0, 0, 0, 0 },
	};
	struct create_opts o = { .root = ctx->root, .bundle = ".", .mode = mode };
	struct rt_err e = { 0 };
	int c, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+b:d", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o.bundle = optarg; break;
		case 'c': o.console_socket = optarg; break;
		case 'p': o.pid_file = optarg; break;
		case 'd':
			if (mode == MODE_CREATE)
				return cmd_usage_error(ctx, "--detach is only for run");
			o.mode = MODE_RUN_DETACHED;
			break;
		case 'n': o.no_pivot = true; break;
		case 'k': o.no_new_keyring = true; break;
		default: return cmd_usage_error(ctx, "unknown option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx, "expected exactly one container id");
	o.id = argv[optind];
	if (container_create(&o, &status, &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
	return status;
}

int cmd_create(struct cmd_ctx *ctx, int argc, char **argv)
{
	return create_like(ctx, argc, argv, MODE_CREATE);
}

int cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	return create_like(ctx, argc, argv, MODE_RUN);
}

/* Until the container's init has exec'd the user program: its exec fifo descriptor is
 * close-on-exec and the only reader left, so our write end reports POLLERR (no readers,
 * pipe(7)) at its execve. The init dying before that ends the wait as well. */
static int wait_for_exec(int fd, const struct ct_state *st, struct rt_err *e)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	for (;;) {
		int r = poll(&p, 1, 100);

		if (r < 0 && errno != EINTR)
			return rt_fail(e, errno, "wait for the container process to start");
		if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
			return 0;
		if (!proc_alive(st->pid, st->start_time))
			return 0;
	}
}

/* A init that fails after start (a startContainer hook, the exec itself) leaves its
 * error in the fifo before it exits; the pipe outlives it while our end is open. */
static int exec_failure(int fd, struct rt_err *e)
{
	char path[64], msg[1024];
	cleanup_close int rd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rd < 0)
		return 0;
	n = read(rd, msg, sizeof(msg) - 1);
	if (n <= 0)
		return 0;
	msg[n] = '\0';
	return rt_fail(e, 0, "%s", msg);
}

static int start_container(const char *root, const char *id, struct rt_err *e)
{
	struct ct_state st;
	struct oci_config c;
	cleanup_free char *fifo = NULL;
	cleanup_free char *state = NULL;
	cleanup_close int fd = -1;
	cleanup_close int lock = container_lock(root, id);
	int r = -1;

	if (container_load(root, id, &st, &c, e) < 0)
		return -1;
	if (status_allows(OP_START, state_status(root, &st), id, e) < 0)
		goto out;
	fifo = xasprintf("%s/%s/%s", root, id, EXEC_FIFO);
	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		rt_fail(e, errno, "cannot start container %s", id);
		goto out;
	}
	if (write(fd, "0", 1) != 1) {
		rt_fail(e, errno, "cannot start container %s", id);
		goto out;
	}
	/* The fifo marks the container "created" (state.c) until the user program runs. */
	r = wait_for_exec(fd, &st, e);
	unlink(fifo);
	if (r < 0 || exec_failure(fd, e) < 0) {
		r = -1;
		goto out;
	}
	state = container_state_text(&st, ST_RUNNING);
	hooks_run_warn(&c, HOOK_POSTSTART, state);
	r = 0;
out:
	state_free(&st);
	config_free(&c);
	return r;
}

int cmd_start(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct rt_err e = { 0 };

	if (argc != 2)
		return cmd_usage_error(ctx, "expected exactly one container id");
	if (start_container(ctx->root, argv[1], &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
	return 0;
}
