/* Exits: container inits (reparented to the agent, a subreaper) and bwrun exec processes. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <string.h>
#include <sys/wait.h>

/* The oldest kept exit makes room for a new one. */
static void keep_early(struct agent *a, pid_t pid, int status)
{
	if (a->n_early == AGENT_EARLY_EXITS) {
		memmove(&a->early[0], &a->early[1], sizeof(a->early[0]) * (AGENT_EARLY_EXITS - 1));
		a->n_early--;
	}
	a->early[a->n_early].pid = pid;
	a->early[a->n_early].status = status;
	a->n_early++;
}

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
		/* anything else (an orphan of a container's process tree) is just reaped, but
		 * kept while a run -d is under way: it may be that container's init */
		for (struct job *j = a->jobs; j; j = j->next)
			if (j->keeps_exits) {
				keep_early(a, pid, status);
				break;
			}
next:;
	}
}

bool reap_claim(struct agent *a, pid_t pid, int *status)
{
	for (size_t i = 0; i < a->n_early; i++)
		if (a->early[i].pid == pid) {
			*status = a->early[i].status;
			a->early[i] = a->early[--a->n_early];
			return true;
		}
	return false;
}
