/* The guest agent: its state (containers, exec processes, sessions) and the parts that act on it. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_AGENT_AGENT_H
#define BULWARK_AGENT_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "codec.h"
#include "linebuf.h"
#include "logring.h"

#define AGENT_CONTAINERS_MAX 256
#define AGENT_OUTQ_MAX (1 << 20)       /* lines waiting for room on the channel */
#define AGENT_EXECS_MAX 64
/* A call to bwrun (create start kill delete) that takes longer is killed (--bwrun-timeout);
 * importing an image may take ten times as long. */
#define AGENT_BWRUN_TIMEOUT_S 30

struct agent_opts {
	const char *channel; /* --channel PATH|FD, or NULL: the virtio-console port */
	const char *channel_out; /* --channel-out PATH|FD: replies go there (a FIFO pair) */
	const char *bwrun;   /* --bwrun */
	const char *root;    /* --root: bwrun's state directory */
	const char *images;  /* --images: where the images disk is mounted */
	const char *work;    /* --work: imported images and bundles */
};

enum ct_status { CT_CREATING, CT_CREATED, CT_RUNNING, CT_STOPPED };

struct agent;
struct job;
typedef void (*job_done_fn)(struct agent *a, struct job *j);

/* A bwrun call the loop waits for (jobs.c). */
#define AGENT_EARLY_EXITS 16

struct job {
	struct job *next;
	pid_t pid;
	int out_fd;               /* its output (when captured), -1 once read to the end */
	char out[1024];
	size_t out_len;
	char what[16];            /* the bwrun command, for messages */
	int timeout_ms;
	int64_t deadline_ms;
	bool timed_out;
	int status;               /* its wait status once it has ended */
	job_done_fn done;
	/* the operation it is part of */
	struct agent_req req;     /* a copy of the request (agent_req_copy) */
	struct container *ct;     /* the container it holds busy, or NULL */
	int lfd;                  /* create with a terminal: the console socket, or -1 */
	char *tmp;                /* import: the directory it unpacks into */
	bool keeps_exits;         /* run -d: an init may be reaped before it ends (reap.c) */
};

struct container {
	struct container *next;
	char name[AGENT_NAME_MAX + 1];
	char image[AGENT_NAME_MAX + 1];
	char *bundle;
	enum ct_status status;
	pid_t pid;                 /* its init while it runs, 0 once it has exited */
	pid_t init_pid;            /* the same, kept: start's reply when it exited at once */
	int64_t created;
	struct agent_exit exit;
	int out_fd, in_fd;         /* the container's stdio, our ends; -1 once closed */
	struct agent_logring log;
	int64_t session;           /* attached session, 0 if none */
	struct job *busy;          /* a bwrun call on it is under way: no other may start */
	int64_t stop_id;           /* a stop waiting for the exit (its request id), 0 if none */
	int64_t stop_deadline_ms;
	bool stop_killed;
};

struct execproc {
	struct execproc *next;
	pid_t pid;                 /* the bwrun exec process */
	char name[AGENT_NAME_MAX + 1];
	int64_t id;                /* request to answer when it ends (not attached), or 0 */
	int64_t session;           /* attached session, or 0 */
	int out_fd, err_fd, in_fd;
	char out[AGENT_EXEC_OUT_MAX], err[AGENT_EXEC_OUT_MAX];
	size_t out_len, err_len;
	bool truncated;
};

/* The agent's nice value: a guest busy with containers still gets its answers out first. */
#define AGENT_NICE (-10)

struct agent {
	struct agent_opts o;
	int chan_fd;
	int chan_out_fd;  /* where lines are sent: chan_fd, or --channel-out */
	char *outq;       /* lines not yet taken by the channel, AGENT_OUTQ_MAX at most */
	size_t outq_len;
	bool chan_is_fd;  /* --channel FD or a path: EOF ends the agent (init restarts it) */
	bool hello_done;
	int sig_fd;
	int null_fd;      /* /dev/null, for a child's stdio given as -1 */
	struct agent_linebuf lb;
	struct container *cts;
	size_t n_cts;
	struct job *jobs;
	struct execproc *execs;
	size_t n_execs;
	int64_t next_session;
	int bwrun_timeout_ms; /* --bwrun-timeout S */
	char cgroup_mnt[256];
	char bwrun_version[256];
	/* Exits of children no one knew while a bwrun run -d was under way: the init of a
	 * container that ended before bwrun did is reparented to us and may be reaped before
	 * bwrun itself, that is before its pid file is read (reap.c). */
	struct { pid_t pid; int status; } early[AGENT_EARLY_EXITS];
	size_t n_early;
};

