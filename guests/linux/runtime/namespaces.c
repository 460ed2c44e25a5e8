/* Namespaces: which to create, joining existing ones by path, and the loopback link. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* Order matters: the user namespace first, so the rest are joined with its powers. */
static const struct {
	const char *file;
	int flag;
} ns_order[] = {
	{ "user", CLONE_NEWUSER }, { "ipc", CLONE_NEWIPC },       { "uts", CLONE_NEWUTS },
	{ "net", CLONE_NEWNET },   { "pid", CLONE_NEWPID },       { "cgroup", CLONE_NEWCGROUP },
	{ "mnt", CLONE_NEWNS },
};

unsigned long ns_new_flags(const struct oci_config *c)
{
	unsigned long f = 0;

	for (size_t i = 0; i < c->n_namespaces; i++)
		if (!c->namespaces[i].path)
			f |= (unsigned long)c->namespaces[i].flag;
	return f;
}

int ns_join_paths(const struct oci_config *c, int skip, struct rt_err *e)
{
	for (size_t k = 0; k < sizeof(ns_order) / sizeof(ns_order[0]); k++) {
		const struct oci_namespace *ns = config_namespace(c, ns_order[k].flag);
		int fd;

		if (!ns || !ns->path || (ns->flag & skip))
			continue;
		fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return rt_fail(e, errno, "linux.namespaces: open %s", ns->path);
		if (setns(fd, ns->flag) < 0) {
			close(fd);
			return rt_fail(e, errno, "linux.namespaces: join %s namespace %s",
				       namespace_name(ns->flag), ns->path);
		}
		close(fd);
	}
	return 0;
}

static bool same_ns(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev;
}

int ns_open_of_pid(pid_t pid, struct ns_fds *out, struct rt_err *e)
{
	out->n = 0;
	for (size_t k = 0; k < sizeof(ns_order) / sizeof(ns_order[0]); k++) {
		char theirs[64], ours[64];
		int fd;

		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, ns_order[k].file);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s", ns_order[k].file);
		if (same_ns(theirs, ours))
			continue;
		fd = open(theirs, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ns_close(out);
			return rt_fail(e, errno, "open %s", theirs);
		}
		out->fd[out->n] = fd;
		out->flag[out->n++] = ns_order[k].flag;
	}
	return 0;
}

int ns_enter(struct ns_fds *fds, struct rt_err *e)
{
	for (int i = 0; i < fds->n; i++) {
		if (fds->flag[i] == CLONE_NEWPID)
			continue;
		if (setns(fds->fd[i], fds->flag[i]) < 0)
			return rt_fail(e, errno, "join the container's %s namespace",
				       namespace_name(fds->flag[i]));
	}
	return 0;
}

void ns_close(struct ns_fds *fds)
{
	for (int i = 0; i < fds->n; i++)
		close(fds->fd[i]);
	fds->n = 0;
}

int net_loopback_up(struct rt_err *e)
{
	struct ifreq ifr;
	cleanup_close int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return rt_fail(e, errno, "socket for the loopback link");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return rt_fail(e, errno, "read lo flags");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return rt_fail(e, errno, "bring lo up");
	return 0;
}
