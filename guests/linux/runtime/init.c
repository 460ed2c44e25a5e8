/* The container's first process: from the clone to the exec of the user's program. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <linux/keyctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "console.h"
#include "hooks.h"
#include "mounts.h"
#include "namespaces.h"
#include "process.h"
#include "sync.h"

static int set_sysctls(const struct oci_config *c, struct rt_err *e)
{
	if (!c->sysctl)
		return 0;
	json_object_object_foreach(c->sysctl, key, val)
	{
		cleanup_free char *path = xasprintf("/proc/sys/%s", key);

		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		if (write_file_str(path, json_object_get_string(val), e) < 0)
			return rt_fail(e, e->errnum, "linux.sysctl.%s", key);
	}
	return 0;
}

static int set_identity(const struct oci_config *c, struct rt_err *e)
{
	if (c->hostname && c->hostname[0] && sethostname(c->hostname, strlen(c->hostname)) < 0)
		return rt_fail(e, errno, "hostname: sethostname");
	if (c->domainname && c->domainname[0] &&
	    setdomainname(c->domainname, strlen(c->domainname)) < 0)
		return rt_fail(e, errno, "domainname: setdomainname");
	return 0;
}

/* runc gives each container a session keyring of its own, named after its id, unless
 * --no-new-keyring (keyctl(2) KEYCTL_JOIN_SESSION_KEYRING); kernels without keys are fine. */
static int join_keyring(const char *name, struct rt_err *e)
{
	if (!name)
		return 0;
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0) < 0 && errno != ENOSYS)
		return rt_fail(e, errno, "join a new session keyring (try --no-new-keyring)");
	return 0;
}

static int join_and_unshare(struct init_ctx *x, struct rt_err *e)
{
	if (x->userns_new && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return rt_fail(e, errno, "become root in the user namespace (is id 0 mapped?)");
	if (ns_join_paths(x->c, CLONE_NEWPID, e) < 0)
		return -1;
	if (x->cgroupns_new && unshare(CLONE_NEWCGROUP) < 0)
		return rt_fail(e, errno, "unshare the cgroup namespace");
	return join_keyring(x->keyring_name, e);
}

/* The parent runs prestart/createRuntime and answers with the state for our hooks. */
static int run_runtime_hooks(struct init_ctx *x, struct rt_err *e)
{
	static struct sync_msg m;

	if (!x->runtime_hooks)
		return 0;
	if (sync_send(x->sync_fd, SYNC_HOOKS_REQ, NULL) < 0 ||
	    sync_expect_msg(x->sync_fd, SYNC_HOOKS_DONE, &m, e) < 0)
		return -1;
	x->state_json = m.text;
	return hooks_run(x->c, HOOK_CREATE_CONTAINER, x->state_json, e);
}

static int setup_fs(struct init_ctx *x, struct rt_err *e)
{
	if (rootfs_prepare(x->c, x->rootfs, x->userns_new, x->cgroup_dir, e) < 0 ||
	    run_runtime_hooks(x, e) < 0 || rootfs_enter(x->c, x->rootfs, x->no_pivot, e) < 0 ||
	    rootfs_finish(x->c, e) < 0)
		return -1;
	return 0;
}

static int setup_container(struct init_ctx *x, char **exe, struct rt_err *e)
{
	const struct oci_process *p = &x->c->process;

	if (join_and_unshare(x, e) < 0 || setup_fs(x, e) < 0 || set_identity(x->c, e) < 0 ||
	    set_sysctls(x->c, e) < 0)
		return -1;
	if (config_has_namespace(x->c, CLONE_NEWNET) &&
	    !config_namespace(x->c, CLONE_NEWNET)->path && net_loopback_up(e) < 0)
		return -1;
	if (process_set_rlimits(p, e) < 0)
		return -1;
	if (chdir(p->cwd) < 0)
		return rt_fail(e, errno, "process.cwd: chdir %s", p->cwd);
	*exe = process_find_exec(p, e);
	if (!*exe)
		return -1;
	if (x->console_fd >= 0 && console_setup_pty(x->console_fd, e) < 0)
		return -1;
	if (x->console_fd >= 0)
		close(x->console_fd);
	return 0;
}

/* The state the startContainer hooks see: the createContainer one, now "created"
 * (runtime.md: created until the user program is executed). */
static char *created_state(const char *creating)
{
	struct json_object *o = json_tokener_parse(creating);
	char *text;

	if (!o)
		return xstrdup(creating);
	json_object_object_add(o, "status", json_object_new_string("created"));
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return text;
}

/* create: blocks on the exec fifo until `start`; then the startContainer hooks. The fifo
 * stays open (close-on-exec) so that `start` sees its last reader go at our execve and
 * returns only once the user program runs (cmd_create.c, wait_for_exec). */
static int wait_for_start(struct init_ctx *x, struct rt_err *e)
{
	cleanup_free char *state = NULL;
	char byte;
	ssize_t n;

	if (x->fifo_fd >= 0) {
		do
			n = read(x->fifo_fd, &byte, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			return rt_fail(e, errno, "wait for start");
	}
	if (!x->c->n_hooks[HOOK_START_CONTAINER])
		return 0;
	state = created_state(x->state_json);
	return hooks_run(x->c, HOOK_START_CONTAINER, state, e);
}

__attribute__((noreturn)) static void fail(struct init_ctx *x, struct rt_err *e)
{
	if (sync_send(x->sync_fd, SYNC_ERROR, e) < 0)
		rt_err_print(e);
	_exit(127);
}

/* After `start` has released us nobody reads the sync socket: the error goes into the
 * exec fifo, where `start` picks it up (cmd_create.c, exec_failure). */
__attribute__((noreturn)) static void fail_started(struct init_ctx *x, struct rt_err *e)
{
	if (x->fifo_fd >= 0)
		write_all(x->fifo_fd, e->msg, strlen(e->msg));
	fail(x, e);
}

void init_main(struct init_ctx *x)
{
	struct rt_err e = { 0 };
	char *exe = NULL;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (sync_expect(x->sync_fd, SYNC_GO, &e) < 0)
		_exit(127);
	if (setup_container(x, &exe, &e) < 0)
		fail(x, &e);
	/* Set up: from here the container outlives bwrun (cleared before READY, after which
	 * a create's bwrun exits at once). */
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (sync_send(x->sync_fd, SYNC_READY, NULL) < 0)
		_exit(127);
	if (wait_for_start(x, &e) < 0)
		fail_started(x, &e);
	process_exec(&x->c->process, exe, x->seccomp, &e);
	fail_started(x, &e);
}
