/* The container lifecycle: create, start, run, kill, stop, delete, each through bwrun calls the
 * loop waits for (jobs.c), so that no container's call holds up another's. */
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
#include <sys/wait.h>
#include <json-c/json.h>

#define REPLY_ERR(a, id, code, ...) agent_send((a), agent_reply_error((id), (code), __VA_ARGS__))

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

/* A job on container c for request r, holding c busy until it ends. */
static struct job *ct_job(struct agent *a, struct container *c, const struct agent_req *r,
			  const char *const *argv, int in, int out, bool capture, job_done_fn done)
{
	struct job *j = job_start(a, argv, in, out, capture, a->bwrun_timeout_ms, done);

	if (!j)
		return NULL;
	if (r && agent_req_copy(&j->req, r) < 0) {
		/* the job runs on; its end finds no request to answer */
		memset(&j->req, 0, sizeof(j->req));
	}
	j->ct = c;
	c->busy = j;
	return j;
}

/* The init of a container bwrun has just killed is a zombie of ours: its exit now. */
static void reap_init(struct agent *a, struct container *c)
{
	int status;

	for (int i = 0; i < 100 && c->status != CT_STOPPED && c->pid > 0; i++) {
		pid_t p = waitpid(c->pid, &status, WNOHANG);
		if (p == c->pid)
			ct_exited(a, c, status);
		else if (p < 0)
			break;
		else
			usleep(10000);
	}
}

/* ---- removal after a failure, and delete */

static void free_done(struct agent *a, struct job *j)
{
	reap_init(a, j->ct);
	ct_free(a, j->ct);
}

/* A container whose creation failed: bwrun delete -f, then it is gone. */
static void discard(struct agent *a, struct container *c)
{
	const char *argv[] = { "delete", "-f", c->name, NULL };

	c->status = CT_CREATING; /* hidden from list until it is gone */
	if (!ct_job(a, c, NULL, argv, -1, -1, true, free_done))
		ct_free(a, c);
}

static void delete_done(struct agent *a, struct job *j)
{
	struct container *c = j->ct;
	char msg[512];

	c->busy = NULL;
	if (!job_ok(j)) {
		job_message(j, msg, sizeof(msg));
		REPLY_ERR(a, j->req.id, "EIO", "%s", msg);
		return;
	}
	reap_init(a, c); /* a forced delete killed it: its exit event, a pending stop's reply */
	ct_free(a, c);
	agent_send(a, agent_reply_ok(j->req.id, NULL));
}

/* ---- create and start */

static void reply_started(struct agent *a, int64_t id, struct container *c)
{
	struct json_object *res = json_object_new_object();

	json_object_object_add(res, "name", json_object_new_string(c->name));
	json_object_object_add(res, "state", json_object_new_string("running"));
	json_object_object_add(res, "pid", json_object_new_int(c->init_pid));
	if (c->session)
		json_object_object_add(res, "session", json_object_new_int64(c->session));
	agent_send(a, agent_reply_ok(id, res));
}

static void start_done(struct agent *a, struct job *j)
{
	struct container *c = j->ct;
	char msg[512];

	c->busy = NULL;
	if (job_ok(j)) {
		if (c->status == CT_CREATED) /* not already exited and reaped */
			c->status = CT_RUNNING;
		reply_started(a, j->req.id, c);
		return;
	}
	job_message(j, msg, sizeof(msg));
	REPLY_ERR(a, j->req.id, "EIO", "%s", msg);
}

static void start(struct agent *a, struct container *c, const struct agent_req *r)
{
	const char *argv[] = { "start", c->name, NULL };

	if (!ct_job(a, c, r, argv, -1, -1, true, start_done))
		REPLY_ERR(a, r->id, "EIO", "cannot start bwrun: %s", strerror(errno));
}

/* bwrun run -d has ended with the init running its program, or already past it: an init that
 * ended before bwrun did came to us when bwrun exited, and may have been reaped before this. */
static void run_done(struct agent *a, struct container *c, const struct agent_req *r)
{
	int status;

	c->status = CT_RUNNING;
	reply_started(a, r->id, c);
	if (reap_claim(a, c->pid, &status))
		ct_exited(a, c, status);
}

