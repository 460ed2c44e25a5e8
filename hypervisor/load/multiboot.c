/* Multiboot 0.6.96 loader: find and check the header, load the kernel and modules, write the information. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <string.h>
#include "hypervisor/load/multiboot.h"
#include "hypervisor/load/boot_gdt.h"
#include "hypervisor/load/e820.h"
#include "hypervisor/load/elf.h"
#include "hypervisor/load/layout.h"
#include "hypervisor/errf.h"
#include "hypervisor/load/le_bytes.h"

/* Header (Multiboot 0.6.96 3.1.1-3.1.3). */
#define MB_HEADER_MAGIC 0x1BADB002u
#define MB_PAGE_ALIGN (1u << 0)      /* modules page aligned: always done */
#define MB_MEMORY_INFO (1u << 1)     /* mem_* and mmap: always given */
#define MB_VIDEO_MODE (1u << 2)      /* a video mode: there is no display to set one on */
#define MB_AOUT_KLUDGE (1u << 16)    /* load addresses from the header, not from an ELF */
#define MB_REQUIRED_KNOWN (MB_PAGE_ALIGN | MB_MEMORY_INFO)
#define MB_H_HEADER_ADDR 12
#define MB_H_LOAD_ADDR 16
#define MB_H_LOAD_END 20
#define MB_H_BSS_END 24
#define MB_H_ENTRY 28
#define MB_H_KLUDGE_END 32

/* Information structure (3.3): offsets, flags, and sizes of its parts. */
#define MBI_FLAGS 0
#define MBI_MEM_LOWER 4
#define MBI_MEM_UPPER 8
#define MBI_CMDLINE 16
#define MBI_MODS_COUNT 20
#define MBI_MODS_ADDR 24
#define MBI_MMAP_LENGTH 44
#define MBI_MMAP_ADDR 48
#define MBI_BOOT_LOADER_NAME 64
#define MBI_BYTES 88                 /* through the VBE fields */
#define MBI_F_MEM (1u << 0)
#define MBI_F_CMDLINE (1u << 2)
#define MBI_F_MODS (1u << 3)
#define MBI_F_MMAP (1u << 6)
#define MBI_F_LOADER_NAME (1u << 9)
#define MOD_BYTES 16                 /* mod_start, mod_end, string, reserved */
#define MMAP_BYTES 24                /* size (= 20, not counting itself), base_addr, length, type */
#define LOADER_NAME "Bulwark"

#define PAGE 4096ull

typedef unsigned long long ull;

/* Offsets of the parts inside the information area, which starts at LOAD_INFO_GPA. */
struct info_layout {
	uint64_t mmap, mods, loader_name, strings, end;
};

long multiboot_find_header(const uint8_t *img, size_t len)
{
	size_t end = len < MULTIBOOT_SEARCH_BYTES ? len : MULTIBOOT_SEARCH_BYTES;

	if (!img)
		return -1;
	for (size_t off = 0; off + 12 <= end; off += 4) /* 32-bit aligned (3.1) */
		if (le_read(img + off, 4) == MB_HEADER_MAGIC &&
		    (uint32_t)(MB_HEADER_MAGIC + le_read(img + off + 4, 4) + le_read(img + off + 8, 4)) == 0)
			return (long)off;
	return -1;
}

static int check_flags(uint32_t flags, char *err, size_t errlen)
{
	if (flags & MB_VIDEO_MODE)
		return errf(err, errlen, "Multiboot kernel requires a video mode (flag 2); a VM has no display");
	if (flags & 0xFFFFu & ~MB_REQUIRED_KNOWN)
		return errf(err, errlen, "Multiboot kernel requires features this loader does not know (flags 0x%04x)",
			    flags & 0xFFFFu & ~MB_REQUIRED_KNOWN);
	return 0;
}

/* Flag 16: the header says which file bytes go where (3.1.3). */
static int check_kludge(const uint8_t *img, size_t len, size_t hoff, uint64_t ram, struct multiboot_plan *p,
			char *err, size_t errlen)
{
	const uint8_t *h = img + hoff;
	uint64_t header_addr, load, load_end, bss_end, file_off, bytes;

	if (hoff + MB_H_KLUDGE_END > len)
		return errf(err, errlen, "Multiboot header truncated: the a.out kludge needs 32 bytes");
	header_addr = le_read(h + MB_H_HEADER_ADDR, 4);
	load = le_read(h + MB_H_LOAD_ADDR, 4);
	load_end = le_read(h + MB_H_LOAD_END, 4);
	bss_end = le_read(h + MB_H_BSS_END, 4);
	p->entry = le_read(h + MB_H_ENTRY, 4);
	if (load > header_addr || header_addr - load > hoff)
		return errf(err, errlen, "Multiboot load_addr 0x%llx does not come before the header in the file", (ull)load);
	file_off = hoff - (header_addr - load);
	bytes = load_end ? load_end - load : len - file_off;
	if (load_end && load_end <= load)
		return errf(err, errlen, "Multiboot load_end_addr 0x%llx is not above load_addr 0x%llx", (ull)load_end,
			    (ull)load);
	if (bytes > len - file_off)
		return errf(err, errlen, "Multiboot kernel truncated: it loads %llu bytes, the file has %llu", (ull)bytes,
			    (ull)(len - file_off));
	if (bss_end && bss_end < load + bytes)
		return errf(err, errlen, "Multiboot bss_end_addr 0x%llx is below the loaded image", (ull)bss_end);
	p->load_lo = load;
	p->load_hi = bss_end ? bss_end : load + bytes;
	if (p->entry < load || p->entry >= load + bytes)
		return errf(err, errlen, "Multiboot entry_addr 0x%llx is outside the loaded image", (ull)p->entry);
	if (p->load_hi > ram)
		return errf(err, errlen, "Multiboot kernel needs RAM up to 0x%llx but the VM has %llu MiB", (ull)p->load_hi,
			    (ull)(ram >> 20));
	return 0;
}

