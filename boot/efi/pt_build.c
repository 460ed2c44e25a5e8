/* Builder of the 4-level page tables the kernel is entered with: pure logic, also built on the host. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "bulwark/layout.h"
#include "pt_build.h"

#define KERNEL_PD_COUNT 2u /* PDPT entries 510 and 511 of PML4 entry 511 */

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

static int pt_layout_valid(const struct pt_layout *l)
{
	return l->identity_end <= PT_IDENTITY_LIMIT && l->kernel_phys_base >= KERNEL_LINK_PHYS &&
	       l->kernel_phys_base % PAGE_SIZE_2M == 0 && l->kernel_span != 0 &&
	       l->kernel_span <= PT_SIZE_1G && l->kernel_phys_base <= PT_IDENTITY_LIMIT;
}

static uint64_t pt_identity_gib(const struct pt_layout *l)
{
	uint64_t end = l->identity_end < PT_IDENTITY_MIN ? PT_IDENTITY_MIN : l->identity_end;

	return round_up(end, PT_SIZE_1G) / PT_SIZE_1G;
}

uint32_t pt_pages_needed(const struct pt_layout *l)
{
	uint64_t gib, pds;

	if (!pt_layout_valid(l))
		return 0;
	gib = pt_identity_gib(l);
	pds = l->use_1g ? PT_IDENTITY_MIN / PT_SIZE_1G : gib;
	return (uint32_t)(1 + round_up(gib, PT_ENTRIES) / PT_ENTRIES + pds + 1 + KERNEL_PD_COUNT);
}

static uint64_t *pt_take(struct pt_pool *pool)
{
	uint64_t *page;

	if (pool->used >= pool->capacity)
		return NULL;
	page = pool->pages + (size_t)pool->used * PT_ENTRIES;
	pool->used++;
	for (uint32_t i = 0; i < PT_ENTRIES; i++)
		page[i] = 0;
	return page;
}

static uint64_t pt_addr(const uint64_t *page)
{
	return (uint64_t)(uintptr_t)page;
}

/* Fills a page directory with 2 MiB pages starting at PHYS. */
static void pt_fill_pd(uint64_t *pd, uint64_t phys, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		pd[i] = (phys + (uint64_t)i * PAGE_SIZE_2M) | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
}

/* Maps GiB number G of the identity map into its PDPT slot. */
static int pt_map_identity_gib(struct pt_pool *pool, uint64_t *pdpt, uint64_t g, int use_1g)
{
	uint64_t *pd;

	if (use_1g && g >= PT_IDENTITY_MIN / PT_SIZE_1G) {
		pdpt[g % PT_ENTRIES] = (g * PT_SIZE_1G) | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
		return 0;
	}
	pd = pt_take(pool);
	if (pd == NULL)
		return -1;
	pt_fill_pd(pd, g * PT_SIZE_1G, PT_ENTRIES);
	pdpt[g % PT_ENTRIES] = pt_addr(pd) | PTE_PRESENT | PTE_WRITE;
	return 0;
}

static int pt_map_identity(struct pt_pool *pool, uint64_t *pml4, const struct pt_layout *l)
{
	uint64_t gib = pt_identity_gib(l);
	uint64_t *pdpt = NULL;

	for (uint64_t g = 0; g < gib; g++) {
		if (g % PT_ENTRIES == 0) {
			pdpt = pt_take(pool);
			if (pdpt == NULL)
				return -1;
			pml4[g / PT_ENTRIES] = pt_addr(pdpt) | PTE_PRESENT | PTE_WRITE;
		}
		if (pt_map_identity_gib(pool, pdpt, g, l->use_1g) != 0)
			return -1;
	}
	return 0;
}

/* KERNEL_VIRT_BASE + off -> kernel_phys_base - KERNEL_LINK_PHYS + off. */
static int pt_map_kernel(struct pt_pool *pool, uint64_t *pml4, const struct pt_layout *l)
{
	uint64_t pages = round_up(KERNEL_LINK_PHYS + l->kernel_span, PAGE_SIZE_2M) / PAGE_SIZE_2M;
	uint64_t phys = l->kernel_phys_base - KERNEL_LINK_PHYS;
	uint64_t *pdpt = pt_take(pool);

	if (pdpt == NULL)
		return -1;
	pml4[(KERNEL_VIRT_BASE >> 39) & 511] = pt_addr(pdpt) | PTE_PRESENT | PTE_WRITE;
	for (uint32_t k = 0; k < KERNEL_PD_COUNT && pages > 0; k++) {
		uint32_t n = pages > PT_ENTRIES ? PT_ENTRIES : (uint32_t)pages;
		uint64_t *pd = pt_take(pool);

		if (pd == NULL)
			return -1;
		pt_fill_pd(pd, phys + (uint64_t)k * PT_SIZE_1G, n);
		pdpt[((KERNEL_VIRT_BASE >> 30) & 511) + k] = pt_addr(pd) | PTE_PRESENT | PTE_WRITE;
		pages -= n;
	}
	return 0;
}

int pt_build(struct pt_pool *pool, const struct pt_layout *layout, uint64_t *cr3)
{
	uint64_t *pml4;

	if (!pt_layout_valid(layout))
		return -1;
	pml4 = pt_take(pool);
	if (pml4 == NULL || pt_map_identity(pool, pml4, layout) != 0 ||
	    pt_map_kernel(pool, pml4, layout) != 0)
		return -1;
	*cr3 = pt_addr(pml4);
	return 0;
}
