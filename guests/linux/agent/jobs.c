/* bwrun calls the loop waits for without blocking: each a child with a deadline (killed with its
 * process group when it passes) and a function to run when it has ended. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

struct job *job_start(struct agent *a, const char *const *argv, int in, int out, bool capture,
		      int timeout_ms, job_done_fn done)
{
	struct job *j = calloc(1, sizeof(*j));
	int p[2] = { -1, -1 };

	if (!j)
		return NULL;
	j->out_fd = j->lfd = -1;
	if (capture && pipe2(p, O_CLOEXEC) < 0) {
		free(j);
		return NULL;
	}
	snprintf(j->what, sizeof(j->what), "%s", argv[0][0] == '-' ? argv[2] : argv[0]);
	j->pid = spawn_bwrun(a, argv, in, capture ? p[1] : out, capture ? p[1] : out);
	if (p[1] >= 0)
		close(p[1]);
	if (j->pid < 0) {
		if (p[0] >= 0)
			close(p[0]);
		free(j);
		return NULL;
	}
	j->out_fd = p[0];
	if (j->out_fd >= 0)
		fcntl(j->out_fd, F_SETFL, O_NONBLOCK);
	j->timeout_ms = timeout_ms;
	j->deadline_ms = agent_now_ms() + timeout_ms;
	j->done = done;
	j->next = a->jobs;
	a->jobs = j;
	return j;
}

void job_read(struct agent *a, struct job *j)
{
	ssize_t n;

	(void)a;
	while (j->out_fd >= 0) {
		char sink[512];
		size_t room = sizeof(j->out) - 1 - j->out_len;
		n = read(j->out_fd, room ? j->out + j->out_len : sink, room ? room : sizeof(sink));
		if (n > 0) {
			if (room)
				j->out_len += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close(j->out_fd);
		j->out_fd = -1;
	}
}

bool job_ok(const struct job *j)
{
	return !j->timed_out && WIFEXITED(j->status) && WEXITSTATUS(j->status) == 0;
}

void job_message(const struct job *j, char *msg, size_t size)
{
	char line[sizeof(j->out)];

	memcpy(line, j->out, j->out_len);
	line[j->out_len] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (j->timed_out)
		snprintf(msg, size, "bwrun %s: no answer in %d s, killed", j->what, j->timeout_ms / 1000);
	else if (line[0])
		snprintf(msg, size, "%s", line);
	else if (WIFEXITED(j->status))
		snprintf(msg, size, "bwrun %s: exit status %d", j->what, WEXITSTATUS(j->status));
	else
		snprintf(msg, size, "bwrun %s: killed by signal %d", j->what, WTERMSIG(j->status));
}

void job_exited(struct agent *a, struct job *j, int status)
{
	j->status = status;
	job_read(a, j); /* what it wrote before it ended */
	for (struct job **p = &a->jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	if (j->done)
		j->done(a, j);
	if (j->out_fd >= 0)
		close(j->out_fd);
	if (j->lfd >= 0)
		close(j->lfd);
	agent_req_free(&j->req);
	free(j->tmp);
	free(j);
}

void jobs_check_deadlines(struct agent *a)
{
	int64_t now = agent_now_ms();

	for (struct job *j = a->jobs; j; j = j->next)
		if (!j->timed_out && now >= j->deadline_ms) {
			j->timed_out = true;
			kill(-j->pid, SIGKILL); /* its whole group: bwrun and whatever it started */
			kill(j->pid, SIGKILL);
		}
}

int64_t jobs_next_deadline(const struct agent *a)
{
	int64_t dl = -1;

	for (const struct job *j = a->jobs; j; j = j->next)
		if (!j->timed_out && (dl < 0 || j->deadline_ms < dl))
			dl = j->deadline_ms;
	return dl;
}
