/* exec (its answer comes when the process ends, or at once with a session), input, detach. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

void op_exec(struct agent *a, const struct agent_req *r)
{
	struct container *c = ct_find(a, r->name);
	struct execproc *x;
	const char *argv[4 + 2 * AGENT_LIST_MAX + AGENT_LIST_MAX + 1];
	int outp[2], errp[2] = { -1, -1 }, inp[2] = { -1, -1 };
	size_t n = 0;

	if (!c) {
		agent_send(a, agent_reply_error(r->id, "ENOENT", "no container named %s", r->name));
		return;
	}
	if (c->status != CT_RUNNING || c->busy) {
		agent_send(a, agent_reply_error(r->id, c->busy ? "EBUSY" : "EINVAL",
						c->busy ? "container %s: bwrun %s is under way" :
						"container %s is not running", r->name,
						c->busy ? c->busy->what : ""));
		return;
	}
	if (a->n_execs >= AGENT_EXECS_MAX) {
		agent_send(a, agent_reply_error(r->id, "ENOSPC", "%d exec processes already",
						AGENT_EXECS_MAX));
		return;
	}
	/* Attached: stdin from "input", stdout and stderr together to "output" events. */
	if (pipe2(outp, O_CLOEXEC) < 0 || (!r->attach && pipe2(errp, O_CLOEXEC) < 0) ||
	    (r->attach && pipe2(inp, O_CLOEXEC) < 0)) {
		agent_send(a, agent_reply_error(r->id, "ENOSPC", "pipe: %s", strerror(errno)));
		return;
	}
	argv[n++] = "exec";
	for (size_t i = 0; i < r->n_env; i++) {
		argv[n++] = "-e";
		argv[n++] = r->env[i];
	}
	argv[n++] = c->name;
	for (size_t i = 0; i < r->n_args; i++)
		argv[n++] = r->args[i];
	argv[n] = NULL;
	x = calloc(1, sizeof(*x));
	reap_children(a);
	x->pid = spawn_bwrun(a, argv, inp[0], outp[1], r->attach ? outp[1] : errp[1]);
	close(outp[1]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (inp[0] >= 0)
		close(inp[0]);
	if (x->pid < 0) {
		close(outp[0]);
		if (errp[0] >= 0)
			close(errp[0]);
		if (inp[1] >= 0)
			close(inp[1]);
		free(x);
		agent_send(a, agent_reply_error(r->id, "EIO", "cannot start bwrun: %s", strerror(errno)));
		return;
	}
	memcpy(x->name, c->name, sizeof(x->name));
	x->out_fd = outp[0];
	x->err_fd = errp[0];
	x->in_fd = inp[1];
	fcntl(x->out_fd, F_SETFL, O_NONBLOCK);
	if (x->err_fd >= 0)
		fcntl(x->err_fd, F_SETFL, O_NONBLOCK);
	if (x->in_fd >= 0)
		fcntl(x->in_fd, F_SETFL, O_NONBLOCK);
	x->next = a->execs;
	a->execs = x;
	a->n_execs++;
	if (r->attach) {
		struct json_object *res = json_object_new_object();
		x->session = a->next_session++;
		json_object_object_add(res, "session", json_object_new_int64(x->session));
		agent_send(a, agent_reply_ok(r->id, res));
	} else {
		x->id = r->id; /* answered by exec_exited() */
	}
}

/* The stdin fd of session S (a container run attached, or an exec), or -1 and a reply. */
static int *session_stdin(struct agent *a, const struct agent_req *r, int64_t **owner)
{
	for (struct container *c = a->cts; c; c = c->next)
		if (c->session && c->session == r->session) {
			*owner = &c->session;
			return &c->in_fd;
		}
	for (struct execproc *x = a->execs; x; x = x->next)
		if (x->session && x->session == r->session) {
			*owner = &x->session;
			return &x->in_fd;
		}
	agent_send(a, agent_reply_error(r->id, "ENOENT", "no session %lld", (long long)r->session));
	return NULL;
}

void op_input(struct agent *a, const struct agent_req *r)
{
	int64_t *owner;
	int *fd = session_stdin(a, r, &owner);
	ssize_t w;

	if (!fd)
		return;
	if (*fd < 0) {
		agent_send(a, agent_reply_error(r->id, "EINVAL", "session %lld has no stdin",
						(long long)r->session));
		return;
	}
	w = r->data_len ? write(*fd, r->data, r->data_len) : 0;
	if (w < 0 || (size_t)w < r->data_len)
		agent_send(a, agent_reply_error(r->id, w < 0 && errno != EAGAIN ? "EIO" : "ENOSPC",
						"stdin of session %lld: %s", (long long)r->session,
						w < 0 ? strerror(errno) : "full, part written"));
	else
		agent_send(a, agent_reply_ok(r->id, NULL));
}

void op_detach(struct agent *a, const struct agent_req *r)
{
	int64_t *owner;

	if (!session_stdin(a, r, &owner))
		return;
	*owner = 0; /* the process runs on; its output goes to the logs only (or nowhere) */
	agent_send(a, agent_reply_ok(r->id, NULL));
}
