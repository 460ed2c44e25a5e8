/* A streaming tar reader (ustar, GNU long names, pax) over zlib, gzip or plain. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_TAR_H
#define BWRUN_TAR_H

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct tar_entry {
	char path[4096];
	char link[4096];
	char type;           /* '0' file, '1' hard link, '2' symlink, '3' char, '4' block,
				'5' dir, '6' fifo */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint64_t size;
	unsigned dev_major, dev_minor;
	int64_t mtime;
};

struct tar_reader;

/* Opens a tar that may be gzip-compressed (detected from its bytes). */
struct tar_reader *tar_open(const char *path, struct rt_err *e);
/* Returns 1 with the next entry, 0 at the end, -1 on a corrupt archive. */
int tar_next(struct tar_reader *t, struct tar_entry *ent, struct rt_err *e);
/* Reads the current entry's data; returns bytes read (0 at its end) or -1. */
ssize_t tar_read(struct tar_reader *t, void *buf, size_t n);
void tar_close(struct tar_reader *t);

#endif
