/* The EPT entry format and the per-VM EPT state (SDM Vol 3C 29.3). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_EPT_H
#define HYPERVISOR_VMX_EPT_H

#include <stdint.h>
#include "hypervisor/slat.h"

/* EPT paging-structure entry bits, SDM Vol 3C 29.3.2 tables 29-1 to 29-6. */
#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_MT_SHIFT 3            /* bits 5:3, memory type of a leaf */
#define EPT_MT_WB 6ull            /* SDM Vol 3C 12.3 table 12-8 */
#define EPT_IGNORE_PAT (1ull << 6)
#define EPT_LARGE (1ull << 7)     /* 2 MiB leaf in a page directory */
#define EPT_ADDR_MASK 0x000ffffffffff000ull

/* EPTP, SDM Vol 3C 25.6.11 table 25-9: memory type bits 2:0, page-walk length - 1 in bits 5:3. */
#define EPTP_MT_WB 6ull
#define EPTP_WALK_4 (3ull << 3)

extern const struct slat_format ept_format;

/* Builds an EPTP for a 4-level, write-back EPT whose PML4 is at `pml4_hpa`. */
uint64_t ept_make_eptp(uint64_t pml4_hpa);

#endif