static void create_done(struct agent *a, struct job *j)
{
	struct container *c = j->ct;
	char msg[512] = "", *log = xasprintf("%s/bwrun.log", c->bundle);
	char *pidfile = xasprintf("%s/pid", c->bundle);
	FILE *f;

	c->busy = NULL;
	if (job_ok(j) && j->lfd >= 0) {
		/* A terminal: the pty master came over the console socket; it is both the
		 * container's output and its input. */
		c->out_fd = tty_receive(j->lfd, 5000);
		if (c->out_fd >= 0)
			c->in_fd = fcntl(c->out_fd, F_DUPFD_CLOEXEC, 3);
		else
			snprintf(msg, sizeof(msg), "no terminal came over the console socket");
	}
	if (c->out_fd >= 0)
		fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
	if (c->in_fd >= 0)
		fcntl(c->in_fd, F_SETFL, O_NONBLOCK);
	if (job_ok(j) && !msg[0] && (f = fopen(pidfile, "re"))) {
		if (fscanf(f, "%d", &c->pid) != 1)
			c->pid = 0;
		fclose(f);
	}
	if (!job_ok(j) || msg[0] || c->pid <= 0) {
		if (!msg[0])
			job_message(j, msg, sizeof(msg));
		first_log_line(log, msg, sizeof(msg)); /* bwrun's own words, if it wrote any */
		REPLY_ERR(a, j->req.id, "EIO", "bwrun %s: %s", j->what, msg);
		c->pid = 0;
		discard(a, c);
	} else {
		c->status = CT_CREATED;
		c->init_pid = c->pid;
		c->created = (int64_t)time(NULL);
		if (j->req.op == AGENT_OP_RUN) {
			run_done(a, c, &j->req);
		} else {
			struct json_object *res = json_object_new_object();
			json_object_object_add(res, "name", json_object_new_string(c->name));
			json_object_object_add(res, "state", json_object_new_string("created"));
			agent_send(a, agent_reply_ok(j->req.id, res));
		}
	}
	if (j->keeps_exits) {
		bool more = false;
		for (struct job *o = a->jobs; o; o = o->next)
			more |= o->keeps_exits;
		if (!more) /* what is kept now is no init of ours */
			a->n_early = 0;
	}
	free(log);
	free(pidfile);
}

/* The bundle is written: bwrun create, with pipes or a console socket for its stdio. */
static void create(struct agent *a, struct container *c, const struct agent_req *r)
{
	char msg[512] = "", *base = image_base(a, r->image);
	char *log = xasprintf("%s/bwrun.log", c->bundle), *pidfile = xasprintf("%s/pid", c->bundle);
	char *sock = xasprintf("%s/console.sock", c->bundle);
	int outp[2] = { -1, -1 }, inp[2] = { -1, -1 }, lfd = -1;
	struct job *j = NULL;
	/* run is one bwrun process, run -d (the container's init started, bwrun gone), rather
	 * than create and then start; create stops before the init's exec, as the protocol has
	 * it. "--" ends the options when there is no -d. */
	bool run = r->op == AGENT_OP_RUN;
	const char *verb = run ? "run" : "create", *detach = run ? "-d" : "--";

	if (bundle_write(base, c->bundle, r, msg, sizeof(msg)) < 0) {
		/* nothing of it is in bwrun yet */
	} else if (r->tty) {
		const char *argv[] = { "--log", log, verb, "-b", c->bundle, "--console-socket",
				       sock, "--pid-file", pidfile, detach, c->name, NULL };
		lfd = tty_listen(sock);
		if (lfd < 0)
			snprintf(msg, sizeof(msg), "console socket %s: %s", sock, strerror(errno));
		else if (!(j = ct_job(a, c, r, argv, -1, -1, true, create_done)))
			snprintf(msg, sizeof(msg), "cannot start bwrun: %s", strerror(errno));
		else
			j->lfd = lfd;
	} else {
		/* The container's stdio: a pipe the loop watches (bwrun create passes a
		 * non-terminal process the fds it inherits, as runc does); stdout and stderr
		 * share it, so the log keeps them in the order they were written. */
		const char *argv[] = { "--log", log, verb, "-b", c->bundle, "--pid-file",
				       pidfile, detach, c->name, NULL };
		if (pipe2(outp, O_CLOEXEC) < 0 || (r->attach && pipe2(inp, O_CLOEXEC) < 0))
			snprintf(msg, sizeof(msg), "pipe: %s", strerror(errno));
		else if (!(j = ct_job(a, c, r, argv, inp[0], outp[1], false, create_done)))
			snprintf(msg, sizeof(msg), "cannot start bwrun: %s", strerror(errno));
		close_fd(&outp[1]);
		close_fd(&inp[0]);
		c->out_fd = outp[0];
		c->in_fd = inp[1];
	}
	if (j)
		j->keeps_exits = run;
	free(base);
	free(log);
	free(pidfile);
	free(sock);
	if (!j) {
		if (lfd >= 0)
			close(lfd);
		REPLY_ERR(a, r->id, "EIO", "%s", msg);
		ct_free(a, c);
	}
}

