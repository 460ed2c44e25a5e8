/* Conversion of the UEFI memory map into the boot_info memory map: pure logic, also built on the host. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "mmap_convert.h"

uint32_t mmap_type_from_efi(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_RAW_CONVENTIONAL:
	case EFI_RAW_BS_CODE: /* free once ExitBootServices() returns (UEFI spec 7.4) */
	case EFI_RAW_BS_DATA:
		return BOOT_MEM_USABLE;
	case EFI_RAW_LOADER_CODE:
	case EFI_RAW_LOADER_DATA:
		return BOOT_MEM_BOOTLOADER;
	case EFI_RAW_RT_CODE:
	case EFI_RAW_RT_DATA:
		return BOOT_MEM_RUNTIME;
	case EFI_RAW_ACPI_RECLAIM:
		return BOOT_MEM_ACPI_RECLAIM;
	case EFI_RAW_ACPI_NVS:
		return BOOT_MEM_ACPI_NVS;
	case EFI_RAW_UNUSABLE:
		return BOOT_MEM_BAD;
	default: /* reserved, MMIO, PAL code, persistent, unaccepted, OEM types */
		return BOOT_MEM_RESERVED;
	}
}

uint32_t mmap_sort_merge(struct boot_mmap_entry *e, uint32_t count)
{
	uint32_t out = 0;

	boot_mmap_sort(e, count);
	for (uint32_t i = 0; i < count; i++) {
		if (e[i].length == 0)
			continue;
		if (out > 0 && e[out - 1].type == e[i].type &&
		    e[out - 1].base + e[out - 1].length == e[i].base) {
			e[out - 1].length += e[i].length;
			continue;
		}
		e[out++] = e[i];
	}
	return out;
}

struct mmap_sink {
	struct boot_mmap_entry *out;
	uint32_t max;
	uint32_t count;
};

static int mmap_add(struct mmap_sink *s, uint64_t base, uint64_t end, uint32_t type)
{
	if (end <= base)
		return 0;
	if (s->count == s->max)
		s->count = mmap_sort_merge(s->out, s->count);
	if (s->count == s->max)
		return -1;
	s->out[s->count++] = (struct boot_mmap_entry){
		.base = base, .length = end - base, .type = type, .reserved = 0
	};
	return 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Adds [base, end) of TYPE, with the part inside [kb, ke) marked as the kernel. */
static int mmap_add_split(struct mmap_sink *s, uint64_t base, uint64_t end, uint32_t type,
			  uint64_t kb, uint64_t ke)
{
	if (ke <= kb || end <= kb || base >= ke)
		return mmap_add(s, base, end, type);
	if (mmap_add(s, base, min_u64(end, kb), type) != 0 ||
	    mmap_add(s, max_u64(base, kb), min_u64(end, ke), BOOT_MEM_KERNEL) != 0)
		return -1;
	return mmap_add(s, max_u64(base, ke), end, type);
}

/* Reads descriptor I; returns -1 when it is malformed (its range wraps). */
static int mmap_read_desc(const void *map, uint64_t desc_size, uint64_t i, uint64_t *base,
			  uint64_t *end, uint32_t *efi_type)
{
	struct efi_mem_desc_raw d;

	memcpy(&d, (const uint8_t *)map + i * desc_size, sizeof(d));
	if (d.num_pages > (UINT64_MAX - d.phys_start) / EFI_RAW_PAGE_SIZE)
		return -1;
	*base = d.phys_start;
	*end = d.phys_start + d.num_pages * EFI_RAW_PAGE_SIZE;
	*efi_type = d.type;
	return 0;
}

int mmap_convert(const void *map, uint64_t map_size, uint64_t desc_size,
		 uint64_t kernel_base, uint64_t kernel_end, struct boot_mmap_entry *out,
		 uint32_t max, uint32_t *count)
{
	struct mmap_sink s = { .out = out, .max = max, .count = 0 };
	uint64_t base, end;
	uint32_t efi_type;

	*count = 0;
	if (map == NULL || desc_size < sizeof(struct efi_mem_desc_raw) || max == 0)
		return -1;
	for (uint64_t i = 0; i < map_size / desc_size; i++) {
		if (mmap_read_desc(map, desc_size, i, &base, &end, &efi_type) != 0)
			return -1;
		if (mmap_add_split(&s, base, end, mmap_type_from_efi(efi_type), kernel_base,
				   kernel_end) != 0)
			return -1;
	}
	*count = mmap_sort_merge(out, s.count);
	return 0;
}

uint64_t mmap_highest_end(const void *map, uint64_t map_size, uint64_t desc_size)
{
	uint64_t base, end, highest = 0;
	uint32_t efi_type;

	if (map == NULL || desc_size < sizeof(struct efi_mem_desc_raw))
		return 0;
	for (uint64_t i = 0; i < map_size / desc_size; i++) {
		if (mmap_read_desc(map, desc_size, i, &base, &end, &efi_type) != 0)
			return 0;
		highest = max_u64(highest, end);
	}
	return highest;
}
