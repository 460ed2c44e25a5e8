/* Container lifecycle on the runtime side: create (and run), and destroy. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "caps.h"
#include "cgroup.h"
#include "console.h"
#include "foreground.h"
#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "mounts.h"
#include "namespaces.h"
#include "seccomp.h"
#include "sync.h"
#include "validate.h"

/* Everything a half-made container holds, released in reverse on failure. */
struct creation {
	const struct create_opts *o;
	struct oci_config c;
	struct ct_state st;
	char *dir;
	char *cgroup;
	void *seccomp;
	pid_t pid;
	int sync_fd;
	int console_fd;     /* our end: the console socket, or the relay socketpair */
	int relay_master;   /* foreground run with a terminal: the pty master */
	int fifo_fd;
	int signal_fd;      /* foreground run: signals to forward, blocked before the clone */
	sigset_t old_mask;
};

char *container_state_text(const struct ct_state *st, enum ct_status s)
{
	struct json_object *o = state_to_oci_json(st, s);
	char *text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));

	json_object_put(o);
	return text;
}

int write_pid_file(const char *path, pid_t pid, struct rt_err *e)
{
	char buf[32];

	if (!path)
		return 0;
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return write_file_atomic(path, buf, strlen(buf), e);
}

static int load_bundle(struct creation *cr, struct rt_err *e)
{
	char real[PATH_MAX];
	cleanup_free char *cfg = NULL, *root = NULL;

	if (!realpath(cr->o->bundle, real))
		return rt_fail(e, errno, "bundle %s", cr->o->bundle);
	cr->st.bundle = xstrdup(real);
	cfg = xasprintf("%s/config.json", real);
	if (config_load(cfg, &cr->c, e) < 0 || config_validate(&cr->c, e) < 0)
		return -1;
	/* Outside a new user namespace the container can hold no capability we lack:
	 * refuse it now rather than let the init die at capset after start. */
	if (cr->c.process.has_caps && !config_has_namespace(&cr->c, CLONE_NEWUSER) &&
	    caps_check_grantable(&cr->c.process.caps, e) < 0)
		return -1;
	root = cr->c.root_path[0] == '/' ? xstrdup(cr->c.root_path)
					 : xasprintf("%s/%s", real, cr->c.root_path);
	if (!realpath(root, real))
		return rt_fail(e, errno, "root.path: rootfs %s", root);
	cr->st.rootfs = xstrdup(real);
	return seccomp_decode(cr->c.seccomp, &cr->seccomp, e);
}

static int check_terminal(struct creation *cr, struct rt_err *e)
{
	if (!cr->c.process.terminal) {
		if (cr->o->console_socket)
			return rt_fail(e, 0, "--console-socket given but process.terminal is false");
		return 0;
	}
	return console_open(cr->o->console_socket,
			    cr->o->mode != MODE_RUN ?
				    "process.terminal is true: a detached container needs --console-socket" :
				    NULL,
			    &cr->console_fd, &cr->relay_master, e);
}

static int claim_state_dir(struct creation *cr, struct rt_err *e)
{
	const char *text;

	if (mkdir_p(cr->o->root, 0711, e) < 0)
		return -1;
	cr->dir = state_dir(cr->o->root, cr->o->id);
	if (mkdir(cr->dir, 0711) < 0) {
		int err = errno;

		free(cr->dir);
		cr->dir = NULL;
		if (err == EEXIST)
			return rt_fail(e, 0, "container with id %s already exists", cr->o->id);
		return rt_fail(e, err, "create state directory");
	}
	cleanup_free char *copy = xasprintf("%s/config.json", cr->dir);
	text = json_object_to_json_string_ext(cr->c.json, JSON_C_TO_STRING_PLAIN);
	return write_file(copy, text, strlen(text), e);
}

