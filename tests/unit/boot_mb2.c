/* Unit tests of the Multiboot2 conversion: memory map, modules, and the reservations that must survive a full map. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/multiboot2/mb2.h"
#include "include/bulwark/layout.h"

/* The linker symbols mb2.c reads: the image ends 1 MiB after its link address. */
char __image_start_phys[1];
char __kernel_end[1];

static uint8_t mbi[64 * 1024] __attribute__((aligned(8)));
static size_t used;

static void put32(size_t off, uint32_t v) { memcpy(mbi + off, &v, 4); }
static void put64(size_t off, uint64_t v) { memcpy(mbi + off, &v, 8); }

/* Multiboot2 spec 3.6.8: type 6, size, entry_size 24, entry_version 0, then base, length, type, reserved. */
static void add_mmap(uint32_t entries)
{
	size_t start = used;

	put32(start, 6);
	put32(start + 4, 16 + 24 * entries);
	put32(start + 8, 24);
	put32(start + 12, 0);
	for (uint32_t i = 0; i < entries; i++) {
		size_t e = start + 16 + 24 * i;
		put64(e, 0x100000000ull + (uint64_t)i * 0x200000); /* 2 MiB usable runs above 4 GiB */
		put64(e + 8, 0x100000);
		put32(e + 16, 1);
		put32(e + 20, 0);
	}
	used = (start + 16 + 24 * entries + 7) & ~(size_t)7;
}

/* Spec 3.6.6: type 3, size, mod_start, mod_end, string. */
static void add_module(uint32_t start, uint32_t end, const char *name)
{
	size_t n = strlen(name) + 1;

	put32(used, 3);
	put32(used + 4, (uint32_t)(16 + n));
	put32(used + 8, start);
	put32(used + 12, end);
	memcpy(mbi + used + 16, name, n);
	used = (used + 16 + n + 7) & ~(size_t)7;
}

static struct boot_info *finish(void)
{
	put32(used, 0); /* end tag */
	put32(used + 4, 8);
	used += 8;
	put32(0, (uint32_t)used);
	return multiboot2_to_boot_info((uint64_t)(uintptr_t)mbi);
}

static void begin(void)
{
	memset(mbi, 0, sizeof(mbi));
	used = 8;
}

static const struct boot_mmap_entry *find(const struct boot_info *bi, uint64_t base, uint32_t type)
{
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].base == base && bi->mmap[i].type == type)
			return &bi->mmap[i];
	return NULL;
}

static void test_small_map(void **state)
{
	struct boot_info *bi;

	(void)state;
	begin();
	add_mmap(3);
	add_module(0x800000, 0x810000, "/boot/hello.elf");
	bi = finish();
	assert_int_equal(bi->module_count, 1);
	assert_string_equal(bi->modules[0].name, "hello.elf");
	assert_int_equal(bi->mmap_count, 3 + 3); /* firmware entries, the MBI, the module, the kernel */
	assert_non_null(find(bi, 0x800000, BOOT_MEM_BOOTLOADER));
	assert_non_null(find(bi, 0x200000, BOOT_MEM_KERNEL)); /* KERNEL_LINK_PHYS */
}

/* A firmware map that alone fills all 512 slots must not push out the kernel and module reservations. */
static void test_full_map_keeps_reservations(void **state)
{
	struct boot_info *bi;

	(void)state;
	begin();
	add_mmap(600);
	add_module(0x800000, 0x810000, "a.elf");
	add_module(0x900000, 0x910000, "b.elf");
	bi = finish();
	assert_true(bi->mmap_count <= 512);
	assert_non_null(find(bi, 0x800000, BOOT_MEM_BOOTLOADER));
	assert_non_null(find(bi, 0x900000, BOOT_MEM_BOOTLOADER));
	assert_non_null(find(bi, (uint64_t)(uintptr_t)mbi, BOOT_MEM_BOOTLOADER));
	assert_non_null(find(bi, 0x200000, BOOT_MEM_KERNEL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_map),
		cmocka_unit_test(test_full_map_keeps_reservations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
