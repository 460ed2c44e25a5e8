/* Applying one image layer (a tar, maybe gzipped) onto a rootfs, whiteouts included. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_LAYER_H
#define BWRUN_LAYER_H

#include "util.h"

/* Applies TAR_PATH onto the directory ROOTFS. Every path is resolved inside ROOTFS
 * (openat2 RESOLVE_IN_ROOT), so no member or symlink can write outside it.
 * WHITEOUTS false extracts the tar as it is (an image layout packed as a tar). */
int layer_apply(const char *tar_path, const char *rootfs, bool whiteouts, struct rt_err *e);

#endif
