/* Page allocation for the loader: everything it hands to the kernel lives in EfiLoaderData pages. */
/* SPDX-License-Identifier: MIT */
#include "loader.h"

uint64_t pages_count(uint64_t bytes)
{
	return (bytes + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
}

static EFI_STATUS pages_allocate(EFI_ALLOCATE_TYPE how, uint64_t bytes, uint64_t *base)
{
	EFI_PHYSICAL_ADDRESS addr = *base;
	EFI_STATUS status;

	if (bytes == 0)
		bytes = 1;
	/* UEFI spec 7.2 AllocatePages(): pages are 4 KiB aligned, contents undefined. */
	status = BS->AllocatePages(how, EfiLoaderData, pages_count(bytes), &addr);
	if (!EFI_ERROR(status))
		*base = addr;
	return status;
}

EFI_STATUS pages_alloc(uint64_t bytes, uint64_t *base)
{
	*base = 0;
	return pages_allocate(AllocateAnyPages, bytes, base);
}

EFI_STATUS pages_alloc_below(uint64_t bytes, uint64_t limit, uint64_t *base)
{
	*base = limit - 1;
	return pages_allocate(AllocateMaxAddress, bytes, base);
}

EFI_STATUS pages_alloc_at(uint64_t bytes, uint64_t base)
{
	return pages_allocate(AllocateAddress, bytes, &base);
}

void pages_free(uint64_t base, uint64_t bytes)
{
	if (bytes != 0)
		BS->FreePages(base, pages_count(bytes));
}
