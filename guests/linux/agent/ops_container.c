/* The container lifecycle: create, start, run, kill, stop, delete, each through bwrun. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#define REPLY_ERR(a, r, code, ...) agent_send((a), agent_reply_error((r)->id, (code), __VA_ARGS__))

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Frees a container the agent holds: its fds, its log, its bundle directory. */
static void ct_free(struct agent *a, struct container *c)
{
	for (struct container **p = &a->cts; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			a->n_cts--;
			break;
		}
	close_fd(&c->out_fd);
	close_fd(&c->in_fd);
	agent_logring_free(&c->log);
	if (c->bundle) {
		rm_rf(c->bundle);
		free(c->bundle);
	}
	free(c);
}

/* The first line bwrun wrote to its --log file. */
static void first_log_line(const char *path, char *msg, size_t size)
{
	FILE *f = fopen(path, "re");
	char line[512];

	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(msg, size, "%s", line);
	}
	if (f)
		fclose(f);
}

/* create: 0 and *out the new container, or -1 after replying with the error. */
static int do_create(struct agent *a, const struct agent_req *r, struct container **out)
{
	struct container *c;
	char msg[512] = "", *base = NULL, *log, *pidfile;
	int outp[2], inp[2] = { -1, -1 }, rc;
	FILE *f;

	if (ct_find(a, r->name)) {
		REPLY_ERR(a, r, "EEXIST", "a container named %s exists", r->name);
		return -1;
	}
	if (a->n_cts >= AGENT_CONTAINERS_MAX) {
		REPLY_ERR(a, r, "ENOSPC", "%d containers already", AGENT_CONTAINERS_MAX);
		return -1;
	}
	base = image_path(a, r->image);
	if (!base) {
		REPLY_ERR(a, r, "ENOENT", "no image named %s", r->image);
		return -1;
	}
	free(base);
	if (image_base(a, r->image, &base, msg, sizeof(msg)) < 0) {
		REPLY_ERR(a, r, "EIO", "import %s: %s", r->image, msg);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (!c || agent_logring_init(&c->log, AGENT_LOG_MAX) < 0) {
		free(c);
		free(base);
		REPLY_ERR(a, r, "ENOSPC", "out of memory");
		return -1;
	}
	memcpy(c->name, r->name, sizeof(c->name));
	memcpy(c->image, r->image, sizeof(c->image));
	c->out_fd = c->in_fd = -1;
	c->next = a->cts;
	a->cts = c;
	a->n_cts++;
	c->bundle = xasprintf("%s/containers/%s", a->o.work, r->name);
	{
		char *dir = xasprintf("%s/containers", a->o.work);
		mkdir(a->o.work, 0700);
		mkdir(dir, 0700);
		free(dir);
	}
	rm_rf(c->bundle);
	if (mkdir(c->bundle, 0700) < 0) {
		REPLY_ERR(a, r, "EIO", "mkdir %s: %s", c->bundle, strerror(errno));
		free(base);
		ct_free(a, c);
		return -1;
	}
	rc = bundle_write(base, c->bundle, r, msg, sizeof(msg));
	free(base);
	if (rc < 0) {
		REPLY_ERR(a, r, "EIO", "%s", msg);
		ct_free(a, c);
		return -1;
	}
	log = xasprintf("%s/bwrun.log", c->bundle);
	pidfile = xasprintf("%s/pid", c->bundle);
	if (r->tty) {
		/* A terminal: the container's pty master comes over the console socket; it is
		 * both its output and its input. */
		char *sock = xasprintf("%s/console.sock", c->bundle);
		const char *argv[] = { "--log", log, "create", "-b", c->bundle, "--console-socket",
				       sock, "--pid-file", pidfile, c->name, NULL };
		int lfd = tty_listen(sock);

		rc = -1;
		if (lfd < 0)
			snprintf(msg, sizeof(msg), "console socket %s: %s", sock, strerror(errno));
		else if ((rc = bwrun_call(a, argv, -1, -1, -1, a->bwrun_timeout_ms, msg,
					  sizeof(msg))) == 0 &&
			 (c->out_fd = tty_receive(lfd, 5000)) < 0) {
			snprintf(msg, sizeof(msg), "no terminal came over the console socket");
			rc = -1;
		}
		if (lfd >= 0)
			close(lfd);
		unlink(sock);
		free(sock);
		if (c->out_fd >= 0)
			c->in_fd = fcntl(c->out_fd, F_DUPFD_CLOEXEC, 3);
	} else {
		/* The container's stdio: a pipe the loop watches (bwrun create passes a
		 * non-terminal process the fds it inherits, as runc does); stdout and stderr
		 * share it, so the log keeps them in the order they were written. */
		const char *argv[] = { "--log", log, "create", "-b", c->bundle, "--pid-file",
				       pidfile, c->name, NULL };
		if (pipe2(outp, O_CLOEXEC) < 0 || (r->attach && pipe2(inp, O_CLOEXEC) < 0)) {
			REPLY_ERR(a, r, "ENOSPC", "pipe: %s", strerror(errno));
			free(log);
			free(pidfile);
			ct_free(a, c);
			return -1;
		}
		rc = bwrun_call(a, argv, inp[0], outp[1], outp[1], a->bwrun_timeout_ms, msg,
				sizeof(msg));
		close(outp[1]);
		if (inp[0] >= 0)
			close(inp[0]);
		c->out_fd = outp[0];
		c->in_fd = inp[1];
	}
	if (c->out_fd >= 0)
		fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
	if (c->in_fd >= 0)
		fcntl(c->in_fd, F_SETFL, O_NONBLOCK);
	if (rc == 0 && (f = fopen(pidfile, "re"))) {
		if (fscanf(f, "%d", &c->pid) != 1)
			c->pid = 0;
		fclose(f);
	}
	if (rc < 0 || c->pid <= 0) {
		const char *del[] = { "delete", "-f", c->name, NULL };
		char ignored[64];
		first_log_line(log, msg, sizeof(msg)); /* bwrun's own words, if it wrote any */
		REPLY_ERR(a, r, "EIO", "bwrun create: %s", msg[0] ? msg : "no pid");
		bwrun_call(a, del, -1, -1, -1, a->bwrun_timeout_ms, ignored, sizeof(ignored));
		free(log);
		free(pidfile);
		ct_free(a, c);
		return -1;
	}
	free(log);
	free(pidfile);
	c->status = CT_CREATED;
	c->created = (int64_t)time(NULL);
	*out = c;
	return 0;
}

static void reply_started(struct agent *a, const struct agent_req *r, struct container *c,
			  int64_t session)
{
	struct json_object *res = json_object_new_object();

	json_object_object_add(res, "name", json_object_new_string(c->name));
	json_object_object_add(res, "state", json_object_new_string("running"));
	json_object_object_add(res, "pid", json_object_new_int(c->pid));
	if (session)
		json_object_object_add(res, "session", json_object_new_int64(session));
	agent_send(a, agent_reply_ok(r->id, res));
}

static int do_start(struct agent *a, const struct agent_req *r, struct container *c)
{
	const char *argv[] = { "start", c->name, NULL };
	char msg[512];

	if (c->status != CT_CREATED) {
		REPLY_ERR(a, r, c->status == CT_RUNNING ? "EBUSY" : "EINVAL",
			  "container %s is %s, not created", c->name,
			  c->status == CT_RUNNING ? "running" : "stopped");
		return -1;
	}
	if (bwrun_call(a, argv, -1, -1, -1, a->bwrun_timeout_ms, msg, sizeof(msg)) < 0) {
		REPLY_ERR(a, r, "EIO", "%s", msg);
		return -1;
	}
	c->status = CT_RUNNING;
	return 0;
}

void op_create(struct agent *a, const struct agent_req *r)
{
	struct container *c;
	struct json_object *res;

	if (do_create(a, r, &c) < 0)
		return;
	res = json_object_new_object();
	json_object_object_add(res, "name", json_object_new_string(c->name));
	json_object_object_add(res, "state", json_object_new_string("created"));
	agent_send(a, agent_reply_ok(r->id, res));
}

void op_start(struct agent *a, const struct agent_req *r)
{
	struct container *c = ct_find(a, r->name);

	if (!c) {
		REPLY_ERR(a, r, "ENOENT", "no container named %s", r->name);
		return;
	}
	if (do_start(a, r, c) == 0)
		reply_started(a, r, c, 0);
}

void op_run(struct agent *a, const struct agent_req *r)
{
	struct container *c;

	if (do_create(a, r, &c) < 0)
		return;
	if (r->attach)
		c->session = a->next_session++;
	if (do_start(a, r, c) < 0) {
		const char *del[] = { "delete", "-f", c->name, NULL };
		char ignored[64];
		bwrun_call(a, del, -1, -1, -1, a->bwrun_timeout_ms, ignored, sizeof(ignored));
		reap_children(a);
		ct_free(a, c);
		return;
	}
	reply_started(a, r, c, c->session);
}

static struct container *running(struct agent *a, const struct agent_req *r)
{
	struct container *c = ct_find(a, r->name);

	if (!c)
		REPLY_ERR(a, r, "ENOENT", "no container named %s", r->name);
	else if (c->status != CT_RUNNING)
		REPLY_ERR(a, r, "EINVAL", "container %s is not running", r->name);
	else
		return c;
	return NULL;
}

static int send_signal(struct agent *a, struct container *c, int sig, char *msg, size_t size)
{
	char num[8];
	const char *argv[] = { "kill", c->name, num, NULL };

	snprintf(num, sizeof(num), "%d", sig);
	return bwrun_call(a, argv, -1, -1, -1, a->bwrun_timeout_ms, msg, size);
}

void op_kill(struct agent *a, const struct agent_req *r)
{
	struct container *c = running(a, r);
	char msg[512];

	if (!c)
		return;
	if (send_signal(a, c, r->signal, msg, sizeof(msg)) < 0)
		REPLY_ERR(a, r, "EIO", "%s", msg);
	else
		agent_send(a, agent_reply_ok(r->id, NULL));
}

void op_stop(struct agent *a, const struct agent_req *r)
{
	struct container *c = ct_find(a, r->name);
	char msg[512];

	if (!c) {
		REPLY_ERR(a, r, "ENOENT", "no container named %s", r->name);
		return;
	}
	if (c->status != CT_RUNNING) {
		struct json_object *res = json_object_new_object();
		json_object_object_add(res, "state", json_object_new_string("stopped"));
		json_object_object_add(res, "killed", json_object_new_boolean(0));
		agent_send(a, agent_reply_ok(r->id, res));
		return;
	}
	if (c->stop_id) {
		REPLY_ERR(a, r, "EBUSY", "container %s is already being stopped", r->name);
		return;
	}
	/* SIGTERM, then SIGKILL after timeout_s (ct_check_stops); the reply comes at the exit. */
	c->stop_killed = r->timeout_s == 0;
	if (send_signal(a, c, c->stop_killed ? SIGKILL : SIGTERM, msg, sizeof(msg)) < 0) {
		REPLY_ERR(a, r, "EIO", "%s", msg);
		return;
	}
	c->stop_id = r->id;
	c->stop_deadline_ms = agent_now_ms() + r->timeout_s * 1000;
	reap_children(a); /* it may be gone already */
}

void op_delete(struct agent *a, const struct agent_req *r)
{
	struct container *c = ct_find(a, r->name);
	const char *argv[] = { "delete", "-f", r->name, NULL };
	char msg[512];

	if (!c) {
		REPLY_ERR(a, r, "ENOENT", "no container named %s", r->name);
		return;
	}
	if (c->status == CT_RUNNING && !r->force) {
		REPLY_ERR(a, r, "EBUSY", "container %s is running (force deletes it)", r->name);
		return;
	}
	if (bwrun_call(a, argv, -1, -1, -1, a->bwrun_timeout_ms, msg, sizeof(msg)) < 0) {
		REPLY_ERR(a, r, "EIO", "%s", msg);
		return;
	}
	reap_children(a); /* a forced delete killed it: its exit, a pending stop's reply */
	ct_free(a, c);
	agent_send(a, agent_reply_ok(r->id, NULL));
}
