/* User-namespace id mappings: validation, lookup and /proc/PID/{uid,gid}_map text. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_IDMAP_H
#define BWRUN_IDMAP_H

#include "config.h"

/* Checks sizes, overflow and overlaps; `what` names the field in errors. */
int idmap_validate(const struct oci_idmap *m, size_t n, const char *what, struct rt_err *e);
/* Formats "cid hid size\n" lines; returns bytes written or -1 when buf is too small. */
int idmap_format(const struct oci_idmap *m, size_t n, char *buf, size_t len);
/* Parses one "cid:hid:size" triple (the command-line form). */
int idmap_parse(const char *s, struct oci_idmap *out, struct rt_err *e);
/* Maps a container id to the host; returns -1 when unmapped. */
int64_t idmap_to_host(const struct oci_idmap *m, size_t n, uint32_t id);
int idmap_write(pid_t pid, const char *file, const struct oci_idmap *m, size_t n,
		struct rt_err *e);

#endif