static int check_kernel(const uint8_t *img, size_t len, size_t hoff, uint64_t ram, struct multiboot_plan *p,
			char *err, size_t errlen)
{
	if (p->flags & MB_AOUT_KLUDGE) {
		if (check_kludge(img, len, hoff, ram, p, err, errlen))
			return -1;
	} else if (!elf_detect(img, len)) {
		return errf(err, errlen, "Multiboot kernel is not ELF and does not give load addresses (flag 16)");
	} else {
		char why[96];
		if (elf_guest_span(img, len, ram, &p->load_lo, &p->load_hi, &p->entry, why, sizeof(why)))
			return errf(err, errlen, "Multiboot kernel: %s", why);
	}
	if (p->load_lo < LOAD_KERNEL_MIN)
		return errf(err, errlen, "Multiboot kernel loads at 0x%llx; it must load at 1 MiB or above", (ull)p->load_lo);
	return 0;
}

static int place_modules(const struct load_request *rq, struct multiboot_plan *p, char *err, size_t errlen)
{
	uint64_t at = p->load_hi;

	if (rq->module_count > LOAD_MODULES_MAX)
		return errf(err, errlen, "%u modules given; at most %d", rq->module_count, LOAD_MODULES_MAX);
	for (unsigned i = 0; i < rq->module_count; i++) {
		uint64_t len = rq->modules[i].len;
		at = (at + PAGE - 1) & ~(PAGE - 1);
		if (at > rq->ram_bytes || len > rq->ram_bytes - at || len > UINT32_MAX)
			return errf(err, errlen, "module %u (%s, %llu KiB) does not fit in the VM's RAM after the kernel; give it more mem=",
				    i + 1, rq->modules[i].string, (ull)(len >> 10));
		p->mod_gpa[i] = at;
		at += len;
	}
	return 0;
}

/* The information area: structure, mmap, module list, loader name, module strings, in that order. */
static int lay_out_info(const struct load_request *rq, struct info_layout *l, char *err, size_t errlen)
{
	uint64_t at;

	l->mmap = MBI_BYTES;
	l->mods = l->mmap + E820_MAX * MMAP_BYTES;
	l->loader_name = l->mods + (uint64_t)rq->module_count * MOD_BYTES;
	l->strings = l->loader_name + sizeof(LOADER_NAME);
	at = l->strings;
	for (unsigned i = 0; i < rq->module_count; i++)
		at += strlen(rq->modules[i].string) + 1; /* each at most a few hundred bytes: no overflow */
	l->end = at;
	if (l->end > LOAD_INFO_END - LOAD_INFO_GPA)
		return errf(err, errlen, "module strings too long for the Multiboot information area");
	return 0;
}

int multiboot_check(const uint8_t *img, size_t len, const struct load_request *rq, struct multiboot_plan *p,
		    char *err, size_t errlen)
{
	const char *cmdline = rq->cmdline ? rq->cmdline : "";
	struct info_layout l;
	long hoff = multiboot_find_header(img, len);

	memset(p, 0, sizeof(*p));
	if (hoff < 0)
		return errf(err, errlen, "no Multiboot header (magic 0x1BADB002 with a matching checksum) in the first 8 KiB");
	p->flags = (uint32_t)le_read(img + hoff + 4, 4);
	if (check_flags(p->flags, err, errlen) || check_kernel(img, len, (size_t)hoff, rq->ram_bytes, p, err, errlen) ||
	    place_modules(rq, p, err, errlen) || lay_out_info(rq, &l, err, errlen))
		return -1;
	if (strlen(cmdline) >= LOAD_CMDLINE_MAX)
		return errf(err, errlen, "command line longer than %llu bytes", (ull)(LOAD_CMDLINE_MAX - 1));
	p->info_bytes = l.end;
	return 0;
}

