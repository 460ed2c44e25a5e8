/* The one description of the machine that every boot path fills for kernel_main(). */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_BOOT_INFO_H
#define BULWARK_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Contract between a boot path and the kernel.
 *
 * The structure holds no pointers: every address in it is physical, so a boot
 * path can build it anywhere and the kernel can copy it whole before it
 * reclaims boot memory.
 *
 * Entry state when a boot path jumps to kernel_entry64 (the ELF entry point):
 *  - 64-bit long mode, interrupts off, any GDT with a 64-bit code segment;
 *  - CR3 maps [0, 4 GiB) and every range named in this structure 1:1, and maps
 *    KERNEL_LINK_BASE.. to kernel_phys_base.. (see include/bulwark/layout.h);
 *  - RDI holds the physical (= identity-mapped) address of struct boot_info.
 */

#define BOOT_INFO_MAGIC 0x4b525742u /* "BWRK" */

enum boot_path {
	BOOT_PATH_UEFI = 1,
	BOOT_PATH_MULTIBOOT2 = 2,
};

/* Normalised memory types: both the UEFI and the Multiboot2 map fold into these. */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,       /* free RAM the frame allocator may hand out */
	BOOT_MEM_RESERVED = 2,     /* firmware, MMIO, holes: never touched */
	BOOT_MEM_ACPI_RECLAIM = 3, /* ACPI tables: kept until parsed, never handed out */
	BOOT_MEM_ACPI_NVS = 4,     /* ACPI NVS: never touched */
	BOOT_MEM_BAD = 5,          /* defective RAM */
	BOOT_MEM_BOOTLOADER = 6,   /* loader data, modules, this structure: kept */
	BOOT_MEM_RUNTIME = 7,      /* UEFI runtime services code/data: never touched */
	BOOT_MEM_KERNEL = 8,       /* the hypervisor image itself */
};

struct boot_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* enum boot_mem_type */
	uint32_t reserved;
};

/* Sorts a memory map by base, keeping entries of one base in their order (an insertion sort:
 * maps are short and nearly sorted). The UEFI loader's map and the kernel's both use it. */
static inline void boot_mmap_sort(struct boot_mmap_entry *e, size_t count)
{
	for (size_t i = 1; i < count; i++) {
		struct boot_mmap_entry key = e[i];
		size_t j = i;

		while (j > 0 && e[j - 1].base > key.base) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = key;
	}
}

#define BOOT_MODULE_NAME_MAX 64
struct boot_module {
	uint64_t base; /* physical */
	uint64_t size; /* bytes */
	char name[BOOT_MODULE_NAME_MAX]; /* NUL-terminated, e.g. "bulwark.cfg", "hello.elf" */
};

struct boot_framebuffer {
	uint64_t base; /* physical, 0 when there is none */
	uint32_t width, height, pitch; /* pitch in bytes */
	uint8_t bpp;
	uint8_t reserved[7];
};

#define BOOT_MMAP_MAX 512
#define BOOT_MODULES_MAX 32
#define BOOT_CMDLINE_MAX 256
#define BOOT_LOADER_NAME_MAX 64

struct boot_info {
	uint32_t magic;     /* BOOT_INFO_MAGIC */
	uint32_t boot_path; /* enum boot_path */
	char loader_name[BOOT_LOADER_NAME_MAX];
	char cmdline[BOOT_CMDLINE_MAX];
	uint64_t kernel_phys_base; /* where KERNEL_LINK_PHYS was loaded */
	uint64_t kernel_phys_end;  /* end of the loaded image, bss included */
	uint64_t acpi_rsdp;        /* physical address of the RSDP, 0 if unknown */
	struct boot_framebuffer fb;
	uint32_t mmap_count;
	uint32_t module_count;
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
	struct boot_module modules[BOOT_MODULES_MAX];
};

#endif
