/* Guest-linear to guest-physical translation through the guest's own page tables (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_GVA_H
#define HYPERVISOR_GVA_H

#include <stdbool.h>
#include <stdint.h>

/* The paging controls that pick the walk (SDM Vol 3A 4.1.1 table 4-1). */
struct gva_mode {
	uint64_t cr0, cr3, cr4, efer;
};

/* Reads `bytes` (4 or 8) of guest-physical memory at `gpa` into *value; false outside guest RAM. */
typedef bool (*gva_read_fn)(void *ctx, uint64_t gpa, unsigned bytes, uint64_t *value);

/*
 * Walks 32-bit, PAE or 4-level paging (or none with CR0.PG clear) for a
 * supervisor read of linear address `la`. 0 with *gpa, or -1 when an entry
 * is not present, has reserved bits the walk uses, or lies outside guest RAM.
 */
int gva_translate(const struct gva_mode *m, uint64_t la, gva_read_fn read, void *ctx, uint64_t *gpa);

#endif
