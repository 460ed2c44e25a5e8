/* Semantic checks of a decoded config: everything the runtime relies on later. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_VALIDATE_H
#define BWRUN_VALIDATE_H

#include "config.h"

/* Pure checks (no filesystem access); errors name the field. */
int config_validate(const struct oci_config *c, struct rt_err *e);
/* Checks a container id: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 1024 bytes. */
/* The linux.resources checks alone (for `update`). */
int resources_validate(const struct oci_resources *r, struct rt_err *e);
int validate_id(const char *id, struct rt_err *e);

#endif
