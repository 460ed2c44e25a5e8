/* cgroup v2: one cgroup per container, its limits, freezing and removal. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_CGROUP_H
#define BWRUN_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"

/* Where cgroup2 is mounted ("/sys/fs/cgroup" or a hybrid "unified"); NULL if nowhere. */
const char *cgroup_mountpoint(void);
/* The container's cgroup directory: mount + cgroupsPath, or mount + /bwrun/ID. */
char *cgroup_path_for(const struct oci_config *c, const char *id, struct rt_err *e);
/* Controllers the resources need, as "+cpu +memory" words, for error messages. */
int cgroup_create(const char *dir, const struct oci_resources *r, struct rt_err *e);
int cgroup_apply(const char *dir, const struct oci_resources *r, struct rt_err *e);
/* `update`: enables what R needs in the ancestors, then cgroup_apply(). */
int cgroup_update(const char *dir, const struct oci_resources *r, struct rt_err *e);
int cgroup_add_pid(const char *dir, pid_t pid, struct rt_err *e);
int cgroup_freeze(const char *dir, bool frozen, struct rt_err *e);
bool cgroup_is_frozen(const char *dir);
/* Returns the number of pids read into *pids (malloc'd), or -1. */
int cgroup_pids(const char *dir, pid_t **pids, struct rt_err *e);
int cgroup_kill_all(const char *dir, int sig);
/* Kills anything left, waits for it to empty and removes the directory. */
int cgroup_destroy(const char *dir, struct rt_err *e);

#endif