static void import_done(struct agent *a, struct job *j)
{
	struct container *c = j->ct;
	char msg[512];

	c->busy = NULL;
	if (image_imported(j, j->req.image, a, msg, sizeof(msg)) < 0) {
		REPLY_ERR(a, j->req.id, "EIO", "import %s: %s", j->req.image, msg);
		ct_free(a, c);
		return;
	}
	create(a, c, &j->req);
}

/* create and run: the name, the image, the bundle directory; the image imported first if it has
 * not been. */
static void create_or_run(struct agent *a, const struct agent_req *r)
{
	struct container *c;
	char *path = image_path(a, r->image), *base;
	struct stat st;

	if (ct_find(a, r->name)) {
		REPLY_ERR(a, r->id, "EEXIST", "a container named %s exists", r->name);
		free(path);
		return;
	}
	if (a->n_cts >= AGENT_CONTAINERS_MAX) {
		REPLY_ERR(a, r->id, "ENOSPC", "%d containers already", AGENT_CONTAINERS_MAX);
		free(path);
		return;
	}
	if (!path) {
		REPLY_ERR(a, r->id, "ENOENT", "no image named %s", r->image);
		return;
	}
	free(path);
	c = calloc(1, sizeof(*c));
	if (!c || agent_logring_init(&c->log, AGENT_LOG_MAX) < 0) {
		free(c);
		REPLY_ERR(a, r->id, "ENOSPC", "out of memory");
		return;
	}
	memcpy(c->name, r->name, sizeof(c->name));
	memcpy(c->image, r->image, sizeof(c->image));
	c->status = CT_CREATING;
	c->out_fd = c->in_fd = -1;
	c->next = a->cts;
	a->cts = c;
	a->n_cts++;
	if (r->attach) /* before it starts, so that none of its output is missed */
		c->session = a->next_session++;
	c->bundle = xasprintf("%s/containers/%s", a->o.work, r->name);
	{
		char *dir = xasprintf("%s/containers", a->o.work);
		mkdir(a->o.work, 0700);
		mkdir(dir, 0700);
		free(dir);
	}
	rm_rf(c->bundle);
	if (mkdir(c->bundle, 0700) < 0) {
		REPLY_ERR(a, r->id, "EIO", "mkdir %s: %s", c->bundle, strerror(errno));
		ct_free(a, c);
		return;
	}
	base = image_base(a, r->image);
	if (stat(base, &st) == 0) {
		create(a, c, r);
	} else {
		struct job *j = image_import(a, r->image, import_done);
		if (!j || agent_req_copy(&j->req, r) < 0) {
			if (j) { /* it runs to its end and is dropped */
				memset(&j->req, 0, sizeof(j->req));
				j->done = NULL;
			}
			REPLY_ERR(a, r->id, "EIO", "import %s: cannot start bwrun", r->image);
			ct_free(a, c);
		} else {
			j->ct = c;
			c->busy = j;
		}
	}
	free(base);
}

void op_create(struct agent *a, const struct agent_req *r)
{
	create_or_run(a, r);
}

void op_run(struct agent *a, const struct agent_req *r)
{
	create_or_run(a, r);
}

/* The container NAME, not in the middle of another bwrun call; NULL after replying. */
static struct container *idle(struct agent *a, const struct agent_req *r)
{
	struct container *c = ct_find(a, r->name);

	if (!c || c->status == CT_CREATING) {
		REPLY_ERR(a, r->id, c ? "EBUSY" : "ENOENT", c ? "container %s is being created" :
			  "no container named %s", r->name);
		return NULL;
	}
	if (c->busy) {
		REPLY_ERR(a, r->id, "EBUSY", "container %s: bwrun %s is under way", r->name,
			  c->busy->what);
		return NULL;
	}
	return c;
}

