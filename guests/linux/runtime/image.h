/* OCI image layouts: index.json → manifest → config and layers → a runnable bundle. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_IMAGE_H
#define BWRUN_IMAGE_H

#include <json-c/json.h>

#include "util.h"

/* Pure: checks "sha256:<64 hex>" (or sha512) so a digest can name a blob file. */
int image_digest_valid(const char *digest);
/* Pure: fills process fields of SPEC from an image config's "config" object. */
int image_apply_config(struct json_object *spec, struct json_object *img_config,
		       const char *rootfs, struct rt_err *e);
/* LAYOUT is a directory or a tar of one; REF picks a manifest by its ref name (or NULL
 * for the only/first one). Creates BUNDLE/rootfs and BUNDLE/config.json; on failure
 * removes what it made. */
int image_import(const char *layout, const char *ref, const char *bundle, struct rt_err *e);

#endif