static void load_kernel(const uint8_t *img, size_t len, const struct multiboot_plan *p, const struct guest_writer *w)
{
	long hoff = multiboot_find_header(img, len);
	const uint8_t *h = img + hoff;
	uint64_t entry, load, load_end, file_off, bytes;
	char why[8];

	if (!(p->flags & MB_AOUT_KLUDGE)) {
		elf_load_guest(img, len, p->load_hi, w, &entry, why, sizeof(why)); /* checked: cannot fail */
		return;
	}
	load = le_read(h + MB_H_LOAD_ADDR, 4);
	load_end = le_read(h + MB_H_LOAD_END, 4);
	file_off = (uint64_t)hoff - (le_read(h + MB_H_HEADER_ADDR, 4) - load);
	bytes = load_end ? load_end - load : len - file_off;
	w->copy(w->ctx, load, img + file_off, bytes);
	w->zero(w->ctx, load + bytes, p->load_hi - load - bytes);
}

static void write_info(const struct load_request *rq, const struct multiboot_plan *p, const struct info_layout *l,
		       const struct guest_writer *w)
{
	uint8_t info[MBI_BYTES] = { 0 }, mmap[E820_MAX * MMAP_BYTES], mod[MOD_BYTES] = { 0 };
	struct e820_entry map[E820_MAX];
	unsigned n = e820_build(rq->ram_bytes, map);
	uint32_t lower, upper;
	uint64_t str = l->strings;

	e820_mem_kib(map, n, &lower, &upper);
	le_write(info + MBI_FLAGS, MBI_F_MEM | MBI_F_CMDLINE | MBI_F_MODS | MBI_F_MMAP | MBI_F_LOADER_NAME, 4);
	le_write(info + MBI_MEM_LOWER, lower, 4);
	le_write(info + MBI_MEM_UPPER, upper, 4);
	le_write(info + MBI_CMDLINE, LOAD_CMDLINE_GPA, 4);
	le_write(info + MBI_MODS_COUNT, rq->module_count, 4);
	le_write(info + MBI_MODS_ADDR, LOAD_INFO_GPA + l->mods, 4);
	le_write(info + MBI_MMAP_LENGTH, (uint64_t)n * MMAP_BYTES, 4);
	le_write(info + MBI_MMAP_ADDR, LOAD_INFO_GPA + l->mmap, 4);
	le_write(info + MBI_BOOT_LOADER_NAME, LOAD_INFO_GPA + l->loader_name, 4);
	w->copy(w->ctx, LOAD_INFO_GPA, info, sizeof(info));
	for (unsigned i = 0; i < n; i++) {
		le_write(mmap + i * MMAP_BYTES, MMAP_BYTES - 4, 4);
		le_write(mmap + i * MMAP_BYTES + 4, map[i].base, 8);
		le_write(mmap + i * MMAP_BYTES + 12, map[i].length, 8);
		le_write(mmap + i * MMAP_BYTES + 20, map[i].type, 4);
	}
	w->copy(w->ctx, LOAD_INFO_GPA + l->mmap, mmap, (size_t)n * MMAP_BYTES);
	w->copy(w->ctx, LOAD_INFO_GPA + l->loader_name, LOADER_NAME, sizeof(LOADER_NAME));
	for (unsigned i = 0; i < rq->module_count; i++) {
		size_t slen = strlen(rq->modules[i].string) + 1;
		le_write(mod, p->mod_gpa[i], 4);
		le_write(mod + 4, p->mod_gpa[i] + rq->modules[i].len, 4); /* one past the last byte, as GRUB gives it */
		le_write(mod + 8, LOAD_INFO_GPA + str, 4);
		w->copy(w->ctx, LOAD_INFO_GPA + l->mods + i * MOD_BYTES, mod, sizeof(mod));
		w->copy(w->ctx, LOAD_INFO_GPA + str, rq->modules[i].string, slen);
		str += slen;
	}
}

int multiboot_load(const uint8_t *img, size_t len, const struct load_request *rq, const struct guest_writer *w,
		   struct boot_entry *entry, char *err, size_t errlen)
{
	const char *cmdline = rq->cmdline ? rq->cmdline : "";
	struct multiboot_plan p;
	struct info_layout l;

	if (multiboot_check(img, len, rq, &p, err, errlen))
		return -1;
	lay_out_info(rq, &l, err, errlen);
	memset(entry, 0, sizeof(*entry));
	boot_gdt_write(w, entry);
	load_kernel(img, len, &p, w);
	for (unsigned i = 0; i < rq->module_count; i++)
		w->copy(w->ctx, p.mod_gpa[i], rq->modules[i].data, rq->modules[i].len);
	w->copy(w->ctx, LOAD_CMDLINE_GPA, cmdline, strlen(cmdline) + 1);
	write_info(rq, &p, &l, w);
	/* Multiboot 0.6.96 3.2: EAX = the magic, EBX = the information structure. */
	entry->rip = p.entry;
	entry->rax = MULTIBOOT_LOADER_MAGIC;
	entry->rbx = LOAD_INFO_GPA;
	return 0;
}
