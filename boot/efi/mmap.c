/* Taking the UEFI memory map and leaving boot services (UEFI spec 7.2 and 7.4). */
/* SPDX-License-Identifier: MIT */
#include "loader.h"
#include "mmap_convert.h"

#define MMAP_SLACK_DESCS 32u /* allocations after sizing add a few descriptors */
#define MMAP_EXIT_TRIES 8u

static EFI_STATUS mmap_fetch(struct efi_map *m)
{
	m->size = m->capacity;
	return BS->GetMemoryMap(&m->size, (EFI_MEMORY_DESCRIPTOR *)m->buf, &m->key,
				&m->desc_size, &m->desc_version);
}

/* Sizes and allocates the map buffer, then reads the map into it once. */
EFI_STATUS mmap_prepare(struct efi_map *m)
{
	EFI_STATUS status;
	uint64_t base;

	m->buf = NULL;
	m->capacity = 0;
	status = mmap_fetch(m);
	if (status != EFI_BUFFER_TOO_SMALL)
		return EFI_ERROR(status) ? status : EFI_LOAD_ERROR;
	if (m->desc_size < sizeof(struct efi_mem_desc_raw))
		return EFI_UNSUPPORTED;
	m->capacity = m->size + MMAP_SLACK_DESCS * m->desc_size;
	status = pages_alloc(m->capacity, &base);
	if (EFI_ERROR(status))
		return status;
	m->buf = (uint8_t *)(uintptr_t)base;
	return mmap_fetch(m);
}

/* [0, this) is identity mapped: 4 GiB, the whole map and the framebuffer at least. */
uint64_t mmap_identity_end(const struct efi_map *m, const struct boot_info *bi)
{
	uint64_t end = mmap_highest_end(m->buf, m->size, m->desc_size);
	uint64_t fb_end = bi->fb.base + (uint64_t)bi->fb.pitch * bi->fb.height;

	if (end < 0x100000000ull)
		end = 0x100000000ull;
	return fb_end > end ? fb_end : end;
}

static int mmap_fill(const struct efi_map *m, struct boot_info *bi)
{
	uint64_t kernel_end = pages_count(bi->kernel_phys_end) * EFI_PAGE_SIZE;

	return mmap_convert(m->buf, m->size, m->desc_size, bi->kernel_phys_base, kernel_end,
			    bi->mmap, BOOT_MMAP_MAX, &bi->mmap_count);
}

static void mmap_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * UEFI spec 7.4 ExitBootServices(): the map key must be the current one; on
 * EFI_INVALID_PARAMETER fetch the map again and retry, calling no boot service
 * other than GetMemoryMap() in between. Nothing printed after the first try.
 */
EFI_STATUS mmap_exit_boot_services(EFI_HANDLE image, struct efi_map *m, struct boot_info *bi)
{
	EFI_STATUS status = mmap_fetch(m);

	if (!EFI_ERROR(status) && mmap_fill(m, bi) != 0)
		status = EFI_BUFFER_TOO_SMALL; /* more than BOOT_MMAP_MAX entries */
	if (EFI_ERROR(status)) {
		loader_error(L"cannot convert the memory map", status);
		return status;
	}
	for (uint32_t tries = 0; tries < MMAP_EXIT_TRIES; tries++) {
		status = BS->ExitBootServices(image, m->key);
		if (!EFI_ERROR(status))
			return EFI_SUCCESS;
		if (EFI_ERROR(mmap_fetch(m)) || mmap_fill(m, bi) != 0)
			break;
	}
	/* Boot services may be half gone: there is no safe way back to the firmware. */
	mmap_halt();
	return EFI_ABORTED;
}