/* send.c: queues one line (and frees it) and writes what the channel takes now; the loop
 * writes the rest as the channel has room. */
void agent_send(struct agent *a, char *line);
void agent_flush(struct agent *a);

/* main.c */
int64_t agent_now_ms(void);

/* channel.c: opens the channel (blocks, retrying, until the virtio port appears). */
int channel_open(struct agent *a);

/* spawn.c: bwrun as a child, fds 0..2 given (-1: /dev/null), others closed. */
pid_t spawn_bwrun(const struct agent *a, const char *const *argv, int in, int out, int err);
/* Runs bwrun to its end within timeout_ms (killed then) and keeps the first line of its output
 * (out or err given as -1) in msg. 0 when it exited 0; -1 and msg saying why otherwise. */
int bwrun_call(struct agent *a, const char *const *argv, int in, int out, int err, int timeout_ms,
	       char *msg, size_t msg_size);
/* Reaps every child that ended: container inits, exec processes (see reap.c). */
void reap_children(struct agent *a);
/* An exit reap_children kept for pid while a run -d job was under way: true and its wait
 * status in *status (the entry is dropped); false if there is none. */
bool reap_claim(struct agent *a, pid_t pid, int *status);

/* jobs.c */
struct job *job_start(struct agent *a, const char *const *argv, int in, int out, bool capture,
		      int timeout_ms, job_done_fn done);
void job_read(struct agent *a, struct job *j);
bool job_ok(const struct job *j);
void job_message(const struct job *j, char *msg, size_t size);
void job_exited(struct agent *a, struct job *j, int status);
void jobs_check_deadlines(struct agent *a);
int64_t jobs_next_deadline(const struct agent *a);

/* containers.c */
/* The containers a predecessor left (their bundles under --work): deleted, since their stdio
 * cannot be taken over. */
void ct_remove_orphans(struct agent *a);
struct container *ct_find(struct agent *a, const char *name);
void ct_exited(struct agent *a, struct container *c, int wstatus);
void ct_read_output(struct agent *a, struct container *c, int fd);
void ct_check_stops(struct agent *a);
int64_t ct_next_deadline(struct agent *a);

/* execs.c */
void exec_read_output(struct agent *a, struct execproc *x, int fd);
void exec_exited(struct agent *a, struct execproc *x, int wstatus);

/* ops_*.c: each answers its request (now, or later for stop and exec). */
void op_dispatch(struct agent *a, const struct agent_req *r);
void op_hello(struct agent *a, const struct agent_req *r);
void op_images(struct agent *a, const struct agent_req *r);
void op_create(struct agent *a, const struct agent_req *r);
void op_start(struct agent *a, const struct agent_req *r);
void op_run(struct agent *a, const struct agent_req *r);
void op_kill(struct agent *a, const struct agent_req *r);
void op_stop(struct agent *a, const struct agent_req *r);
void op_delete(struct agent *a, const struct agent_req *r);
void op_list(struct agent *a, const struct agent_req *r);
void op_state(struct agent *a, const struct agent_req *r);
void op_logs(struct agent *a, const struct agent_req *r);
void op_stats(struct agent *a, const struct agent_req *r);
void op_exec(struct agent *a, const struct agent_req *r);
void op_input(struct agent *a, const struct agent_req *r);
void op_detach(struct agent *a, const struct agent_req *r);

/* images.c */
/* The image NAME on the images disk: its path, or NULL (ENOENT). */
char *image_path(const struct agent *a, const char *name);
/* Where image NAME is (or will be) imported: WORK/images/NAME. */
char *image_base(const struct agent *a, const char *name);
/* Starts `bwrun import` of image NAME into a directory of its own (j->tmp); image_imported()
 * moves it into place once the job has ended well. */
struct job *image_import(struct agent *a, const char *name, job_done_fn done);
int image_imported(struct job *j, const char *name, const struct agent *a, char *msg, size_t size);

/* bundle.c: writes BUNDLE/config.json from the base bundle's, with the request's args, env and
 * limits. 0, or -1 and msg. */
int bundle_write(const char *base, const char *bundle, const struct agent_req *r, char *msg,
		 size_t msg_size);

/* tty.c: a console socket for `bwrun create` or `bwrun run -d`, and the pty master it brings. */
int tty_listen(const char *path);
int tty_receive(int listen_fd, int timeout_ms);

/* cgstats.c */
int cg_stats(const struct agent *a, const char *name, struct agent_stats *s);
uint64_t cg_oom_kills(const struct agent *a, const char *name);

/* util */
int rm_rf(const char *path);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
