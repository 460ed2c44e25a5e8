/* The container's filesystem: config mounts, /dev, pivot_root, masked and read-only paths. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_MOUNTS_H
#define BWRUN_MOUNTS_H

#include "config.h"

struct mount_opts {
	unsigned long flags;
	unsigned long clear;
	unsigned long propagation;
	char data[1024];
};

/* Pure: splits OCI mount options into flags, propagation and the data string. */
int mount_parse_options(char *const *options, struct mount_opts *out, struct rt_err *e);

/* Appends the names mount_parse_options() knows to the JSON array A (for `features`). */
void mount_option_names(struct json_object *a);

/* In the new mount namespace, before pivot_root: everything under ROOTFS. */
int rootfs_prepare(const struct oci_config *c, const char *rootfs, bool userns,
		   const char *cgroup_dir, struct rt_err *e);
/* pivot_root into ROOTFS and detach the old root. */
int rootfs_pivot(const char *rootfs, struct rt_err *e);
/* pivot_root into ROOTFS (NO_PIVOT: move it onto / and chroot), or chroot when the
 * config has no mount namespace. */
int rootfs_enter(const struct oci_config *c, const char *rootfs, bool no_pivot,
		 struct rt_err *e);
/* Runtime side, when the container goes: detaches the rootfs bind (and every mount
 * under it) made in a mount namespace the container shared with the runtime. */
void rootfs_release(const struct oci_config *c, const char *rootfs);
/* After pivot_root: propagation, masked and read-only paths, read-only root. */
int rootfs_finish(const struct oci_config *c, struct rt_err *e);

#endif
