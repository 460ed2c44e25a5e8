/* The agent's containers: their captured output, their exits, the stops waiting for them. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <json-c/json.h>

struct container *ct_find(struct agent *a, const char *name)
{
	for (struct container *c = a->cts; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Reads what is there from one of the container's pipes into its log, and to its session. */
static int ct_drain(struct agent *a, struct container *c, int fd)
{
	char buf[AGENT_DATA_MAX];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0) {
		agent_logring_append(&c->log, buf, (size_t)n);
		if (c->session) {
			struct json_object *d = json_object_new_object();
			json_object_object_add(d, "session", json_object_new_int64(c->session));
			json_object_object_add(d, "data", agent_data_string(buf, (size_t)n));
			agent_send(a, agent_event("output", d));
		}
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/* EOF: every process of the container has closed it */
	close(fd);
	c->out_fd = -1;
	return 0;
}

void ct_read_output(struct agent *a, struct container *c, int fd)
{
	ct_drain(a, c, fd);
}

void ct_exited(struct agent *a, struct container *c, int wstatus)
{
	struct json_object *d;

	/* Its last output first (all of its namespace is gone with its init). */
	while (c->out_fd >= 0 && ct_drain(a, c, c->out_fd) > 0)
		;
	c->status = CT_STOPPED;
	c->pid = 0;
	if (WIFEXITED(wstatus)) {
		c->exit = (struct agent_exit){ AGENT_EXIT_EXITED, WEXITSTATUS(wstatus), 0 };
	} else {
		int sig = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
		c->exit = (struct agent_exit){ AGENT_EXIT_KILLED, 128 + sig, sig };
	}
	/* The kernel's OOM killer counts its kills in memory.events (cgroup v2 admin guide). */
	if (cg_oom_kills(a, c->name) > 0)
		c->exit.reason = AGENT_EXIT_OOM;
	d = json_object_new_object();
	json_object_object_add(d, "name", json_object_new_string(c->name));
	json_object_object_add(d, "exit", agent_exit_json(&c->exit));
	agent_send(a, agent_event("exited", d));
	if (c->session) {
		d = json_object_new_object();
		json_object_object_add(d, "session", json_object_new_int64(c->session));
		json_object_object_add(d, "exit_code", json_object_new_int(c->exit.code));
		json_object_object_add(d, "signal", json_object_new_int(c->exit.signal));
		agent_send(a, agent_event("closed", d));
		c->session = 0;
	}
	if (c->in_fd >= 0) {
		close(c->in_fd);
		c->in_fd = -1;
	}
	if (c->stop_id) {
		d = json_object_new_object();
		json_object_object_add(d, "state", json_object_new_string("stopped"));
		json_object_object_add(d, "killed", json_object_new_boolean(c->stop_killed));
		agent_send(a, agent_reply_ok(c->stop_id, d));
		c->stop_id = 0;
	}
}

/* stop's SIGKILL could not be sent through bwrun: the init is our child, so we send it. */
static void stop_kill_done(struct agent *a, struct job *j)
{
	struct container *c = ct_find(a, j->req.name);

	if (!job_ok(j) && c && c->status == CT_RUNNING && c->pid > 0)
		kill(c->pid, SIGKILL);
}

/* Stops past their timeout: SIGKILL now (agent_proto.h "stop"). */
void ct_check_stops(struct agent *a)
{
	int64_t now = agent_now_ms();

	for (struct container *c = a->cts; c; c = c->next) {
		if (c->stop_id && !c->stop_killed && now >= c->stop_deadline_ms) {
			const char *argv[] = { "kill", c->name, "KILL", NULL };
			struct job *j = job_start(a, argv, -1, -1, true, a->bwrun_timeout_ms,
						  stop_kill_done);
			c->stop_killed = true;
			if (j)
				memcpy(j->req.name, c->name, sizeof(j->req.name));
			else if (c->pid > 0)
				kill(c->pid, SIGKILL);
		}
	}
}

int64_t ct_next_deadline(struct agent *a)
{
	int64_t dl = -1;

	int64_t jd = jobs_next_deadline(a);

	for (struct container *c = a->cts; c; c = c->next)
		if (c->stop_id && !c->stop_killed && (dl < 0 || c->stop_deadline_ms < dl))
			dl = c->stop_deadline_ms;
	return jd >= 0 && (dl < 0 || jd < dl) ? jd : dl;
}

void ct_remove_orphans(struct agent *a)
{
	char *dir = xasprintf("%s/containers", a->o.work);
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		const char *argv[] = { "delete", "-f", e->d_name, NULL };
		char msg[256], *path;

		if (!agent_name_valid(e->d_name, strlen(e->d_name)))
			continue;
		if (bwrun_call(a, argv, -1, -1, -1, a->bwrun_timeout_ms, msg, sizeof(msg)) < 0)
			fprintf(stderr, "bulwark-agent: deleting %s left by a predecessor: %s\n",
				e->d_name, msg);
		path = xasprintf("%s/%s", dir, e->d_name);
		rm_rf(path);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	reap_children(a);
}
