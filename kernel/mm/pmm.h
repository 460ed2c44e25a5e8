/* The physical frame allocator: 4 KiB frames from the usable RAM of the memory map. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_MM_PMM_H
#define KERNEL_MM_PMM_H

#include <stddef.h>
#include <stdint.h>
#include "include/bulwark/boot_info.h"

#define PMM_FRAME 4096u

struct pmm_stats {
	uint64_t total_bytes;    /* RAM in the map: every type but BOOT_MEM_RESERVED (MMIO, holes) */
	uint64_t usable_bytes;   /* frames the allocator manages */
	uint64_t free_bytes;
	uint64_t reserved_bytes; /* total - usable */
};

/*
 * Builds the allocator from a sanitized map (see memmap.h). Only
 * BOOT_MEM_USABLE frames are ever handed out. The allocator's own bitmap is
 * placed in usable RAM that it then marks used. `phys_to_virt` turns a
 * physical address into a pointer the caller can write (the kernel's direct
 * map; a test's fake memory). Returns 0, or -1 if there is no usable RAM.
 */
int pmm_init(const struct boot_mmap_entry *map, size_t count, void *(*phys_to_virt)(uint64_t));

/*
 * Allocates `count` contiguous frames whose first address is a multiple of
 * `align` bytes (a power of two >= 4096). Returns the physical address, or 0
 * when no such run is free. Frame 0 is never handed out. The memory is not
 * cleared.
 */
uint64_t pmm_alloc(size_t count, uint64_t align);
static inline uint64_t pmm_alloc_frame(void) { return pmm_alloc(1, PMM_FRAME); }

/* Returns frames; freeing a frame that is not allocated is refused with -1. */
int pmm_free(uint64_t phys, size_t count);

void pmm_get_stats(struct pmm_stats *out);

/* Whether `phys` lies in a frame the allocator manages (free or used). */
int pmm_is_managed(uint64_t phys);

#endif
