/* linux.resources.devices on cgroup v2: an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE
 * built from the allow list, loaded and attached with bpf(2) (no library). */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_DEVICES_BPF_H
#define BWRUN_DEVICES_BPF_H

#include <linux/bpf.h>
#include <stddef.h>

#include "config.h"

/* Pure: the program for RULES followed by runc's default allow list (/dev/null, zero,
 * full, random, urandom, tty, console, ptmx, pts, and mknod of any node). The last rule
 * that matches decides, as in cgroup v1's devices.allow/deny; none matching denies.
 * Returns the instruction count; *out is malloc'd. */
size_t devices_bpf_build(const struct oci_dev_rule *rules, size_t n, struct bpf_insn **out);
/* Loads the program for R and attaches it to the cgroup DIR (replacing bwrun's earlier
 * one on `update`). */
int devices_bpf_apply(const char *dir, const struct oci_resources *r, struct rt_err *e);

#endif
