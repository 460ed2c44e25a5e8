/* OCI hooks: run each hook of a kind with the container state on its stdin. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_HOOKS_H
#define BWRUN_HOOKS_H

#include "config.h"

/* STATE_JSON is written to every hook's stdin; a hook that fails or times out fails. */
int hooks_run(const struct oci_config *c, enum hook_kind kind, const char *state_json,
	      struct rt_err *e);

/* poststart and poststop (runtime.md, lifecycle steps 9 and 13): every hook runs; one that
 * fails is logged as a warning and the rest still run. */
void hooks_run_warn(const struct oci_config *c, enum hook_kind kind, const char *state_json);

#endif
