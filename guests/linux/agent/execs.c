/* Processes run in containers by "exec": their output (kept, or sent to the session) and their end. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <json-c/json.h>

static int exec_drain(struct agent *a, struct execproc *x, int fd)
{
	char buf[AGENT_DATA_MAX];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0) {
		if (x->session) {
			struct json_object *d = json_object_new_object();
			json_object_object_add(d, "session", json_object_new_int64(x->session));
			json_object_object_add(d, "data", agent_data_string(buf, (size_t)n));
			agent_send(a, agent_event("output", d));
		} else {
			bool is_out = fd == x->out_fd;
			char *dst = is_out ? x->out : x->err;
			size_t *len = is_out ? &x->out_len : &x->err_len;
			size_t room = AGENT_EXEC_OUT_MAX - *len, take = (size_t)n < room ? (size_t)n : room;
			memcpy(dst + *len, buf, take);
			*len += take;
			if (take < (size_t)n)
				x->truncated = true;
		}
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	close(fd);
	if (fd == x->out_fd)
		x->out_fd = -1;
	if (fd == x->err_fd)
		x->err_fd = -1;
	return 0;
}

void exec_read_output(struct agent *a, struct execproc *x, int fd)
{
	exec_drain(a, x, fd);
}

void exec_exited(struct agent *a, struct execproc *x, int wstatus)
{
	struct json_object *d = json_object_new_object();
	int code, sig = 0;

	while (x->out_fd >= 0 && exec_drain(a, x, x->out_fd) > 0)
		;
	while (x->err_fd >= 0 && exec_drain(a, x, x->err_fd) > 0)
		;
	/* bwrun exec exits with the process's status, 128+N when signal N killed it (as runc). */
	if (WIFEXITED(wstatus)) {
		code = WEXITSTATUS(wstatus);
		if (code > 128 && code <= 128 + 64)
			sig = code - 128;
	} else {
		sig = WTERMSIG(wstatus);
		code = 128 + sig;
	}
	json_object_object_add(d, "exit_code", json_object_new_int(code));
	json_object_object_add(d, "signal", json_object_new_int(sig));
	if (x->session) {
		json_object_object_add(d, "session", json_object_new_int64(x->session));
		agent_send(a, agent_event("closed", d));
	} else {
		json_object_object_add(d, "stdout", agent_data_string(x->out, x->out_len));
		json_object_object_add(d, "stderr", agent_data_string(x->err, x->err_len));
		if (x->truncated)
			json_object_object_add(d, "truncated", json_object_new_boolean(1));
		agent_send(a, agent_reply_ok(x->id, d));
	}
	for (struct execproc **p = &a->execs; *p; p = &(*p)->next)
		if (*p == x) {
			*p = x->next;
			break;
		}
	if (x->out_fd >= 0)
		close(x->out_fd);
	if (x->err_fd >= 0 && x->err_fd != x->out_fd)
		close(x->err_fd);
	if (x->in_fd >= 0)
		close(x->in_fd);
	a->n_execs--;
	free(x);
}
