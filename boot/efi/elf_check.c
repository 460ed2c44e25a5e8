/* Validation and copying of the kernel ELF image: pure logic, also built on the host. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "bulwark/layout.h"
#include "elf_check.h"

static void elf_read_ehdr(const void *image, struct elf64_ehdr *eh)
{
	memcpy(eh, image, sizeof(*eh));
}

void elf_read_phdr(const void *image, uint32_t index, struct elf64_phdr *ph)
{
	struct elf64_ehdr eh;

	elf_read_ehdr(image, &eh);
	memcpy(ph, (const uint8_t *)image + eh.e_phoff + (uint64_t)index * sizeof(*ph),
	       sizeof(*ph));
}

/* ELF-64 format, section 3 "File header": identification and type. */
static const char *elf_check_header(const struct elf64_ehdr *eh, uint64_t size)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	for (uint32_t i = 0; i < sizeof(magic); i++)
		if (eh->e_ident[i] != magic[i])
			return "not an ELF file (bad magic)";
	if (eh->e_ident[4] != 2)
		return "not a 64-bit ELF (EI_CLASS)";
	if (eh->e_ident[5] != 1)
		return "not a little-endian ELF (EI_DATA)";
	if (eh->e_ident[6] != 1 || eh->e_version != 1)
		return "unknown ELF version";
	if (eh->e_machine != ELF_EM_X86_64)
		return "ELF machine is not x86-64";
	if (eh->e_type != ELF_ET_EXEC)
		return "ELF type is not EXEC";
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return "bad program header entry size";
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_PHNUM_MAX)
		return "bad program header count";
	if (eh->e_phoff > size ||
	    (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff)
		return "program headers lie outside the file";
	return NULL;
}

/* A high-half segment must keep the link-time distance between p_vaddr and p_paddr. */
static int elf_segment_is_high(const struct elf64_phdr *ph)
{
	return ph->p_vaddr >= KERNEL_LINK_BASE &&
	       ph->p_vaddr - KERNEL_LINK_BASE == ph->p_paddr - KERNEL_LINK_PHYS;
}

static const char *elf_check_segment(const struct elf64_phdr *ph, uint64_t size)
{
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return "PT_LOAD segment lies outside the file";
	if (ph->p_filesz > ph->p_memsz)
		return "PT_LOAD segment has p_filesz > p_memsz";
	if (ph->p_paddr < KERNEL_LINK_PHYS)
		return "PT_LOAD segment below KERNEL_LINK_PHYS";
	if (ph->p_memsz > ELF_KERNEL_SPAN_MAX ||
	    ph->p_paddr - KERNEL_LINK_PHYS > ELF_KERNEL_SPAN_MAX - ph->p_memsz)
		return "PT_LOAD segment too large or placed too high";
	if (ph->p_vaddr != ph->p_paddr && !elf_segment_is_high(ph))
		return "PT_LOAD p_vaddr neither identity nor KERNEL_LINK_BASE-relative";
	return NULL;
}

static int elf_segments_overlap(const struct elf64_phdr *a, const struct elf64_phdr *b)
{
	return a->p_paddr < b->p_paddr + b->p_memsz && b->p_paddr < a->p_paddr + a->p_memsz;
}

static const char *elf_check_overlaps(const void *image, uint32_t phnum)
{
	struct elf64_phdr a, b;

	for (uint32_t i = 0; i < phnum; i++) {
		elf_read_phdr(image, i, &a);
		if (a.p_type != ELF_PT_LOAD || a.p_memsz == 0)
			continue;
		for (uint32_t j = i + 1; j < phnum; j++) {
			elf_read_phdr(image, j, &b);
			if (b.p_type == ELF_PT_LOAD && b.p_memsz != 0 &&
			    elf_segments_overlap(&a, &b))
				return "PT_LOAD segments overlap";
		}
	}
	return NULL;
}

static int elf_entry_in(const struct elf64_phdr *ph, uint64_t entry)
{
	return elf_segment_is_high(ph) && entry >= ph->p_vaddr &&
	       entry - ph->p_vaddr < ph->p_filesz;
}

static const char *elf_check_segments(const void *image, uint64_t size, uint32_t phnum,
				      struct elf_plan *plan)
{
	struct elf64_phdr ph;
	const char *why;
	int entry_ok = 0;

	for (uint32_t i = 0; i < phnum; i++) {
		elf_read_phdr(image, i, &ph);
		if (ph.p_type != ELF_PT_LOAD)
			continue;
		why = elf_check_segment(&ph, size);
		if (why)
			return why;
		plan->load_count++;
		if (ph.p_paddr + ph.p_memsz - KERNEL_LINK_PHYS > plan->span)
			plan->span = ph.p_paddr + ph.p_memsz - KERNEL_LINK_PHYS;
		entry_ok |= elf_entry_in(&ph, plan->entry);
	}
	if (plan->load_count == 0 || plan->span == 0)
		return "no PT_LOAD segment with contents";
	if (!entry_ok)
		return "entry point is not inside a high-half PT_LOAD segment";
	return elf_check_overlaps(image, phnum);
}

int elf_check_kernel(const void *image, uint64_t size, struct elf_plan *plan,
		     const char **why)
{
	struct elf64_ehdr eh;

	*why = NULL;
	memset(plan, 0, sizeof(*plan));
	if (image == NULL || size < sizeof(eh)) {
		*why = "file too small for an ELF header";
		return -1;
	}
	elf_read_ehdr(image, &eh);
	*why = elf_check_header(&eh, size);
	if (*why == NULL) {
		plan->entry = eh.e_entry;
		*why = elf_check_segments(image, size, eh.e_phnum, plan);
	}
	return *why == NULL ? 0 : -1;
}

void elf_load_segments(const void *image, uint8_t *dest)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;

	elf_read_ehdr(image, &eh);
	for (uint32_t i = 0; i < eh.e_phnum; i++) {
		elf_read_phdr(image, i, &ph);
		if (ph.p_type != ELF_PT_LOAD)
			continue;
		uint8_t *at = dest + (ph.p_paddr - KERNEL_LINK_PHYS);
		memcpy(at, (const uint8_t *)image + ph.p_offset, ph.p_filesz);
		memset(at + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
}
