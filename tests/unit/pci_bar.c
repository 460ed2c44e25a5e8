/* Host unit tests of PCI BAR decoding against PCI Local Bus 3.0 6.2.5.1's sizing rule. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "drivers/pci/pci_bar.h"

/* A 32-bit non-prefetchable memory BAR of 128 KiB at 0xfebc0000 (what QEMU gives an e1000). */
static void test_mem32(void **state)
{
	struct pci_bar b = pci_bar_decode(0xfebc0000, 0xfffe0000);
	(void)state;
	assert_int_equal(b.kind, PCI_BAR_MEM32);
	assert_int_equal(b.base, 0xfebc0000);
	assert_int_equal(b.size, 0x20000);
	assert_int_equal(b.prefetchable, 0);
}

/* A 64-bit prefetchable BAR (type 10b, bit 3 set) of 16 KiB above 4 GiB. */
static void test_mem64(void **state)
{
	struct pci_bar b = pci_bar_decode(0x000000080000000cull, 0xffffffffffffc00cull);
	(void)state;
	assert_int_equal(b.kind, PCI_BAR_MEM64);
	assert_int_equal(b.base, 0x800000000ull);
	assert_int_equal(b.size, 0x4000);
	assert_int_equal(b.prefetchable, 1);
}

/* An I/O BAR of 32 ports at 0xc000; the upper 16 bits of the probe may read as zeros. */
static void test_io(void **state)
{
	struct pci_bar b = pci_bar_decode(0xc001, 0x0000ffe1);
	(void)state;
	assert_int_equal(b.kind, PCI_BAR_IO);
	assert_int_equal(b.base, 0xc000);
	assert_int_equal(b.size, 32);
	b = pci_bar_decode(0xc001, 0xffffffe1);
	assert_int_equal(b.size, 32);
}

/* Unimplemented BARs read back 0; a mask with holes is not a power-of-two size. */
static void test_absent_and_bad(void **state)
{
	(void)state;
	assert_int_equal(pci_bar_decode(0, 0).kind, PCI_BAR_NONE);
	assert_int_equal(pci_bar_decode(0xfe000000, 0xfef00000).kind, PCI_BAR_NONE);
	assert_int_equal(pci_bar_decode(1, 1).kind, PCI_BAR_NONE);
	assert_true(pci_bar_is_64(0x4));
	assert_false(pci_bar_is_64(0x0));
	assert_false(pci_bar_is_64(0x5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem32),
		cmocka_unit_test(test_mem64),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_absent_and_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
