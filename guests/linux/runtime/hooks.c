/* OCI hooks: run each hook of a kind with the container state on its stdin. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "log.h"

static pid_t hook_spawn(const struct oci_hook *h, int in_fd)
{
	pid_t pid = fork();
	char *argv_default[] = { (char *)h->path, NULL };
	char *env_empty[] = { NULL };
	sigset_t none;

	if (pid != 0)
		return pid;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	dup2(in_fd, 0);
	execve(h->path, h->args ? h->args : argv_default, h->env ? h->env : env_empty);
	_exit(127);
}

static int hook_wait(pid_t pid, int timeout, int *status)
{
	int64_t deadline = now_ns() + (int64_t)timeout * 1000000000LL;

	for (;;) {
		pid_t r = waitpid(pid, status, timeout ? WNOHANG : 0);
		struct timespec ts = { 0, 2000000 };

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (timeout && now_ns() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return 1;
		}
		if (timeout)
			nanosleep(&ts, NULL);
	}
}

static int hook_run_one(const struct oci_hook *h, const char *kind, size_t i,
			const char *state_json, struct rt_err *e)
{
	int p[2], status = 0, r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return rt_fail(e, errno, "hook pipe");
	pid = hook_spawn(h, p[0]);
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return rt_fail(e, errno, "fork hook %s", h->path);
	}
	signal(SIGPIPE, SIG_IGN);
	write_all(p[1], state_json, strlen(state_json));
	close(p[1]);
	r = hook_wait(pid, h->timeout, &status);
	if (r > 0)
		return rt_fail(e, 0, "hooks.%s[%zu] (%s): timed out after %d s", kind, i, h->path,
			       h->timeout);
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return rt_fail(e, 0, "hooks.%s[%zu] (%s): failed with status %d", kind, i,
			       h->path, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

int hooks_run(const struct oci_config *c, enum hook_kind kind, const char *state_json,
	      struct rt_err *e)
{
	for (size_t i = 0; i < c->n_hooks[kind]; i++)
		if (hook_run_one(&c->hooks[kind][i], hook_kind_name(kind), i, state_json, e) < 0)
			return -1;
	return 0;
}

void hooks_run_warn(const struct oci_config *c, enum hook_kind kind, const char *state_json)
{
	for (size_t i = 0; i < c->n_hooks[kind]; i++) {
		struct rt_err e = { 0 };

		if (hook_run_one(&c->hooks[kind][i], hook_kind_name(kind), i, state_json, &e) < 0)
			log_warn("%s (the lifecycle goes on)", e.msg);
	}
}
