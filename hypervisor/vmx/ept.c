/* The EPT entry format for the shared SLAT builder: R/W/X, write-back leaves, 2 MiB pages (SDM Vol 3C 29.3.2). */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/virt_ops.h"
#include "hypervisor/vmx/ept.h"

/* A non-leaf entry grants everything; the leaf decides (SDM Vol 3C 29.3.3: access needs every level's bit). */
static uint64_t ept_table_entry(uint64_t table_hpa)
{
	return (table_hpa & EPT_ADDR_MASK) | EPT_R | EPT_W | EPT_X;
}

/*
 * Write without read is an EPT misconfiguration (SDM Vol 3C 29.3.3.1), so
 * GMEM_W implies read. Leaves are write-back RAM: memory type 6 in bits 5:3.
 */
static uint64_t ept_leaf_entry(uint64_t hpa, uint32_t prot, bool large_2m)
{
	uint64_t e = (hpa & EPT_ADDR_MASK) | (EPT_MT_WB << EPT_MT_SHIFT);

	if (prot & (GMEM_R | GMEM_W))
		e |= EPT_R;
	if (prot & GMEM_W)
		e |= EPT_W;
	if (prot & GMEM_X)
		e |= EPT_X;
	if (large_2m)
		e |= EPT_LARGE;
	return e;
}

/* An entry is not present when bits 2:0 are all 0 (SDM Vol 3C 29.3.2). */
static bool ept_present(uint64_t entry)
{
	return (entry & (EPT_R | EPT_W | EPT_X)) != 0;
}

static bool ept_large(uint64_t entry)
{
	return (entry & EPT_LARGE) != 0;
}

static uint32_t ept_prot(uint64_t entry)
{
	return (uint32_t)((entry & EPT_R ? GMEM_R : 0) | (entry & EPT_W ? GMEM_W : 0) | (entry & EPT_X ? GMEM_X : 0));
}

const struct slat_format ept_format = {
	.name = "EPT",
	.addr_mask = EPT_ADDR_MASK,
	.table_entry = ept_table_entry,
	.leaf_entry = ept_leaf_entry,
	.present = ept_present,
	.large = ept_large,
	.prot = ept_prot,
};

uint64_t ept_make_eptp(uint64_t pml4_hpa)
{
	return (pml4_hpa & EPT_ADDR_MASK) | EPTP_WALK_4 | EPTP_MT_WB;
}
