/* seccomp: the config's filter decoded into a libseccomp context, loaded before exec. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_SECCOMP_H
#define BWRUN_SECCOMP_H

#include <json-c/json.h>

#include "util.h"

/* Decodes linux.seccomp into a filter (opaque); *out is NULL when there is none. */
int seccomp_decode(struct json_object *spec, void **out, struct rt_err *e);
int seccomp_install(void *filter, struct rt_err *e);
void seccomp_filter_free(void *filter);
/* features.md "linux.seccomp": the actions, operators and architectures decoded. */
struct json_object *seccomp_features(void);
const char *seccomp_lib_version(void);

#endif