static int make_fifo(struct creation *cr, struct rt_err *e)
{
	cleanup_free char *path = xasprintf("%s/%s", cr->dir, EXEC_FIFO);

	if (cr->o->mode != MODE_CREATE)
		return 0;
	if (mkfifo(path, 0600) < 0)
		return rt_fail(e, errno, "mkfifo %s", path);
	cr->fifo_fd = open(path, O_RDWR | O_CLOEXEC);
	if (cr->fifo_fd < 0)
		return rt_fail(e, errno, "open %s", path);
	return 0;
}

static bool has_hooks(const struct oci_config *c, enum hook_kind a, enum hook_kind b)
{
	return c->n_hooks[a] || c->n_hooks[b];
}

static pid_t clone_container(struct creation *cr, int child_sync, struct rt_err *e)
{
	unsigned long flags = ns_new_flags(&cr->c) & ~(unsigned long)CLONE_NEWCGROUP;
	cleanup_close int cgfd = open(cr->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
	pid_t pid;

	if (cgfd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgfd;
	}
	pid = (pid_t)syscall(SYS_clone3, &args, CLONE_ARGS_SIZE_VER2);
	if (pid < 0 && cgfd >= 0 && (errno == EINVAL || errno == EOPNOTSUPP)) {
		args.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		pid = (pid_t)syscall(SYS_clone3, &args, CLONE_ARGS_SIZE_VER2);
		if (pid > 0 && cgroup_add_pid(cr->cgroup, pid, e) < 0)
			return pid; /* caller notices the error */
	}
	if (pid < 0)
		return rt_fail(e, errno, "clone the container process");
	if (pid == 0) {
		struct init_ctx x = {
			.c = &cr->c, .rootfs = cr->st.rootfs, .cgroup_dir = cr->cgroup,
			.seccomp = cr->seccomp, .sync_fd = child_sync, .fifo_fd = cr->fifo_fd,
			.console_fd = cr->console_fd,
			.no_pivot = cr->o->no_pivot,
			.keyring_name = cr->o->no_new_keyring ? NULL : cr->o->id,
			.userns_new = (flags & CLONE_NEWUSER) != 0,
			.cgroupns_new = (ns_new_flags(&cr->c) & CLONE_NEWCGROUP) != 0,
			.runtime_hooks = has_hooks(&cr->c, HOOK_PRESTART, HOOK_CREATE_RUNTIME) ||
					 has_hooks(&cr->c, HOOK_CREATE_CONTAINER,
						   HOOK_START_CONTAINER),
			.state_json = "{}",
		};

		close(cr->sync_fd);
		if (cr->relay_master >= 0)
			close(cr->relay_master);
		init_main(&x);
	}
	return pid;
}

static int join_pid_ns_by_path(const struct oci_config *c, struct rt_err *e)
{
	const struct oci_namespace *ns = config_namespace(c, CLONE_NEWPID);
	cleanup_close int fd = -1;

	if (!ns || !ns->path)
		return 0;
	fd = open(ns->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWPID) < 0)
		return rt_fail(e, errno, "linux.namespaces: join pid namespace %s", ns->path);
	return 0;
}

static int spawn(struct creation *cr, struct rt_err *e)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_fail(e, errno, "socketpair");
	cr->sync_fd = sv[0];
	if (join_pid_ns_by_path(&cr->c, e) < 0) {
		close(sv[1]);
		return -1;
	}
	cr->pid = clone_container(cr, sv[1], e);
	close(sv[1]);
	if (cr->console_fd >= 0 && cr->relay_master < 0) {
		close(cr->console_fd);
		cr->console_fd = -1;
	}
	return cr->pid < 0 ? -1 : 0;
}

static int write_oom_score(pid_t pid, int adj, struct rt_err *e)
{
	char path[64], buf[16];

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	snprintf(buf, sizeof(buf), "%d", adj);
	if (write_file_str(path, buf, e) < 0)
		return rt_fail(e, e->errnum, "process.oomScoreAdj: cannot set %d", adj);
	return 0;
}

