/* Normalising the firmware memory map: sort, merge, resolve overlaps, carve reservations. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_MM_MEMMAP_H
#define KERNEL_MM_MEMMAP_H

#include <stddef.h>
#include <stdint.h>
#include "include/bulwark/boot_info.h"

/*
 * Sorts `map` by base, clips entries to page boundaries (usable ranges shrink
 * inward, everything else grows outward), resolves overlaps so that the more
 * restrictive type wins (any non-usable type beats BOOT_MEM_USABLE), drops
 * empty entries and merges neighbours of the same type.
 * Returns the new count (<= cap), or -1 if the result does not fit in cap.
 */
int memmap_sanitize(struct boot_mmap_entry *map, size_t count, size_t cap);

/*
 * Marks [base, base+length) as `type` in a sanitized map, splitting entries
 * as needed, and keeps the map sanitized. Returns the new count or -1 if cap
 * is too small.
 */
int memmap_reserve(struct boot_mmap_entry *map, size_t count, size_t cap,
		   uint64_t base, uint64_t length, uint32_t type);

/* Sum of the lengths of entries of `type`. */
uint64_t memmap_total(const struct boot_mmap_entry *map, size_t count, uint32_t type);

const char *memmap_type_name(uint32_t type);

#endif
