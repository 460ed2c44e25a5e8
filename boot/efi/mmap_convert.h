/* Conversion of the UEFI memory map into the boot_info memory map: pure logic, also built on the host. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_EFI_MMAP_CONVERT_H
#define BULWARK_EFI_MMAP_CONVERT_H

#include <stdint.h>

#include "bulwark/boot_info.h"

/* EFI_MEMORY_TYPE values, UEFI spec 2.10, 7.2 "Memory Allocation Services". */
enum efi_mem_type_raw {
	EFI_RAW_RESERVED = 0,
	EFI_RAW_LOADER_CODE = 1,
	EFI_RAW_LOADER_DATA = 2,
	EFI_RAW_BS_CODE = 3,
	EFI_RAW_BS_DATA = 4,
	EFI_RAW_RT_CODE = 5,
	EFI_RAW_RT_DATA = 6,
	EFI_RAW_CONVENTIONAL = 7,
	EFI_RAW_UNUSABLE = 8,
	EFI_RAW_ACPI_RECLAIM = 9,
	EFI_RAW_ACPI_NVS = 10,
	EFI_RAW_MMIO = 11,
	EFI_RAW_MMIO_PORT = 12,
	EFI_RAW_PAL_CODE = 13,
	EFI_RAW_PERSISTENT = 14,
	EFI_RAW_UNACCEPTED = 15,
};

/* EFI_MEMORY_DESCRIPTOR (UEFI spec 7.2, GetMemoryMap()); entries are desc_size apart. */
struct efi_mem_desc_raw {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t num_pages;
	uint64_t attribute;
};

#define EFI_RAW_PAGE_SIZE 4096ull

/* The boot_mem_type an EFI memory type becomes once boot services have exited. */
uint32_t mmap_type_from_efi(uint32_t efi_type);

/*
 * Converts the EFI map (MAP_SIZE bytes, entries DESC_SIZE apart) into OUT
 * (room for MAX entries): types folded, [KERNEL_BASE, KERNEL_END) marked
 * BOOT_MEM_KERNEL, entries sorted by base and adjacent ones of one type merged.
 * Malformed descriptors (too small a DESC_SIZE, a range that wraps) are
 * refused. Returns 0 and sets *COUNT, or -1 when the map is malformed or does
 * not fit.
 */
int mmap_convert(const void *map, uint64_t map_size, uint64_t desc_size,
		 uint64_t kernel_base, uint64_t kernel_end, struct boot_mmap_entry *out,
		 uint32_t max, uint32_t *count);

/* The end of the highest range in the EFI map (0 when it is empty or malformed). */
uint64_t mmap_highest_end(const void *map, uint64_t map_size, uint64_t desc_size);

/* Sorts ENTRIES by base and merges adjacent ones of one type; returns the new count. */
uint32_t mmap_sort_merge(struct boot_mmap_entry *entries, uint32_t count);

#endif
