/* The kernel heap behind newlib's malloc: one contiguous run of frames grown by _sbrk. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_MM_HEAP_H
#define KERNEL_MM_HEAP_H

#include <stdint.h>

/* Reserves `bytes` of RAM from the frame allocator for the heap. Returns 0 or -1. */
int heap_init(uint64_t bytes);
uint64_t heap_size(void);
/* Bytes handed to malloc through _sbrk so far (malloc reuses freed blocks within it). */
uint64_t heap_brk_bytes(void);
/* Bytes malloc currently has in use (from mallinfo). */
uint64_t heap_in_use(void);

#endif
