/* Turns the Multiboot2 information from GRUB into struct boot_info. */
/* SPDX-License-Identifier: MIT */

#include <stdint.h>
#include <string.h>
#include "include/bulwark/boot_info.h"
#include "include/bulwark/layout.h"
#include "boot/multiboot2/mb2.h"

/* Multiboot2 spec 3.6: tag types and memory types. */
enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6,
	MB2_TAG_FRAMEBUFFER = 8,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, length;
	uint32_t type, reserved;
};

static struct boot_info mb2_boot_info;

extern char __image_start_phys[], __kernel_end[];

static void copy_string(char *dst, size_t cap, const char *src, size_t srclen)
{
	size_t n = strnlen(src, srclen);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Multiboot2 spec 3.6.8: 1 available, 3 ACPI reclaimable, 4 NVS, 5 bad; the rest reserved. */
uint32_t mb2_mem_type(uint32_t type)
{
	switch (type) {
	case 1: return BOOT_MEM_USABLE;
	case 3: return BOOT_MEM_ACPI_RECLAIM;
	case 4: return BOOT_MEM_ACPI_NVS;
	case 5: return BOOT_MEM_BAD;
	default: return BOOT_MEM_RESERVED;
	}
}

/*
 * Slots kept for what must never be lost: the information block, every
 * module and the kernel image. Dropping a firmware entry only hides memory;
 * dropping one of these would let the frame allocator hand out the image.
 */
#define MMAP_RESERVED_SLOTS (BOOT_MODULES_MAX + 2)
#define MMAP_FIRMWARE_MAX (BOOT_MMAP_MAX - MMAP_RESERVED_SLOTS)

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type, uint32_t limit)
{
	if (bi->mmap_count >= limit || len == 0)
		return;
	bi->mmap[bi->mmap_count++] = (struct boot_mmap_entry){ base, len, type, 0 };
}

static void take_mmap(struct boot_info *bi, const struct mb2_tag *tag)
{
	const uint8_t *p = (const uint8_t *)tag + 16;
	const uint8_t *end = (const uint8_t *)tag + tag->size;
	uint32_t entry_size = ((const uint32_t *)tag)[2];

	if (entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (; p + entry_size <= end; p += entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		add_region(bi, e->base, e->length, mb2_mem_type(e->type), MMAP_FIRMWARE_MAX);
	}
}

static void take_module(struct boot_info *bi, const struct mb2_tag *tag)
{
	const uint32_t *w = (const uint32_t *)tag;
	struct boot_module *m;
	const char *name;

	if (bi->module_count >= BOOT_MODULES_MAX || tag->size < 16 || w[3] < w[2])
		return;
	m = &bi->modules[bi->module_count++];
	m->base = w[2];
	m->size = w[3] - w[2];
	name = (const char *)&w[4];
	/* The module string is "NAME [args]"; a leading path is dropped. */
	for (const char *s = name; *s && *s != ' '; s++)
		if (*s == '/')
			name = s + 1;
	copy_string(m->name, sizeof(m->name), name, tag->size - 16);
	m->name[strcspn(m->name, " ")] = 0;
}

static void take_tag(struct boot_info *bi, const struct mb2_tag *tag)
{
	const uint8_t *body = (const uint8_t *)(tag + 1);
	size_t body_len = tag->size - sizeof(*tag);

	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		copy_string(bi->cmdline, sizeof(bi->cmdline), (const char *)body, body_len);
		break;
	case MB2_TAG_LOADER_NAME:
		copy_string(bi->loader_name, sizeof(bi->loader_name), (const char *)body, body_len);
		break;
	case MB2_TAG_MODULE:
		take_module(bi, tag);
		break;
	case MB2_TAG_MMAP:
		take_mmap(bi, tag);
		break;
	case MB2_TAG_FRAMEBUFFER:
		if (body_len >= 22) {
			memcpy(&bi->fb.base, body, 8);
			memcpy(&bi->fb.pitch, body + 8, 4);
			memcpy(&bi->fb.width, body + 12, 4);
			memcpy(&bi->fb.height, body + 16, 4);
			bi->fb.bpp = body[20];
		}
		break;
	case MB2_TAG_ACPI_NEW: /* a copy of the RSDP lives in the tag itself */
		bi->acpi_rsdp = (uint64_t)(uintptr_t)body;
		break;
	case MB2_TAG_ACPI_OLD:
		if (!bi->acpi_rsdp)
			bi->acpi_rsdp = (uint64_t)(uintptr_t)body;
		break;
	}
}

struct boot_info *multiboot2_to_boot_info(uint64_t mbi_phys)
{
	struct boot_info *bi = &mb2_boot_info;
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)mbi_phys;
	uint32_t total = *(const uint32_t *)mbi;
	const uint8_t *p = mbi + 8;

	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->boot_path = BOOT_PATH_MULTIBOOT2;
	bi->kernel_phys_base = KERNEL_LINK_PHYS;
	bi->kernel_phys_end = (uint64_t)(uintptr_t)__kernel_end - KERNEL_VIRT_BASE;
	while (p + sizeof(struct mb2_tag) <= mbi + total) {
		const struct mb2_tag *tag = (const void *)p;
		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag))
			break;
		take_tag(bi, tag);
		p += (tag->size + 7) & ~7u; /* tags are 8-byte aligned, spec 3.6.1 */
	}
	/* The information block and the modules stay where GRUB put them. */
	add_region(bi, mbi_phys, total, BOOT_MEM_BOOTLOADER, BOOT_MMAP_MAX);
	for (uint32_t i = 0; i < bi->module_count; i++)
		add_region(bi, bi->modules[i].base, bi->modules[i].size, BOOT_MEM_BOOTLOADER, BOOT_MMAP_MAX);
	add_region(bi, bi->kernel_phys_base, bi->kernel_phys_end - bi->kernel_phys_base, BOOT_MEM_KERNEL, BOOT_MMAP_MAX);
	return bi;
}
