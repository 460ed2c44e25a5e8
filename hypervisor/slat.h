/* Second-level address translation tables (EPT and NPT share this builder; only entry formats differ). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SLAT_H
#define HYPERVISOR_SLAT_H

#include <stdbool.h>
#include <stdint.h>

/* Guest-physical addresses are 48 bits wide: 4-level tables (SDM Vol 3C 29.3.2, APM Vol 2 15.25). */
#define SLAT_GPA_LIMIT (1ull << 48)

/* How one backend encodes entries. Permissions are GMEM_R/W/X from virt_ops.h. */
struct slat_format {
	const char *name;
	uint64_t addr_mask;                                    /* physical-address bits of an entry */
	uint64_t (*table_entry)(uint64_t table_hpa);           /* non-leaf entry pointing to a table */
	uint64_t (*leaf_entry)(uint64_t hpa, uint32_t prot, bool large_2m);
	bool (*present)(uint64_t entry);
	bool (*large)(uint64_t entry);                         /* a 2 MiB leaf in a page directory */
	uint32_t (*prot)(uint64_t entry);
};

/* Where table pages come from: the frame allocator in the kernel, malloc in tests. */
struct slat_mem {
	uint64_t (*alloc_page)(void *ctx);                     /* a zeroed 4 KiB page, or 0 */
	void (*free_page)(void *ctx, uint64_t hpa);
	void *(*to_virt)(void *ctx, uint64_t hpa);
	void *ctx;
};

struct slat {
	const struct slat_format *fmt;
	struct slat_mem mem;
	uint64_t root;         /* host-physical address of the top table */
	uint64_t table_pages;  /* pages in use, root included */
	bool small_only;       /* 4 KiB leaves only: the CPU has no 2 MiB pages in this format (set after slat_init) */
};

/* Allocates the root. 0, or -1 when out of memory. */
int slat_init(struct slat *s, const struct slat_format *fmt, const struct slat_mem *mem);
/*
 * Maps [gpa, gpa+size) to [hpa, hpa+size) with `prot`. Addresses and size must
 * be 4 KiB aligned and gpa+size <= SLAT_GPA_LIMIT; 2 MiB leaves are used where
 * gpa and hpa are both 2 MiB aligned and 2 MiB remain, unless `small_only`; an existing 2 MiB leaf
 * is split when only part of it changes. Returns 0, or -1 (bad arguments, out
 * of memory: nothing half-mapped is left behind for the failing page).
 */
int slat_map(struct slat *s, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t prot);
/* Removes mappings in the range (splitting 2 MiB leaves as needed); tables left empty are freed. */
int slat_unmap(struct slat *s, uint64_t gpa, uint64_t size);
/* Translates one GPA. 0 with *hpa, *prot and *page_size set; -1 if unmapped. */
int slat_lookup(const struct slat *s, uint64_t gpa, uint64_t *hpa, uint32_t *prot, uint64_t *page_size);
/* Frees every table page, root included. */
void slat_destroy(struct slat *s);

#endif
