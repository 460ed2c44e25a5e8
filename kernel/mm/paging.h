/* The hypervisor's own page tables: a direct map of physical memory and the kernel image. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_MM_PAGING_H
#define KERNEL_MM_PAGING_H

#include <stdint.h>
#include "include/bulwark/boot_info.h"
#include "include/bulwark/layout.h"

/* 4-level paging entry bits, SDM Vol 3A 4.5 tables 4-14 to 4-20. */
#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

static inline void *phys_to_virt(uint64_t phys) { return (void *)(uintptr_t)(phys + HHDM_BASE); }
static inline uint64_t virt_to_phys_direct(const void *v) { return (uint64_t)(uintptr_t)v - HHDM_BASE; }
/* Physical address of any kernel virtual address (image or direct map). */
uint64_t virt_to_phys(const void *v);

/* Builds the kernel's tables (direct map of [0, top of the map), the image) and switches to them. */
void paging_init(const struct boot_info *bi);
/* Maps device memory uncached into the direct map; returns its virtual address. */
void *paging_map_mmio(uint64_t phys, uint64_t size);
/* Maps or unmaps [0, 2 MiB) 1:1, for the AP start-up code. */
void paging_identity_low(int on);
uint64_t paging_kernel_cr3(void);
/* Bytes of page-table memory the hypervisor uses for itself. */
uint64_t paging_table_bytes(void);

#endif
