/* Layer paths: cleaning tar member names and recognising OCI whiteouts. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_WHITEOUT_H
#define BWRUN_WHITEOUT_H

#include <stddef.h>

enum wh_kind {
	WH_NONE,     /* an ordinary entry */
	WH_FILE,     /* "dir/.wh.name": remove dir/name from the lower layers */
	WH_OPAQUE,   /* "dir/.wh..wh..opq": empty dir of the lower layers' content */
};

/* Normalises a member name to "a/b/c" (no leading "/" or "./", no "." parts); fails
 * on ".." parts so no entry can leave the rootfs. "" means the root itself. */
int layer_path_clean(const char *in, char *out, size_t n);
/* Classifies a cleaned path; TARGET receives the path to remove (or the opaque dir). */
enum wh_kind whiteout_classify(const char *path, char *target, size_t n);
/* Splits a cleaned path into its directory ("" for the root) and its last part. */
void path_split(const char *path, char *dir, size_t n, const char **base);

#endif