static int release_child(struct creation *cr, struct rt_err *e)
{
	const struct oci_config *c = &cr->c;

	if (config_has_namespace(c, CLONE_NEWUSER) && !config_namespace(c, CLONE_NEWUSER)->path &&
	    (idmap_write(cr->pid, "uid_map", c->uid_maps, c->n_uid_maps, e) < 0 ||
	     idmap_write(cr->pid, "gid_map", c->gid_maps, c->n_gid_maps, e) < 0))
		return -1;
	if (c->process.has_oom_score_adj &&
	    write_oom_score(cr->pid, c->process.oom_score_adj, e) < 0)
		return -1;
	if (sync_send(cr->sync_fd, SYNC_GO, NULL) < 0)
		return rt_fail(e, errno, "container init exited during setup");
	return 0;
}

static void fill_state(struct creation *cr)
{
	char created[64];

	iso8601_now(created, sizeof(created));
	cr->st.id = xstrdup(cr->o->id);
	cr->st.pid = cr->pid;
	cr->st.start_time = proc_start_time(cr->pid);
	cr->st.created = xstrdup(created);
	cr->st.cgroup = xstrdup(cr->cgroup ? cr->cgroup : "");
	cr->st.owner = getuid();
	if (cr->c.annotations)
		cr->st.annotations = json_object_get(cr->c.annotations);
}

/* Answers the init's requests until it says READY. */
static int drive_setup(struct creation *cr, struct rt_err *e)
{
	struct sync_msg m;

	for (;;) {
		int t = sync_recv(cr->sync_fd, &m);

		if (t == SYNC_READY)
			return 0;
		if (t == SYNC_ERROR) {
			e->errnum = m.errnum;
			snprintf(e->msg, sizeof(e->msg), "%s", m.text);
			return -1;
		}
		if (t != SYNC_HOOKS_REQ)
			return rt_fail(e, 0, "container init exited during setup");
		cleanup_free char *state = container_state_text(&cr->st, ST_CREATING);
		if (hooks_run(&cr->c, HOOK_PRESTART, state, e) < 0 ||
		    hooks_run(&cr->c, HOOK_CREATE_RUNTIME, state, e) < 0)
			return -1;
		if (sync_send_text(cr->sync_fd, SYNC_HOOKS_DONE, state) < 0)
			return rt_fail(e, 0, "container init exited during setup");
	}
}

static int create_steps(struct creation *cr, struct rt_err *e)
{
	if (load_bundle(cr, e) < 0 || check_terminal(cr, e) < 0 || claim_state_dir(cr, e) < 0)
		return -1;
	cr->cgroup = cgroup_path_for(&cr->c, cr->o->id, e);
	if (!cr->cgroup)
		return -1;
	if (cgroup_create(cr->cgroup, &cr->c.resources, e) < 0) {
		free(cr->cgroup);
		cr->cgroup = NULL;
		return -1;
	}
	if (make_fifo(cr, e) < 0 || spawn(cr, e) < 0)
		return -1;
	fill_state(cr);
	if (release_child(cr, e) < 0 || drive_setup(cr, e) < 0)
		return -1;
	if (cr->relay_master >= 0 && console_relay_take(&cr->relay_master, e) < 0)
		return -1;
	if (state_save(cr->o->root, &cr->st, e) < 0 ||
	    write_pid_file(cr->o->pid_file, cr->pid, e) < 0)
		return -1;
	return 0;
}

static void abort_creation(struct creation *cr)
{
	if (cr->pid > 0) {
		kill(cr->pid, SIGKILL);
		waitpid(cr->pid, NULL, 0);
	}
	if (cr->cgroup)
		cgroup_destroy(cr->cgroup, NULL);
	rootfs_release(&cr->c, cr->st.rootfs);
	if (cr->dir)
		rm_rf(cr->dir);
}

