/* Test guest `mbinfo`: a Multiboot v1 kernel that checks and prints its Multiboot information, then exits through port 0xF4. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

/*
 * The exit value V written to the debug-exit port (status (V << 1) | 1) has
 * one bit per check that passed and the module count in bits 8-11; the
 * system test knows what a correct loader gives and compares.
 */
#define OK_MAGIC (1u << 0)   /* EAX = 0x2BADB002 */
#define OK_MEM (1u << 1)     /* mem_lower/mem_upper agree with the memory map */
#define OK_MMAP (1u << 2)    /* mmap well formed, RAM at 0 and 1 MiB, the BIOS area reserved, this image in RAM */
#define OK_CMDLINE (1u << 3) /* a command line is given */
#define OK_LOADER (1u << 4)  /* a boot loader name is given */
#define OK_MODS (1u << 5)    /* modules page aligned, inside RAM, apart from each other and from this image */
#define OK_ACPI (1u << 6)    /* an ACPI RSDP with a valid checksum in the BIOS area */
#define MODS_SHIFT 8

#define DEBUG_EXIT_PORT 0xF4

/* Multiboot Specification 0.6.96 3.1.1: the header (flags: page-align modules, memory information). */
#define MB_HEADER_MAGIC 0x1BADB002u
#define MB_HEADER_FLAGS 0x00000003u
__attribute__((section(".multiboot"), used, aligned(4))) static const uint32_t multiboot_header[3] = {
	MB_HEADER_MAGIC, MB_HEADER_FLAGS, (uint32_t)-(MB_HEADER_MAGIC + MB_HEADER_FLAGS)
};

/* 3.3: the information structure, the module list and the memory map entries. */
#define MB_LOADER_MAGIC 0x2BADB002u
#define MBI_MEM (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)
#define MBI_LOADER_NAME (1u << 9)
#define MB_RAM 1

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
} __attribute__((packed));

struct mb_module {
	uint32_t mod_start, mod_end, string, reserved;
} __attribute__((packed));

struct mb_mmap {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

extern char __bss_end[];
#define IMAGE_START 0x100000u

static uint32_t fnv1a(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static const struct mb_mmap *next_entry(const struct mb_mmap *e)
{
	return (const struct mb_mmap *)((const uint8_t *)e + e->size + 4);
}

/* The type of the map entry holding [base, base+len), or 0 if no single entry does. */
static uint32_t map_type(const struct mb_info *mbi, uint64_t base, uint64_t len)
{
	const struct mb_mmap *e = (const void *)(uintptr_t)mbi->mmap_addr;
	const uint8_t *end = (const uint8_t *)(uintptr_t)mbi->mmap_addr + mbi->mmap_length;

	for (; (const uint8_t *)e < end; e = next_entry(e))
		if (base >= e->base && base + len <= e->base + e->length)
			return e->type;
	return 0;
}

static uint64_t ram_length_at(const struct mb_info *mbi, uint64_t base)
{
	const struct mb_mmap *e = (const void *)(uintptr_t)mbi->mmap_addr;
	const uint8_t *end = (const uint8_t *)(uintptr_t)mbi->mmap_addr + mbi->mmap_length;

	for (; (const uint8_t *)e < end; e = next_entry(e))
		if (e->base == base && e->type == MB_RAM)
			return e->length;
	return 0;
}

static uint32_t check_mmap(const struct mb_info *mbi)
{
	const struct mb_mmap *e = (const void *)(uintptr_t)mbi->mmap_addr;
	const uint8_t *end = (const uint8_t *)(uintptr_t)mbi->mmap_addr + mbi->mmap_length;
	uint64_t last_end = 0;
	int sorted = 1;

	if (!(mbi->flags & MBI_MMAP) || mbi->mmap_length == 0)
		return 0;
	for (; (const uint8_t *)e < end; e = next_entry(e)) {
		gprintf("mbinfo: mmap 0x%llx +0x%llx type %u\n", (unsigned long long)e->base,
			(unsigned long long)e->length, e->type);
		if (e->size < 20 || e->base < last_end)
			sorted = 0;
		last_end = e->base + e->length;
	}
	if (!sorted || map_type(mbi, 0xE0000, 0x20000) == MB_RAM || ram_length_at(mbi, 0) == 0 ||
	    map_type(mbi, IMAGE_START, (uint32_t)__bss_end - IMAGE_START) != MB_RAM)
		return 0;
	return OK_MMAP;
}

static uint32_t check_mem(const struct mb_info *mbi)
{
	gprintf("mbinfo: mem_lower %u KiB, mem_upper %u KiB\n", mbi->mem_lower, mbi->mem_upper);
	if (!(mbi->flags & MBI_MEM) || !(mbi->flags & MBI_MMAP))
		return 0;
	if ((uint64_t)mbi->mem_lower * 1024 != ram_length_at(mbi, 0) ||
	    (uint64_t)mbi->mem_upper * 1024 != ram_length_at(mbi, 0x100000))
		return 0;
	return OK_MEM;
}

static uint32_t check_modules(const struct mb_info *mbi)
{
	const struct mb_module *m = (const void *)(uintptr_t)mbi->mods_addr;
	uint32_t ok = OK_MODS, prev_end = (uint32_t)__bss_end;

	if (!(mbi->flags & MBI_MODS))
		return 0;
	gprintf("mbinfo: %u modules\n", mbi->mods_count);
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		uint32_t len = m[i].mod_end - m[i].mod_start;
		const char *name = m[i].string ? (const char *)(uintptr_t)m[i].string : "";
		gprintf("mbinfo: module %u '%s' %u bytes at 0x%x fnv1a 0x%08x\n", i, name, len, m[i].mod_start,
			fnv1a((const uint8_t *)(uintptr_t)m[i].mod_start, len));
		if ((m[i].mod_start & 0xFFF) || m[i].mod_end < m[i].mod_start || m[i].mod_start < prev_end ||
		    !m[i].string || map_type(mbi, m[i].mod_start, len) != MB_RAM)
			ok = 0;
		prev_end = m[i].mod_end;
	}
	return ok | (mbi->mods_count < 16 ? mbi->mods_count : 15) << MODS_SHIFT;
}

/* ACPI 6.4 5.2.5.1: the RSDP is on a 16-byte boundary in 0xE0000-0xFFFFF; its first 20 bytes sum to 0. */
static uint32_t check_acpi(void)
{
	static const char sig[8] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };

