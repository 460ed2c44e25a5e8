/* A byte ring that keeps the newest bytes: guest serial output, replayed and tailed by the console. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_BYTE_RING_H
#define KERNEL_BYTE_RING_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/spinlock.h"

struct byte_ring {
	uint8_t *buf;
	size_t size;          /* a power of two */
	uint64_t written;     /* bytes ever written: the position after the newest byte */
	struct spinlock lock;
};

/* `size` must be a power of two. */
void byte_ring_init(struct byte_ring *r, uint8_t *buf, size_t size);
/* Appends, overwriting the oldest bytes when full. Safe from any CPU. */
void byte_ring_write(struct byte_ring *r, const void *data, size_t len);
/*
 * Copies up to `len` bytes starting at stream position *pos (clamped forward
 * to the oldest byte still held) and advances *pos. Returns the count copied.
 * A reader starting at 0 replays everything held, then tails new output.
 */
size_t byte_ring_read(struct byte_ring *r, uint64_t *pos, void *out, size_t len);
uint64_t byte_ring_written(struct byte_ring *r);

#endif
