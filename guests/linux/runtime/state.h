/* Container state: the on-disk record under --root and the lifecycle state machine. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_STATE_H
#define BWRUN_STATE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

#define DEFAULT_STATE_ROOT "/run/bwrun"
#define EXEC_FIFO "exec.fifo"

enum ct_status { ST_CREATING, ST_CREATED, ST_RUNNING, ST_PAUSED, ST_STOPPED };

enum ct_op { OP_START, OP_EXEC, OP_KILL, OP_DELETE, OP_DELETE_FORCE, OP_PAUSE, OP_RESUME,
	     OP_PS };

struct ct_state {
	char *id;
	pid_t pid;
	uint64_t start_time;   /* /proc/PID/stat field 22, guards against pid reuse */
	char *bundle;
	char *rootfs;
	char *created;
	char *cgroup;          /* absolute cgroup directory, "" when none */
	uid_t owner;
	struct json_object *annotations;
};

const char *status_name(enum ct_status s);
/* Pure: the status from what can be observed. */
enum ct_status status_derive(bool init_alive, bool fifo_exists, bool frozen);
/* Pure: whether OP may run in status S; on refusal the message matches runc's. */
int status_allows(enum ct_op op, enum ct_status s, const char *id, struct rt_err *e);

char *state_dir(const char *root, const char *id);
int state_save(const char *root, const struct ct_state *st, struct rt_err *e);
int state_load(const char *root, const char *id, struct ct_state *st, struct rt_err *e);
void state_free(struct ct_state *st);
enum ct_status state_status(const char *root, const struct ct_state *st);
/* The OCI state object for `state` and `list --format json`. */
struct json_object *state_to_oci_json(const struct ct_state *st, enum ct_status s);

/* /proc/PID/stat: process start time, 0 when the process is gone or a zombie. */
uint64_t proc_start_time(pid_t pid);
bool proc_alive(pid_t pid, uint64_t start_time);

#endif
