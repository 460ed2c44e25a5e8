/* The default config.json that `spec` writes and image import starts from. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_SPEC_H
#define BWRUN_SPEC_H

#include <json-c/json.h>
#include <stdbool.h>

/* A new object the caller owns; ROOTLESS adds a user namespace mapping the caller. */
struct json_object *spec_default(bool rootless);

#endif
