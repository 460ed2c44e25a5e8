/* Command exec: a new process joining a running container's namespaces and cgroup. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "caps.h"
#include "commands.h"
#include "console.h"
#include "container.h"
#include "foreground.h"
#include "namespaces.h"
#include "process.h"
#include "seccomp.h"
#include "sync.h"

struct exec_opts {
	const char *process_file;
	const char *console_socket;
	const char *pid_file;
	const char *cwd;
	const char *user;
	char **env;            /* -e additions */
	size_t n_env;
	char **caps;           /* --cap additions */
	size_t n_caps;
	bool tty, detach, no_new_privs;
	char **args;
};

struct exec_run {
	struct oci_process p;
	void *seccomp;
	struct ns_fds ns;
	int sync_fd;
	int console_fd;
	int relay;
	pid_t pid;
	const char *chroot_dir;  /* the container shares our mount namespace: its rootfs */
};

static int parse_user(const char *s, struct oci_process *p, struct rt_err *e)
{
	char *end;
	unsigned long uid = strtoul(s, &end, 10), gid = 0;

	if (end == s || (*end && *end != ':'))
		return rt_fail(e, 0, "--user \"%s\": expected UID[:GID]", s);
	if (*end == ':') {
		const char *g = end + 1;

		gid = strtoul(g, &end, 10);
		if (end == g || *end)
			return rt_fail(e, 0, "--user \"%s\": expected UID[:GID]", s);
	}
	p->uid = (uint32_t)uid;
	p->gid = (uint32_t)gid;
	return 0;
}

static char **strv_concat(char **a, char **b, size_t nb)
{
	size_t na = strv_len(a);
	char **v = xcalloc(na + nb + 1, sizeof(char *));

	for (size_t i = 0; i < na; i++)
		v[i] = xstrdup(a[i]);
	for (size_t i = 0; i < nb; i++)
		v[na + i] = xstrdup(b[i]);
	return v;
}

/* The process: a --process file, or the container's process with overrides. */
static int build_process(const struct exec_opts *o, const struct oci_config *c,
			 struct oci_process *p, struct rt_err *e)
{
	const struct oci_process *base = &c->process;

	if (o->process_file) {
		cleanup_free char *text = NULL;
		struct json_object *j;
		int r;

		if (read_file(o->process_file, &text, NULL, e) < 0)
			return -1;
		j = json_tokener_parse(text);
		if (!j)
			return rt_fail(e, 0, "%s: not valid JSON", o->process_file);
		r = config_parse_process(j, p, e);
		json_object_put(j);
		return r;
	}
	memset(p, 0, sizeof(*p));
	p->args = strv_concat(o->args, NULL, 0);
	p->env = strv_concat(base->env, o->env, o->n_env);
	p->cwd = o->cwd ? o->cwd : base->cwd;
	p->uid = base->uid;
	p->gid = base->gid;
	p->terminal = o->tty;
	p->has_caps = base->has_caps;
	p->caps = base->caps;
	p->no_new_privileges = base->no_new_privileges || o->no_new_privs;
	for (size_t i = 0; i < o->n_caps; i++) {
		int cap = cap_from_name(o->caps[i]);

		if (cap < 0)
			return rt_fail(e, 0, "--cap: unknown capability %s", o->caps[i]);
		p->caps.bounding |= 1ULL << cap;
		p->caps.effective |= 1ULL << cap;
		p->caps.permitted |= 1ULL << cap;
	}
	return o->user ? parse_user(o->user, p, e) : 0;
}

__attribute__((noreturn)) static void exec_child(struct exec_run *x)
{
	struct rt_err e = { 0 };
	sigset_t none;
	char *exe;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (ns_enter(&x->ns, &e) < 0 || process_set_rlimits(&x->p, &e) < 0)
		goto fail;
	if (x->chroot_dir && (chdir(x->chroot_dir) < 0 || chroot(".") < 0)) {
		rt_fail(&e, errno, "chroot %s", x->chroot_dir);
		goto fail;
	}
	if (chdir(x->p.cwd) < 0) {
		rt_fail(&e, errno, "cwd: chdir %s", x->p.cwd);
		goto fail;
	}
	exe = process_find_exec(&x->p, &e);
	if (!exe)
		goto fail;
	if (x->console_fd >= 0 && console_setup_pty(x->console_fd, &e) < 0)
		goto fail;
	if (x->console_fd >= 0)
		close(x->console_fd);
	process_exec(&x->p, exe, x->seccomp, &e);
fail:
	sync_send(x->sync_fd, SYNC_ERROR, &e);
	_exit(127);
}

static int join_pid_ns(struct exec_run *x, struct rt_err *e)
{
	for (int i = 0; i < x->ns.n; i++)
		if (x->ns.flag[i] == CLONE_NEWPID && setns(x->ns.fd[i], CLONE_NEWPID) < 0)
			return rt_fail(e, errno, "join the container's pid namespace");
	return 0;
}

