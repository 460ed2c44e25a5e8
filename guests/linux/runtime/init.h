/* The container's first process: from the clone to the exec of the user's program. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_INIT_H
#define BWRUN_INIT_H

#include "config.h"

struct init_ctx {
	const struct oci_config *c;
	const char *rootfs;        /* canonical absolute path */
	const char *cgroup_dir;
	const char *state_json;    /* for createContainer/startContainer hooks */
	void *seccomp;
	int sync_fd;
	int fifo_fd;               /* -1: exec right after READY (run) */
	int console_fd;            /* -1: no terminal */
	bool no_pivot;             /* --no-pivot */
	const char *keyring_name;  /* a new session keyring of this name; NULL: keep ours */
	bool userns_new;
	bool cgroupns_new;
	bool runtime_hooks;        /* ask the parent to run prestart/createRuntime */
};

__attribute__((noreturn)) void init_main(struct init_ctx *x);

#endif
