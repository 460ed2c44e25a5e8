/* Guest RAM: allocation in large contiguous runs, zeroing, mapping and host access. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/gmem.h"
#include "hypervisor/vm.h"
#include "hypervisor/virt_ops.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

#define RUN_MAX (1ull << 30)

/* Takes the largest run (a power of two from 1 GiB down to 4 KiB) the allocator can give. */
static int take_run(struct vm *vm, uint64_t gpa, uint64_t want)
{
	uint64_t run = RUN_MAX;

	while (run > want)
		run >>= 1;
	for (; run >= PMM_FRAME; run >>= 1) {
		uint64_t align = run >= PAGE_SIZE_2M ? PAGE_SIZE_2M : PMM_FRAME;
		uint64_t hpa = pmm_alloc(run / PMM_FRAME, align);
		if (!hpa)
			continue;
		vm->regions[vm->region_count++] = (struct gmem_region){ gpa, hpa, run };
		memset(phys_to_virt(hpa), 0, run);
		return 0;
	}
	return -1;
}

int gmem_alloc(struct vm *vm)
{
	uint64_t gpa = 0;

	vm->region_count = 0;
	while (gpa < vm->mem_bytes) {
		uint64_t left = vm->mem_bytes - gpa;
		if (vm->region_count == VM_MAX_REGIONS || take_run(vm, gpa, left)) {
			gmem_free(vm);
			return -1;
		}
		gpa += vm->regions[vm->region_count - 1].size;
	}
	return 0;
}

void gmem_free(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->region_count; i++)
		pmm_free(vm->regions[i].hpa, vm->regions[i].size / PMM_FRAME);
	vm->region_count = 0;
}

int gmem_map_all(struct vm *vm)
{
	const struct virt_ops *ops = virt_ops_get();

	for (uint32_t i = 0; i < vm->region_count; i++) {
		const struct gmem_region *r = &vm->regions[i];
		if (ops->map(vm, r->gpa, r->hpa, r->size, GMEM_RWX))
			return -1;
	}
	return 0;
}

void gmem_zero(struct vm *vm)
{
	for (uint32_t i = 0; i < vm->region_count; i++)
		memset(phys_to_virt(vm->regions[i].hpa), 0, vm->regions[i].size);
}

void *gmem_hva(struct vm *vm, uint64_t gpa, size_t len)
{
	for (uint32_t i = 0; i < vm->region_count; i++) {
		const struct gmem_region *r = &vm->regions[i];
		if (gpa >= r->gpa && gpa - r->gpa < r->size && len <= r->size - (gpa - r->gpa))
			return (uint8_t *)phys_to_virt(r->hpa) + (gpa - r->gpa);
	}
	return NULL;
}

/* Walks regions for ranges that may cross a region boundary; the caller checked the range is RAM. */
static void for_range(struct vm *vm, uint64_t gpa, size_t n, const uint8_t *src)
{
	while (n) {
		size_t chunk = n;
		uint8_t *dst;
		for (uint32_t i = 0; i < vm->region_count; i++) {
			const struct gmem_region *r = &vm->regions[i];
			if (gpa >= r->gpa && gpa - r->gpa < r->size && chunk > r->size - (gpa - r->gpa))
				chunk = r->size - (gpa - r->gpa);
		}
		dst = gmem_hva(vm, gpa, chunk);
		if (!dst)
			return;
		if (src)
			memcpy(dst, src, chunk), src += chunk;
		else
			memset(dst, 0, chunk);
		gpa += chunk;
		n -= chunk;
	}
}

void gmem_copy_in(struct vm *vm, uint64_t gpa, const void *src, size_t n)
{
	for_range(vm, gpa, n, src);
}

void gmem_fill_zero(struct vm *vm, uint64_t gpa, size_t n)
{
	for_range(vm, gpa, n, NULL);
}
