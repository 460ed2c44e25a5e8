/* Container lifecycle on the runtime side: create (and run), and destroy. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_CONTAINER_H
#define BWRUN_CONTAINER_H

#include "config.h"
#include "state.h"

enum create_mode { MODE_CREATE, MODE_RUN_DETACHED, MODE_RUN };

struct create_opts {
	const char *root;
	const char *id;
	const char *bundle;
	const char *console_socket;
	const char *pid_file;
	enum create_mode mode;
	bool no_pivot;           /* --no-pivot: move the rootfs onto / and chroot */
	bool no_new_keyring;     /* --no-new-keyring: keep the caller's session keyring */
};

/* Creates the container; for MODE_RUN also runs it to the end and deletes it, leaving
 * its exit status (128+signal when killed) in *status. Nothing is left on failure. */
int container_create(const struct create_opts *o, int *status, struct rt_err *e);
/* Loads the state and the config copy kept in the state directory. */
int container_load(const char *root, const char *id, struct ct_state *st,
		   struct oci_config *c, struct rt_err *e);
/* Kills what is left, removes the cgroup, runs poststop hooks, removes the state. */
int container_destroy(const char *root, const struct ct_state *st, const struct oci_config *c,
		      struct rt_err *e);
/* The OCI state as JSON text for hooks (caller frees). */
char *container_state_text(const struct ct_state *st, enum ct_status s);
/* Serialises start, delete, pause and resume of one container: an exclusive flock on
 * its state directory, held until the returned descriptor is closed (-1: none). */
int container_lock(const char *root, const char *id);
int write_pid_file(const char *path, pid_t pid, struct rt_err *e);
/* Waits for a process that is not our child to go away (up to 10 s). */
int wait_pid_gone(pid_t pid, uint64_t start_time);

#endif
