/* The last steps of a container process: limits, identity, capabilities, seccomp, exec. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_PROCESS_H
#define BWRUN_PROCESS_H

#include "config.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int process_set_rlimits(const struct oci_process *p, struct rt_err *e);
/* Looks ARGS[0] up in the PATH of ENV; returns a malloc'd path or NULL with an error. */
char *process_find_exec(const struct oci_process *p, struct rt_err *e);
/* Switches user, drops capabilities, loads seccomp and execs EXE; returns only on error. */
int process_exec(const struct oci_process *p, const char *exe, void *seccomp,
		 struct rt_err *e);

#endif
