/* Builds and owns the hypervisor's 4-level page tables (SDM Vol 3A 4.5). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kernel/arch/x86.h"

/*
 * Table pages come from a pool in the image until the frame allocator runs
 * (the direct map must exist before it can), then from the allocator.
 */
#define EARLY_POOL_PAGES 160
static uint8_t early_pool[EARLY_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned early_used;
static uint64_t *pml4;
static uint64_t kernel_phys_base;
static uint64_t table_pages;
static struct spinlock paging_lock = SPINLOCK_INIT;

extern char __kernel_start[], __kernel_end[];

uint64_t virt_to_phys(const void *v)
{
	uint64_t a = (uint64_t)(uintptr_t)v;
	if (a >= KERNEL_VIRT_BASE)
		return a - KERNEL_LINK_BASE + kernel_phys_base;
	return a - HHDM_BASE;
}

static uint64_t *new_table(void)
{
	uint64_t *t;

	if (early_used < EARLY_POOL_PAGES) {
		t = (uint64_t *)early_pool[early_used++];
	} else {
		uint64_t phys = pmm_alloc_frame();
		if (!phys)
			panic("out of memory for page tables");
		t = phys_to_virt(phys);
	}
	memset(t, 0, PAGE_SIZE);
	table_pages++;
	return t;
}

/* Early tables are reached through the image mapping: the direct map may not exist yet. */
static uint64_t *table_virt(uint64_t phys)
{
	uint64_t pool = virt_to_phys(early_pool);
	if (phys >= pool && phys < pool + sizeof(early_pool))
		return (uint64_t *)(early_pool[0] + (phys - pool));
	return phys_to_virt(phys);
}

/* Returns the table that entry `idx` of `table` points to, creating it if needed. */
static uint64_t *next_level(uint64_t *table, unsigned idx)
{
	if (!(table[idx] & PTE_P))
		table[idx] = virt_to_phys(new_table()) | PTE_P | PTE_W;
	if (table[idx] & PTE_PS)
		panic("paging: a large page is in the way at index %u", idx);
	return table_virt(table[idx] & PTE_ADDR_MASK);
}

static void map_2m(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pdpt = next_level(pml4, (va >> 39) & 511);
	uint64_t *pd = next_level(pdpt, (va >> 30) & 511);
	pd[(va >> 21) & 511] = (pa & ~(PAGE_SIZE_2M - 1)) | flags | PTE_PS | PTE_P;
}

static void map_4k(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pdpt = next_level(pml4, (va >> 39) & 511);
	uint64_t *pd = next_level(pdpt, (va >> 30) & 511);
	uint64_t *pt = next_level(pd, (va >> 21) & 511);
	pt[(va >> 12) & 511] = (pa & PTE_ADDR_MASK) | flags | PTE_P;
}

static uint64_t map_top(const struct boot_info *bi)
{
	uint64_t top = 1ull << 32;
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		if (e->type != BOOT_MEM_RESERVED && e->base + e->length > top)
			top = e->base + e->length;
	}
	return (top + PAGE_SIZE_2M - 1) & ~(uint64_t)(PAGE_SIZE_2M - 1);
}

void paging_init(const struct boot_info *bi)
{
	uint64_t top = map_top(bi);
	uint64_t img_start = (uint64_t)__kernel_start & ~(uint64_t)(PAGE_SIZE_2M - 1);
	uint64_t img_end = ((uint64_t)__kernel_end + PAGE_SIZE_2M - 1) & ~(uint64_t)(PAGE_SIZE_2M - 1);

	kernel_phys_base = bi->kernel_phys_base;
	/* Until CR3 changes, the boot tables map the image, so table pages are reached through it. */
	pml4 = new_table();
	for (uint64_t pa = 0; pa < top; pa += PAGE_SIZE_2M)
		map_2m(HHDM_BASE + pa, pa, PTE_W | PTE_G | PTE_NX);
	for (uint64_t va = img_start; va < img_end; va += PAGE_SIZE_2M)
		map_2m(va, va - KERNEL_LINK_BASE + kernel_phys_base, PTE_W | PTE_G);
	write_cr3(virt_to_phys(pml4));
}

void *paging_map_mmio(uint64_t phys, uint64_t size)
{
	uint64_t flags = spin_lock_irqsave(&paging_lock);
	uint64_t start = phys & ~(uint64_t)(PAGE_SIZE - 1);

	for (uint64_t pa = start; pa < phys + size; pa += PAGE_SIZE) {
		uint64_t va = HHDM_BASE + pa;
		uint64_t *pdpt = next_level(pml4, (va >> 39) & 511);
		uint64_t *pd = next_level(pdpt, (va >> 30) & 511);
		if (pd[(va >> 21) & 511] & PTE_PS)
			continue; /* RAM-range 2 MiB page: the MTRRs make device ranges uncached */
		map_4k(va, pa, PTE_W | PTE_PCD | PTE_PWT | PTE_NX);
		invlpg(va);
	}
	spin_unlock_irqrestore(&paging_lock, flags);
	return phys_to_virt(phys);
}

void paging_identity_low(int on)
{
	if (on)
		map_2m(0, 0, PTE_W);
	else
		next_level(next_level(pml4, 0), 0)[0] = 0;
	write_cr3(read_cr3());
}

uint64_t paging_kernel_cr3(void)
{
	return virt_to_phys(pml4);
}

uint64_t paging_table_bytes(void)
{
	return table_pages * PAGE_SIZE;
}
