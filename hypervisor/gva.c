/* The guest's page walk for the hypervisor's own reads of guest memory (instruction bytes), SDM Vol 3A 4.3-4.5. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/gva.h"

#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define EFER_LMA (1ull << 10)
#define PTE_P (1ull << 0)
#define PTE_PS (1ull << 7)
#define ADDR_52 0x000ffffffffff000ull /* bits 51:12 of an entry, SDM Vol 3A 4.5.4 */

static int entry(gva_read_fn read, void *ctx, uint64_t at, unsigned bytes, uint64_t *e)
{
	if (!read(ctx, at, bytes, e) || !(*e & PTE_P))
		return -1;
	if (bytes == 4)
		*e &= 0xffffffffull;
	return 0;
}

/* 32-bit paging, SDM Vol 3A 4.3: 4 MiB pages with CR4.PSE, bits 39:32 of the frame from PDE bits 20:13. */
static int walk32(const struct gva_mode *m, uint32_t la, gva_read_fn read, void *ctx, uint64_t *gpa)
{
	uint64_t pde, pte;

	if (entry(read, ctx, (m->cr3 & 0xfffff000ull) + ((la >> 22) << 2), 4, &pde))
		return -1;
	if ((pde & PTE_PS) && (m->cr4 & CR4_PSE)) {
		*gpa = (pde & 0xffc00000ull) | (((pde >> 13) & 0xffull) << 32) | (la & 0x3fffffu);
		return 0;
	}
	if (entry(read, ctx, (pde & 0xfffff000ull) + (((la >> 12) & 0x3ffu) << 2), 4, &pte))
		return -1;
	*gpa = (pte & 0xfffff000ull) | (la & 0xfffu);
	return 0;
}

/* From the page directory down, shared by PAE and 4-level paging (SDM Vol 3A 4.4.2, 4.5.4). */
static int walk_pd(uint64_t pd, uint64_t la, gva_read_fn read, void *ctx, uint64_t *gpa)
{
	uint64_t pde, pte;

	if (entry(read, ctx, (pd & ADDR_52) + (((la >> 21) & 0x1ff) << 3), 8, &pde))
		return -1;
	if (pde & PTE_PS) {
		*gpa = (pde & ADDR_52 & ~0x1fffffull) | (la & 0x1fffffull);
		return 0;
	}
	if (entry(read, ctx, (pde & ADDR_52) + (((la >> 12) & 0x1ff) << 3), 8, &pte))
		return -1;
	*gpa = (pte & ADDR_52) | (la & 0xfffull);
	return 0;
}

static int walk_pae(const struct gva_mode *m, uint32_t la, gva_read_fn read, void *ctx, uint64_t *gpa)
{
	uint64_t pdpte;

	if (entry(read, ctx, (m->cr3 & 0xffffffe0ull) + ((la >> 30) << 3), 8, &pdpte))
		return -1;
	return walk_pd(pdpte, la, read, ctx, gpa);
}

static int walk64(const struct gva_mode *m, uint64_t la, gva_read_fn read, void *ctx, uint64_t *gpa)
{
	uint64_t pml4e, pdpte;

	if (entry(read, ctx, (m->cr3 & ADDR_52) + (((la >> 39) & 0x1ff) << 3), 8, &pml4e) ||
	    entry(read, ctx, (pml4e & ADDR_52) + (((la >> 30) & 0x1ff) << 3), 8, &pdpte))
		return -1;
	if (pdpte & PTE_PS) { /* 1 GiB page */
		*gpa = (pdpte & ADDR_52 & ~0x3fffffffull) | (la & 0x3fffffffull);
		return 0;
	}
	return walk_pd(pdpte, la, read, ctx, gpa);
}

int gva_translate(const struct gva_mode *m, uint64_t la, gva_read_fn read, void *ctx, uint64_t *gpa)
{
	if (!(m->cr0 & CR0_PG)) {
		*gpa = m->efer & EFER_LMA ? la : (uint32_t)la;
		return 0;
	}
	if (m->efer & EFER_LMA)
		return walk64(m, la, read, ctx, gpa);
	if (m->cr4 & CR4_PAE)
		return walk_pae(m, (uint32_t)la, read, ctx, gpa);
	return walk32(m, (uint32_t)la, read, ctx, gpa);
}
