/* Validation of the kernel ELF image before the UEFI loader trusts any of its fields. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_EFI_ELF_CHECK_H
#define BULWARK_EFI_ELF_CHECK_H

#include <stdint.h>

/* ELF-64 object file format, version 1.5 (the System V ABI), sections 3 and 5. */
#define ELF_PT_LOAD 1u
#define ELF_ET_EXEC 2u
#define ELF_EM_X86_64 62u

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

/* Upper bounds that keep every later computation far from overflow. */
#define ELF_PHNUM_MAX 64u
#define ELF_KERNEL_SPAN_MAX 0x40000000ull /* 1 GiB from KERNEL_LINK_PHYS */

/* What the loader needs once the image has been accepted. */
struct elf_plan {
	uint64_t entry; /* e_entry: a high-half virtual address */
	uint64_t span;  /* bytes from KERNEL_LINK_PHYS to the end of the highest segment */
	uint32_t load_count;
};

/*
 * Checks that IMAGE (SIZE bytes, any alignment) is an x86-64 ELF64 executable
 * whose program headers and PT_LOAD segments lie inside the file, whose
 * segments are placed at or above KERNEL_LINK_PHYS without overlapping, and
 * whose entry point lies in a high-half segment.
 * Returns 0 and fills PLAN, or -1 and points *WHY at a static message.
 */
int elf_check_kernel(const void *image, uint64_t size, struct elf_plan *plan,
		     const char **why);

/* Reads program header INDEX of an image elf_check_kernel() accepted. */
void elf_read_phdr(const void *image, uint32_t index, struct elf64_phdr *ph);

/*
 * Copies every PT_LOAD of an accepted image to DEST + (p_paddr -
 * KERNEL_LINK_PHYS) and zeroes the rest of its p_memsz. DEST must hold
 * plan.span bytes.
 */
void elf_load_segments(const void *image, uint8_t *dest);

#endif
