/* Finding one small file in a tar (POSIX ustar headers, GNU long names skipped over). */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_AGENT_TARFIND_H
#define BULWARK_AGENT_TARFIND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads up to n bytes at offset off; returns the count (0 at the end) or -1. */
typedef ssize_t (*tar_read_fn)(void *ctx, uint64_t off, void *buf, size_t n);

/* The regular file NAME (or "./NAME") of the tar: its bytes, up to max, into out; returns its
 * length, or -1 when it is not there, is larger than max or the tar is malformed. Looks at no
 * more than TARFIND_MAX_ENTRIES headers. */
#define TARFIND_MAX_ENTRIES 100000
ssize_t tar_find(tar_read_fn rd, void *ctx, const char *name, char *out, size_t max);

#endif
