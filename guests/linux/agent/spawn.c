/* Running bwrun: every operation goes through it, as a child with the fds it needs and nothing
 * else, and none may hang the agent (a call past its timeout is killed and reported EIO). */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

/*
 * posix_spawn(3): the child shares our memory until its exec (no copy of the agent's page
 * tables for a process that execs at once), with stdio as asked, SIGCHLD unblocked, SIGPIPE back
 * to its default, its own process group (a call past its timeout is killed with its children).
 * Every other fd is close-on-exec; fds 0..2 are always open (main.c), so no source fd is also a
 * target the dups before it replaced.
 */
pid_t spawn_bwrun(const struct agent *a, const char *const *argv, int in, int out, int err)
{
	const char *full[48];
	int fds[3] = { in, out, err }, rc;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, pipe_default;
	size_t n = 0;
	pid_t pid = -1;

	full[n++] = a->o.bwrun;
	full[n++] = "--root";
	full[n++] = a->o.root;
	for (size_t i = 0; argv[i] && n < 47; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	sigemptyset(&none);
	sigemptyset(&pipe_default);
	sigaddset(&pipe_default, SIGPIPE);
	if (posix_spawn_file_actions_init(&fa))
		return -1;
	if (posix_spawnattr_init(&at)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
						   POSIX_SPAWN_SETPGROUP) ||
	     posix_spawnattr_setsigmask(&at, &none) || posix_spawnattr_setsigdefault(&at, &pipe_default) ||
	     posix_spawnattr_setpgroup(&at, 0);
	for (int i = 0; i < 3 && !rc; i++)
		rc = posix_spawn_file_actions_adddup2(&fa, fds[i] >= 0 ? fds[i] : a->null_fd, i);
	if (!rc)
		rc = posix_spawn(&pid, full[0], &fa, &at, (char *const *)full, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		errno = rc;
		return -1;
	}
	return pid;
}

int bwrun_call(struct agent *a, const char *const *argv, int in, int out, int err, int timeout_ms,
	       char *msg, size_t msg_size)
{
	int p[2] = { -1, -1 }, status = 0;
	char buf[1024];
	size_t len = 0;
	int64_t deadline = agent_now_ms() + timeout_ms;
	pid_t pid;
	bool done = false;

	msg[0] = '\0';
	reap_children(a); /* no exit of ours may stay a zombie that bwrun would wait for */
	if ((out < 0 || err < 0) && pipe2(p, O_CLOEXEC) < 0) {
		snprintf(msg, msg_size, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = spawn_bwrun(a, argv, in, out < 0 ? p[1] : out, err < 0 ? p[1] : err);
	if (p[1] >= 0)
		close(p[1]);
	if (pid < 0) {
		snprintf(msg, msg_size, "cannot start bwrun: %s", strerror(errno));
		if (p[0] >= 0)
			close(p[0]);
		return -1;
	}
	while (!done) {
		int64_t left = deadline - agent_now_ms();
		if (left <= 0)
			break;
		if (p[0] >= 0) {
			struct pollfd pf = { .fd = p[0], .events = POLLIN };
			ssize_t n;
			if (poll(&pf, 1, (int)(left > 100 ? 100 : left)) > 0) {
				n = read(p[0], buf + len, sizeof(buf) - 1 - len);
				if (n > 0)
					len += (size_t)n;
				if (n == 0 || len == sizeof(buf) - 1) {
					close(p[0]);
					p[0] = -1;
				}
			}
		} else {
			usleep(10000);
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			done = true;
	}
	while (done && p[0] >= 0 && len < sizeof(buf) - 1) { /* what it wrote before it ended */
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		ssize_t n = poll(&pf, 1, 0) > 0 ? read(p[0], buf + len, sizeof(buf) - 1 - len) : 0;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (p[0] >= 0)
		close(p[0]);
	if (!done) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(msg, msg_size, "bwrun %s: no answer in %d s, killed", argv[0],
			 timeout_ms / 1000);
		return -1;
	}
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		snprintf(msg, msg_size, "%s", buf);
		return 0;
	}
	if (buf[0])
		snprintf(msg, msg_size, "%s", buf);
	else if (WIFEXITED(status))
		snprintf(msg, msg_size, "bwrun %s: exit status %d", argv[0], WEXITSTATUS(status));
	else
		snprintf(msg, msg_size, "bwrun %s: killed by signal %d", argv[0], WTERMSIG(status));
	return -1;
}
