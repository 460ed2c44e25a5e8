/* Loading the kernel ELF from the ESP at a 2 MiB aligned physical address. */
/* SPDX-License-Identifier: MIT */
#include "bulwark/layout.h"
#include "elf_check.h"
#include "loader.h"

#define KERNEL_ALLOC_LIMIT 0x100000000ull /* place the image below 4 GiB */

/*
 * Reserves SPAN bytes at a 2 MiB aligned P: KERNEL_LINK_PHYS when it is free,
 * else any span + 2 MiB below 4 GiB, aligned up, with the slack given back.
 */
static EFI_STATUS kernel_reserve(uint64_t span, uint64_t *phys)
{
	uint64_t base, aligned, size = pages_count(span) * EFI_PAGE_SIZE;
	EFI_STATUS status;

	if (!EFI_ERROR(pages_alloc_at(size, KERNEL_LINK_PHYS))) {
		*phys = KERNEL_LINK_PHYS;
		return EFI_SUCCESS;
	}
	status = pages_alloc_below(size + PAGE_SIZE_2M, KERNEL_ALLOC_LIMIT, &base);
	if (EFI_ERROR(status))
		return status;
	aligned = (base + PAGE_SIZE_2M - 1) & ~(uint64_t)(PAGE_SIZE_2M - 1);
	pages_free(base, aligned - base);
	pages_free(aligned + size, base + size + PAGE_SIZE_2M - (aligned + size));
	*phys = aligned;
	return EFI_SUCCESS;
}

static EFI_STATUS kernel_place(const struct loaded_file *f, struct boot_info *bi,
			       uint64_t *entry)
{
	const void *image = (const void *)(uintptr_t)f->base;
	struct elf_plan plan;
	const char *why;
	uint64_t phys;
	EFI_STATUS status;

	if (elf_check_kernel(image, f->size, &plan, &why) != 0) {
		Print(L"bulwark: error: \\bulwark\\bulwark.elf refused: %a\r\n", why);
		return EFI_LOAD_ERROR;
	}
	status = kernel_reserve(plan.span, &phys);
	if (EFI_ERROR(status)) {
		loader_error(L"no room for the kernel image", status);
		return status;
	}
	elf_load_segments(image, (uint8_t *)(uintptr_t)phys);
	bi->kernel_phys_base = phys;
	bi->kernel_phys_end = phys + plan.span;
	*entry = plan.entry;
	Print(L"bulwark: kernel: %d segments at 0x%lx-0x%lx, entry 0x%lx\r\n", plan.load_count,
	      bi->kernel_phys_base, bi->kernel_phys_end, plan.entry);
	return EFI_SUCCESS;
}

EFI_STATUS kernel_load(EFI_FILE_HANDLE root, struct boot_info *bi, uint64_t *entry)
{
	struct loaded_file f;
	EFI_STATUS status = file_read_path(root, ESP_KERNEL_PATH, &f);

	if (EFI_ERROR(status)) {
		loader_error(L"cannot read \\bulwark\\bulwark.elf", status);
		return status;
	}
	status = kernel_place(&f, bi, entry);
	pages_free(f.base, f.size);
	return status;
}
