/* The NPT entry format: AMD64 long-mode page-table entries walked with the guest as user (pure logic). */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/svm/npt.h"
#include "hypervisor/virt_ops.h"

/* Non-leaf entries grant everything; the leaf decides (APM Vol 2 5.6, 15.25.5). */
static uint64_t npt_table_entry(uint64_t table_hpa)
{
	return (table_hpa & NPT_ADDR_MASK) | NPT_P | NPT_RW | NPT_US;
}

/*
 * Leaf: PAT/PCD/PWT all zero select host PAT entry 0 (write-back); the
 * guest's PAT combines with it (APM Vol 2 15.25.8). Bit 12 of a 2 MiB leaf is
 * PAT, clear because the address is 2 MiB aligned.
 */
static uint64_t npt_leaf_entry(uint64_t hpa, uint32_t prot, bool large_2m)
{
	uint64_t e = (hpa & NPT_ADDR_MASK) | NPT_P | NPT_US;

	if (prot & GMEM_W)
		e |= NPT_RW;
	if (!(prot & GMEM_X))
		e |= NPT_NX;
	if (large_2m)
		e |= NPT_PS;
	return e;
}

static bool npt_present(uint64_t e)
{
	return e & NPT_P;
}

static bool npt_large(uint64_t e)
{
	return e & NPT_PS;
}

static uint32_t npt_prot(uint64_t e)
{
	uint32_t p = GMEM_R;

	if (e & NPT_RW)
		p |= GMEM_W;
	if (!(e & NPT_NX))
		p |= GMEM_X;
	return p;
}

const struct slat_format npt_format = {
	.name = "NPT",
	.addr_mask = NPT_ADDR_MASK,
	.table_entry = npt_table_entry,
	.leaf_entry = npt_leaf_entry,
	.present = npt_present,
	.large = npt_large,
	.prot = npt_prot,
};
