/* Exits: container inits (reparented to the agent, a subreaper) and bwrun exec processes. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <sys/wait.h>

void reap_children(struct agent *a)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct container *c = a->cts; c; c = c->next)
			if (c->pid == pid && c->status != CT_STOPPED) {
				ct_exited(a, c, status);
				goto next;
			}
		for (struct job *j = a->jobs; j; j = j->next)
			if (j->pid == pid) {
				job_exited(a, j, status);
				goto next;
			}
		for (struct execproc *x = a->execs; x; x = x->next)
			if (x->pid == pid) {
				exec_exited(a, x, status);
				goto next;
			}
		/* anything else (an orphan of a container's process tree) is just reaped */
next:;
	}
}