	for (uint32_t a = 0xE0000; a < 0x100000; a += 16) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)a;
		uint8_t sum = 0;
		int match = 1;
		for (int i = 0; i < 8; i++)
			match &= p[i] == (uint8_t)sig[i];
		if (!match)
			continue;
		for (int i = 0; i < 20; i++)
			sum = (uint8_t)(sum + p[i]);
		gprintf("mbinfo: acpi rsdp at 0x%x, revision %u, checksum %s\n", a, p[15], sum ? "bad" : "ok");
		return sum ? 0 : OK_ACPI;
	}
	gprintf("mbinfo: acpi rsdp not found\n");
	return 0;
}

static uint32_t check_strings(const struct mb_info *mbi)
{
	uint32_t ok = 0;

	if ((mbi->flags & MBI_CMDLINE) && mbi->cmdline) {
		gprintf("mbinfo: cmdline '%s'\n", (const char *)(uintptr_t)mbi->cmdline);
		ok |= OK_CMDLINE;
	}
	if ((mbi->flags & MBI_LOADER_NAME) && mbi->boot_loader_name) {
		gprintf("mbinfo: boot loader '%s'\n", (const char *)(uintptr_t)mbi->boot_loader_name);
		ok |= OK_LOADER;
	}
	return ok;
}

void guest_main(uint32_t ram_bytes)
{
	const struct mb_info *mbi = (const void *)(uintptr_t)runtime_boot_ebx;
	uint32_t result = 0;

	(void)ram_bytes;
	gprintf("mbinfo: magic 0x%08x\n", runtime_boot_eax);
	if (runtime_boot_eax == MB_LOADER_MAGIC) {
		result |= OK_MAGIC;
		gprintf("mbinfo: flags 0x%x\n", mbi->flags);
		result |= check_mmap(mbi) | check_mem(mbi) | check_modules(mbi) | check_strings(mbi) | check_acpi();
	}
	gprintf("mbinfo: result 0x%x\n", result);
	outl(DEBUG_EXIT_PORT, result);
	gprintf("mbinfo: still running: the debug-exit port is off\n");
}