static int spawn_exec(struct exec_run *x, const struct ct_state *st, struct rt_err *e)
{
	cleanup_close int cgfd = st->cgroup[0] ? open(st->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	struct clone_args args = { .exit_signal = SIGCHLD };
	int sv[2];

	if (join_pid_ns(x, e) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_fail(e, errno, "socketpair");
	if (cgfd >= 0) {
		args.flags = CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgfd;
	}
	x->pid = (pid_t)syscall(SYS_clone3, &args, CLONE_ARGS_SIZE_VER2);
	if (x->pid == 0) {
		close(sv[0]);
		x->sync_fd = sv[1];
		exec_child(x);
	}
	close(sv[1]);
	x->sync_fd = sv[0];
	if (x->pid < 0)
		return rt_fail(e, errno, "clone the exec process");
	return 0;
}

static int await_exec(struct exec_run *x, struct rt_err *e)
{
	struct sync_msg m;
	int t = sync_recv(x->sync_fd, &m);

	if (t == 0)
		return 0;
	e->errnum = m.errnum;
	snprintf(e->msg, sizeof(e->msg), "%s", t == SYNC_ERROR ? m.text : "exec failed");
	return -1;
}

static int setup_terminal(const struct exec_opts *o, struct exec_run *x, struct rt_err *e)
{
	if (!x->p.terminal)
		return 0;
	return console_open(o->console_socket,
			    o->detach ? "--tty with --detach needs --console-socket" : NULL,
			    &x->console_fd, &x->relay, e);
}

static int exec_in(const struct exec_opts *o, const char *root, const char *id, int *status,
		   struct rt_err *e)
{
	struct exec_run x = { .sync_fd = -1, .console_fd = -1, .relay = -1 };
	struct ct_state st;
	struct oci_config c;
	sigset_t old;
	int sfd = -1, r = -1;

	if (container_load(root, id, &st, &c, e) < 0)
		return -1;
	if (status_allows(OP_EXEC, state_status(root, &st), id, e) < 0 ||
	    build_process(o, &c, &x.p, e) < 0 || seccomp_decode(c.seccomp, &x.seccomp, e) < 0 ||
	    setup_terminal(o, &x, e) < 0 || ns_open_of_pid(st.pid, &x.ns, e) < 0)
		goto out;
	if (!x.p.args || !x.p.args[0]) {
		rt_fail(e, 0, "exec: no command given");
		goto out;
	}
	if (x.p.has_caps && !config_has_namespace(&c, CLONE_NEWUSER) &&
	    caps_check_grantable(&x.p.caps, e) < 0)
		goto out;
	if (!config_has_namespace(&c, CLONE_NEWNS))
		x.chroot_dir = st.rootfs;
	if (!o->detach)
		sfd = fg_block_signals(&old);
	if (spawn_exec(&x, &st, e) < 0 || await_exec(&x, e) < 0)
		goto out;
	if (x.relay >= 0)
		console_relay_take(&x.relay, e); /* without it the command runs on, unrelayed */
	if (write_pid_file(o->pid_file, x.pid, e) < 0)
		goto out;
	*status = o->detach ? 0 : fg_wait(x.pid, sfd, x.relay);
	x.pid = 0;
	r = 0;
out:
	if (x.pid > 0 && r < 0) {
		kill(x.pid, SIGKILL);
		waitpid(x.pid, NULL, 0);
	}
	if (sfd >= 0) {
		close(sfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	ns_close(&x.ns);
	seccomp_filter_free(x.seccomp);
	process_free(&x.p);
	state_free(&st);
	config_free(&c);
	return r;
}

static void push(char ***v, size_t *n, char *s)
{
	*v = realloc(*v, (*n + 2) * sizeof(char *));
	if (!*v)
		abort();
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

int cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "process", required_argument, 0, 'p' }, { "tty", no_argument, 0, 't' },
		{ "detach", no_argument, 0, 'd' },        { "cwd", required_argument, 0, 'w' },
		{ "env", required_argument, 0, 'e' },     { "user", required_argument, 0, 'u' },
		{ "cap", required_argument, 0, 'c' },     { "pid-file", required_argument, 0, 'P' },
		{ "console-socket", required_argument, 0, 's' },
		{ "no-new-privs", no_argument, 0, 'n' },  { 0, 0, 0, 0 },
	};
	struct exec_opts o = { 0 };
	struct rt_err e = { 0 };
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:tdw:e:u:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.process_file = optarg; break;
		case 't': o.tty = true; break;
		case 'd': o.detach = true; break;
		case 'w': o.cwd = optarg; break;
		case 'e': push(&o.env, &o.n_env, optarg); break;
		case 'u': o.user = optarg; break;
		case 'c': push(&o.caps, &o.n_caps, optarg); break;
		case 'P': o.pid_file = optarg; break;
		case 's': o.console_socket = optarg; break;
		case 'n': o.no_new_privs = true; break;
		default: return cmd_usage_error(ctx, "unknown option");
		}
	}
	if (optind >= argc)
		return cmd_usage_error(ctx, "expected a container id");
	o.args = argv + optind + 1;
	if (!o.process_file && !o.args[0])
		return cmd_usage_error(ctx, "expected a command to run (or --process)");
	if (exec_in(&o, ctx->root, argv[optind], &status, &e) < 0) {
		rt_err_print(&e);
		status = 1;
	}
	free(o.env);
	free(o.caps);
	return status;
}
