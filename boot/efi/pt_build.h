/* Builder of the 4-level page tables the kernel is entered with: pure logic, also built on the host. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_EFI_PT_BUILD_H
#define BULWARK_EFI_PT_BUILD_H

#include <stdint.h>

/* Paging-structure entry bits, Intel SDM Vol 3A 4.5 (Tables 4-15 to 4-19). */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_LARGE (1ull << 7) /* PS: 1 GiB page in a PDPTE, 2 MiB page in a PDE */
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull
#define PT_ENTRIES 512u

#define PT_SIZE_1G 0x40000000ull
#define PT_IDENTITY_LIMIT (1ull << 47) /* the lower half: PML4 entries 0..255 */
#define PT_IDENTITY_MIN 0x100000000ull /* [0, 4 GiB) is always mapped */

/*
 * Page-table pages to build in: CAPACITY zeroed, 4 KiB aligned pages at PAGES.
 * The address of a page is what goes into the entries, so the pool must be
 * identity mapped (as all memory is while UEFI boot services run, UEFI spec
 * 2.3.4) or, in host tests, walked through the same pointers.
 */
struct pt_pool {
	uint64_t *pages;
	uint32_t capacity;
	uint32_t used;
};

/*
 * Layout to map. Identity: [0, identity_end rounded up to 1 GiB), 2 MiB pages
 * below 4 GiB and, if use_1g, 1 GiB pages above. Kernel: KERNEL_VIRT_BASE..
 * -> kernel_phys_base - KERNEL_LINK_PHYS.., 2 MiB pages, covering
 * KERNEL_LINK_BASE + kernel_span.
 */
struct pt_layout {
	uint64_t identity_end;
	uint64_t kernel_phys_base; /* 2 MiB aligned, >= KERNEL_LINK_PHYS */
	uint64_t kernel_span;      /* at most 1 GiB */
	int use_1g;
};

/* Pages pt_build() needs for LAYOUT (0 when the layout is refused). */
uint32_t pt_pages_needed(const struct pt_layout *layout);

/* Builds the tables in POOL; returns 0 and the PML4 address in *CR3, or -1. */
int pt_build(struct pt_pool *pool, const struct pt_layout *layout, uint64_t *cr3);

#endif
