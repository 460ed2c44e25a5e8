/* Allocating and building the kernel's entry page tables while boot services still run. */
/* SPDX-License-Identifier: MIT */
#include "loader.h"
#include "pt_build.h"

/* CPUID.80000001H:EDX[26] — 1-GByte pages (Intel SDM Vol 3A 4.1.4). */
static int paging_has_1g(void)
{
	uint32_t eax, ebx, ecx, edx;

	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x80000000u), "c"(0));
	if (eax < 0x80000001u)
		return 0;
	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x80000001u), "c"(0));
	return (edx >> 26) & 1u;
}

/* CR4.LA57 (SDM Vol 3A 2.5): the tables built here are 4-level only. */
static int paging_is_5_level(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return (cr4 >> 12) & 1u;
}

EFI_STATUS paging_prepare(uint64_t identity_end, const struct boot_info *bi, uint64_t *cr3)
{
	struct pt_layout layout = {
		.identity_end = identity_end,
		.kernel_phys_base = bi->kernel_phys_base,
		.kernel_span = bi->kernel_phys_end - bi->kernel_phys_base,
		.use_1g = paging_has_1g(),
	};
	uint32_t pages = pt_pages_needed(&layout);
	struct pt_pool pool;
	uint64_t base;
	EFI_STATUS status;

	if (paging_is_5_level() || pages == 0) {
		loader_error(L"cannot describe this machine with 4-level paging", EFI_UNSUPPORTED);
		return EFI_UNSUPPORTED;
	}
	status = pages_alloc((uint64_t)pages * EFI_PAGE_SIZE, &base);
	if (EFI_ERROR(status)) {
		loader_error(L"no memory for page tables", status);
		return status;
	}
	pool = (struct pt_pool){ .pages = (uint64_t *)(uintptr_t)base, .capacity = pages };
	if (pt_build(&pool, &layout, cr3) != 0) {
		loader_error(L"page table build failed", EFI_BUFFER_TOO_SMALL);
		return EFI_BUFFER_TOO_SMALL;
	}
	Print(L"bulwark: page tables: %d pages, identity map to 0x%lx\r\n", pool.used, identity_end);
	return EFI_SUCCESS;
}
