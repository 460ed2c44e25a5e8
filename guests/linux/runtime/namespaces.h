/* Namespaces: which to create, joining existing ones by path, and the loopback link. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_NAMESPACES_H
#define BWRUN_NAMESPACES_H

#include <sys/types.h>

#include "config.h"

/* CLONE_NEW* flags of the namespaces the config asks to create (no path). */
unsigned long ns_new_flags(const struct oci_config *c);
/* setns() into every namespace the config names by path, user first; skips SKIP flags. */
int ns_join_paths(const struct oci_config *c, int skip, struct rt_err *e);
/* Opens the /proc/PID/ns files of the namespaces PID does not share with us. */
struct ns_fds {
	int fd[7];
	int flag[7];
	int n;
};
int ns_open_of_pid(pid_t pid, struct ns_fds *out, struct rt_err *e);
/* Joins every namespace in FDS except pid (already joined for children); closes them. */
int ns_enter(struct ns_fds *fds, struct rt_err *e);
void ns_close(struct ns_fds *fds);
int net_loopback_up(struct rt_err *e);

#endif