static void release_creation(struct creation *cr)
{
	int *fds[] = { &cr->sync_fd, &cr->console_fd, &cr->relay_master, &cr->fifo_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	if (cr->signal_fd >= 0) {
		close(cr->signal_fd);
		sigprocmask(SIG_SETMASK, &cr->old_mask, NULL);
	}
	seccomp_filter_free(cr->seccomp);
	state_free(&cr->st);
	config_free(&cr->c);
	free(cr->dir);
	free(cr->cgroup);
}

/* After READY: the init execs at once (run) and closes its end, or reports a failure. */
static int await_exec(struct creation *cr, struct rt_err *e)
{
	struct sync_msg m;
	int t = sync_recv(cr->sync_fd, &m);

	if (t == 0)
		return 0;
	if (t == SYNC_ERROR) {
		e->errnum = m.errnum;
		snprintf(e->msg, sizeof(e->msg), "%s", m.text);
		return -1;
	}
	return rt_fail(e, 0, "unexpected message from the container init");
}

static int run_started(struct creation *cr, int *status, struct rt_err *e)
{
	cleanup_free char *state = NULL;

	if (await_exec(cr, e) < 0)
		return -1;
	state = container_state_text(&cr->st, ST_RUNNING);
	hooks_run_warn(&cr->c, HOOK_POSTSTART, state);
	if (cr->o->mode != MODE_RUN)
		return 0;
	*status = fg_wait(cr->pid, cr->signal_fd, cr->relay_master);
	cr->pid = 0;
	return container_destroy(cr->o->root, &cr->st, &cr->c, e);
}

int container_create(const struct create_opts *o, int *status, struct rt_err *e)
{
	struct creation cr = { .o = o, .sync_fd = -1, .console_fd = -1, .relay_master = -1,
			       .fifo_fd = -1 };
	int r = -1;

	*status = 0;
	if (validate_id(o->id, e) < 0)
		return -1;
	cr.signal_fd = o->mode == MODE_RUN ? fg_block_signals(&cr.old_mask) : -1;
	if (create_steps(&cr, e) < 0)
		goto fail;
	if (o->mode == MODE_CREATE) {
		r = 0;
		goto out;
	}
	if (run_started(&cr, status, e) < 0)
		goto fail;
	r = 0;
	goto out;
fail:
	abort_creation(&cr);
out:
	release_creation(&cr);
	return r;
}

int container_load(const char *root, const char *id, struct ct_state *st,
		   struct oci_config *c, struct rt_err *e)
{
	cleanup_free char *cfg = xasprintf("%s/%s/config.json", root, id);

	if (validate_id(id, e) < 0 || state_load(root, id, st, e) < 0)
		return -1;
	if (c && config_load(cfg, c, e) < 0) {
		state_free(st);
		return -1;
	}
	return 0;
}

int container_lock(const char *root, const char *id)
{
	cleanup_free char *dir = NULL;
	int fd;

	if (validate_id(id, NULL) < 0)
		return -1;
	dir = state_dir(root, id);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int wait_pid_gone(pid_t pid, uint64_t start_time)
{
	for (int i = 0; i < 10000; i++) {
		struct timespec ts = { 0, 1000000 };

		if (!proc_alive(pid, start_time))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

int container_destroy(const char *root, const struct ct_state *st, const struct oci_config *c,
		      struct rt_err *e)
{
	cleanup_free char *dir = state_dir(root, st->id);
	cleanup_free char *state = container_state_text(st, ST_STOPPED);

	if (proc_alive(st->pid, st->start_time)) {
		kill(st->pid, SIGKILL);
		if (wait_pid_gone(st->pid, st->start_time) < 0)
			return rt_fail(e, 0, "container process %d did not exit", (int)st->pid);
	}
	if (st->cgroup && st->cgroup[0] && cgroup_destroy(st->cgroup, e) < 0)
		return -1;
	rootfs_release(c, st->rootfs);
	if (c)
		hooks_run_warn(c, HOOK_POSTSTOP, state);
	if (rm_rf(dir) < 0 && errno != ENOENT)
		return rt_fail(e, errno, "remove %s", dir);
	return 0;
}
