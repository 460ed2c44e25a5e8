/* Foreground processes: forward signals, relay a terminal, wait for the exit status. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "foreground.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "console.h"

int fg_status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

static bool reap(pid_t pid, int *status)
{
	int ws;
	pid_t r = waitpid(pid, &ws, WNOHANG);

	if (r == pid)
		*status = fg_status_of(ws);
	return r == pid;
}

/* Forwards signals to the container and relays its terminal until it exits. */
int fg_wait(pid_t pid, int sfd, int master)
{
	int master_open = master >= 0, in_open = 1, status = 1;

	if (reap(pid, &status))
		return status;
	for (;;) {
		struct pollfd p[3] = { { sfd, POLLIN, 0 }, { master, POLLIN, 0 },
				       { in_open ? 0 : -1, POLLIN, 0 } };
		struct signalfd_siginfo si;
		int n = master_open ? 3 : 1;

		if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR)
			break;
		if (n > 1)
			console_relay_step(master, p[2].revents & (POLLIN | POLLHUP),
					   p[1].revents & (POLLIN | POLLHUP), &in_open,
					   &master_open);
		if (!(p[0].revents & POLLIN) || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD)
			kill(pid, (int)si.ssi_signo);
		else if (reap(pid, &status))
			return status;
	}
	waitpid(pid, &status, 0);
	return fg_status_of(status);
}

static const int forwarded[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
				 SIGUSR2, SIGWINCH, SIGCONT };

int fg_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, old);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

