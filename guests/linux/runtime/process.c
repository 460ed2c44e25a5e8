/* The last steps of a container process: limits, identity, capabilities, seccomp, exec. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "process.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "caps.h"
#include "seccomp.h"

int process_set_rlimits(const struct oci_process *p, struct rt_err *e)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct rlimit rl = { p->rlimits[i].soft, p->rlimits[i].hard };

		if (setrlimit(p->rlimits[i].resource, &rl) < 0)
			return rt_fail(e, errno, "process.rlimits[%zu]: setrlimit", i);
	}
	return 0;
}

static const char *env_path(char *const *env)
{
	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], "PATH=", 5))
			return env[i] + 5;
	return DEFAULT_PATH;
}

static bool is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *process_find_exec(const struct oci_process *p, struct rt_err *e)
{
	const char *name = p->args[0];
	cleanup_free char *path = NULL;
	char *save = NULL;

	if (strchr(name, '/')) {
		if (is_executable(name))
			return xstrdup(name);
		rt_fail(e, errno ? errno : EACCES, "exec: \"%s\"", name);
		return NULL;
	}
	path = xstrdup(env_path(p->env));
	for (char *d = strtok_r(path, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", d[0] ? d : ".", name);

		if (is_executable(full))
			return full;
		free(full);
	}
	rt_fail(e, 0, "exec: \"%s\": executable file not found in $PATH", name);
	return NULL;
}

static int switch_user(const struct oci_process *p, struct rt_err *e)
{
	gid_t gids[64];
	size_t n = p->n_gids < 64 ? p->n_gids : 64;

	for (size_t i = 0; i < n; i++)
		gids[i] = p->gids[i];
	if (setgroups(n, gids) < 0 && errno != EPERM)
		return rt_fail(e, errno, "setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return rt_fail(e, errno, "setgid %u", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return rt_fail(e, errno, "setuid %u", p->uid);
	return 0;
}

int process_exec(const struct oci_process *p, const char *exe, void *seccomp,
		 struct rt_err *e)
{
	char *empty_env[] = { NULL };

	if (p->has_caps && caps_drop_bounding(&p->caps, e) < 0)
		return -1;
	if (!p->no_new_privileges && seccomp_install(seccomp, e) < 0)
		return -1;
	if (p->has_caps && caps_keep(e) < 0)
		return -1;
	if (switch_user(p, e) < 0)
		return -1;
	if (p->has_caps && caps_apply(&p->caps, e) < 0)
		return -1;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return rt_fail(e, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (p->no_new_privileges && seccomp_install(seccomp, e) < 0)
		return -1;
	execve(exe, p->args, p->env ? p->env : empty_env);
	return rt_fail(e, errno, "exec %s", exe);
}
