/* Unit tests of the guest memory map builder, against the PC layout written out as numbers. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "hypervisor/load/e820.h"
#include "hypervisor/dev/platform.h"

static void expect(const struct e820_entry *e, uint64_t base, uint64_t length, uint32_t type)
{
	assert_int_equal(e->base, base);
	assert_int_equal(e->length, length);
	assert_int_equal(e->type, type);
}

static void test_32m(void **state)
{
	struct e820_entry m[E820_MAX];
	uint32_t lo, hi;
	(void)state;
	assert_int_equal(e820_build(32u << 20, m), 5);
	expect(&m[0], 0, 0x9FC00, 1);            /* conventional memory */
	expect(&m[1], 0x9FC00, 0x400, 2);        /* EBDA */
	expect(&m[2], 0xE0000, 0x20000, 2);      /* BIOS area: ACPI tables, RSDP scan range */
	expect(&m[3], 0x100000, 0x1F00000, 1);   /* RAM from 1 MiB */
	expect(&m[4], 0xFEB00000, 0x301000, 2);  /* device MMIO: virtio-mmio slots 0xFEB00000 up to the LAPIC page's end */
	e820_mem_kib(m, 4, &lo, &hi);
	assert_int_equal(lo, 639);
	assert_int_equal(hi, 31744);
}

static void test_small_ram(void **state)
{
	struct e820_entry m[E820_MAX];
	uint32_t lo, hi;
	(void)state;
	assert_int_equal(e820_build(1u << 20, m), 4); /* no RAM above 1 MiB: no entry for it */
	expect(&m[2], 0xE0000, 0x20000, 2);
	expect(&m[3], 0xFEB00000, 0x301000, 2);
	assert_int_equal(e820_build(0x80000, m), 4);  /* 512 KiB: conventional memory is cut */
	expect(&m[0], 0, 0x80000, 1);
	e820_mem_kib(m, 3, &lo, &hi);
	assert_int_equal(lo, 512);
	assert_int_equal(hi, 0);
}

static void test_sorted_disjoint(void **state)
{
	struct e820_entry m[E820_MAX];
	(void)state;
	for (uint64_t mb = 1; mb <= 3072; mb = mb * 3 + 1) {
		unsigned n = e820_build(mb << 20, m);
		for (unsigned i = 1; i < n; i++)
			assert_true(m[i - 1].base + m[i - 1].length <= m[i].base);
		assert_int_equal(m[n - 2].base + m[n - 2].length, mb > 1 ? mb << 20 : 0x100000);
		assert_int_equal(m[n - 1].base, 0xFEB00000);
	}
}

/* The ACPI tables and the boot data the loaders write must be where the map says: reserved, and RAM. */
static void test_platform_areas(void **state)
{
	struct e820_entry m[E820_MAX];
	unsigned n = e820_build(64u << 20, m), acpi_reserved = 0, boot_ram = 0;
	(void)state;
	for (unsigned i = 0; i < n; i++) {
		if (m[i].type == E820_RESERVED && m[i].base <= PLAT_ACPI_BASE &&
		    PLAT_ACPI_BASE + PLAT_ACPI_SIZE <= m[i].base + m[i].length)
			acpi_reserved = 1;
		if (m[i].type == E820_RAM && m[i].base == 0 && m[i].length >= 0x30000)
			boot_ram = 1; /* GDT 0x1000, zero page / Multiboot information 0x7000-0x20000, cmdline 0x20000-0x30000 */
	}
	assert_true(acpi_reserved);
	assert_true(boot_ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_32m),
		cmocka_unit_test(test_small_ram),
		cmocka_unit_test(test_sorted_disjoint),
		cmocka_unit_test(test_platform_areas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