void op_start(struct agent *a, const struct agent_req *r)
{
	struct container *c = idle(a, r);

	if (!c)
		return;
	if (c->status != CT_CREATED) {
		REPLY_ERR(a, r->id, c->status == CT_RUNNING ? "EBUSY" : "EINVAL",
			  "container %s is %s, not created", c->name,
			  c->status == CT_RUNNING ? "running" : "stopped");
		return;
	}
	start(a, c, r);
}

static void kill_done(struct agent *a, struct job *j)
{
	char msg[512];

	j->ct->busy = NULL;
	if (job_ok(j)) {
		agent_send(a, agent_reply_ok(j->req.id, NULL));
		return;
	}
	job_message(j, msg, sizeof(msg));
	REPLY_ERR(a, j->req.id, "EIO", "%s", msg);
}

static struct job *send_signal(struct agent *a, struct container *c, const struct agent_req *r,
			       int sig, job_done_fn done)
{
	char num[8];
	const char *argv[] = { "kill", c->name, num, NULL };

	snprintf(num, sizeof(num), "%d", sig);
	return ct_job(a, c, r, argv, -1, -1, true, done);
}

void op_kill(struct agent *a, const struct agent_req *r)
{
	struct container *c = idle(a, r);

	if (!c)
		return;
	if (c->status == CT_STOPPED) /* a created one's init waits for start: it can be signalled */
		REPLY_ERR(a, r->id, "EINVAL", "container %s is not running", r->name);
	else if (!send_signal(a, c, r, r->signal, kill_done))
		REPLY_ERR(a, r->id, "EIO", "cannot start bwrun: %s", strerror(errno));
}

/* stop's SIGTERM (or SIGKILL) was sent, or not: the reply itself comes at the exit. This job
 * does not hold the container busy (the exit may come, and answer, before it ends), so it finds
 * the container by name. */
static void stop_signal_done(struct agent *a, struct job *j)
{
	struct container *c = ct_find(a, j->req.name);
	char msg[512];

	if (job_ok(j) || !c || c->stop_id != j->req.id)
		return; /* sent; or the exit came first and answered */
	job_message(j, msg, sizeof(msg));
	c->stop_id = 0;
	REPLY_ERR(a, j->req.id, "EIO", "%s", msg);
}

void op_stop(struct agent *a, const struct agent_req *r)
{
	struct container *c = idle(a, r);

	if (!c)
		return;
	if (c->status == CT_STOPPED) {
		struct json_object *res = json_object_new_object();
		json_object_object_add(res, "state", json_object_new_string("stopped"));
		json_object_object_add(res, "killed", json_object_new_boolean(0));
		agent_send(a, agent_reply_ok(r->id, res));
		return;
	}
	if (c->stop_id) {
		REPLY_ERR(a, r->id, "EBUSY", "container %s is already being stopped", r->name);
		return;
	}
	/* SIGTERM, then SIGKILL after timeout_s (ct_check_stops); the reply comes at the exit. */
	c->stop_killed = r->timeout_s == 0;
	c->stop_id = r->id;
	c->stop_deadline_ms = agent_now_ms() + r->timeout_s * 1000;
	{
		char num[8];
		const char *argv[] = { "kill", c->name, num, NULL };
		struct job *j;

		snprintf(num, sizeof(num), "%d", c->stop_killed ? SIGKILL : SIGTERM);
		j = job_start(a, argv, -1, -1, true, a->bwrun_timeout_ms, stop_signal_done);
		if (!j) {
			c->stop_id = 0;
			REPLY_ERR(a, r->id, "EIO", "cannot start bwrun: %s", strerror(errno));
		} else {
			j->req.id = r->id;
			memcpy(j->req.name, c->name, sizeof(j->req.name));
		}
	}
}

void op_delete(struct agent *a, const struct agent_req *r)
{
	struct container *c = idle(a, r);
	const char *argv[] = { "delete", "-f", r->name, NULL };

	if (!c)
		return;
	if (c->status == CT_RUNNING && !r->force) {
		REPLY_ERR(a, r->id, "EBUSY", "container %s is running (force deletes it)", r->name);
		return;
	}
	if (!ct_job(a, c, r, argv, -1, -1, true, delete_done))
		REPLY_ERR(a, r->id, "EIO", "cannot start bwrun: %s", strerror(errno));
}
