/* Linux capabilities: names, and applying the five sets to the calling process. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_CAPS_H
#define BWRUN_CAPS_H

#include <stdint.h>

#include "config.h"

/* Returns the capability number for "CAP_SYS_ADMIN", or -1. */
int cap_from_name(const char *name);
const char *cap_name(int cap);
/* How many capabilities cap_name() knows (0 .. cap_count() - 1). */
int cap_count(void);
int cap_last(void);
/* Drops the bounding set, keeps caps across the uid change prepared by caps_keep(). */
int caps_drop_bounding(const struct oci_caps *c, struct rt_err *e);
int caps_keep(struct rt_err *e);
/* Fails, naming the set and capability, when a capability of a set (ambient aside) is
 * missing from the caller's own bounding set: the container could never hold it. */
int caps_check_grantable(const struct oci_caps *c, struct rt_err *e);
int caps_apply(const struct oci_caps *c, struct rt_err *e);

#endif
