/* Host unit tests of the I/O and MSR permission maps: what exits and where each bit lives. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/svm/permmap.h"

static uint8_t iopm[IOPM_BYTES], msrpm[MSRPM_BYTES];

static void test_every_port_exits(void **state)
{
	(void)state;
	memset(iopm, 0, sizeof(iopm));
	iopm_init(iopm);
	for (uint32_t p = 0; p < 0x10000; p++)
		assert_true(iopm_intercepts(iopm, (uint16_t)p));
	for (uint32_t i = 0; i < IOPM_BYTES; i++)
		assert_int_equal(iopm[i], 0xff);
}

static void test_msr_defaults(void **state)
{
	(void)state;
	msrpm_init(msrpm);
	assert_true(msrpm_intercepts(msrpm, 0xc0000080, false));  /* EFER */
	assert_true(msrpm_intercepts(msrpm, 0xc0000080, true));
	assert_false(msrpm_intercepts(msrpm, 0xc0000100, false)); /* FS_BASE */
	assert_false(msrpm_intercepts(msrpm, 0xc0000100, true));
	assert_false(msrpm_intercepts(msrpm, 0xc0000102, true));  /* KERNEL_GS_BASE */
	assert_false(msrpm_intercepts(msrpm, 0xc0000082, true));  /* LSTAR */
	assert_false(msrpm_intercepts(msrpm, 0x176, false));      /* SYSENTER_EIP */
	assert_true(msrpm_intercepts(msrpm, 0x177, false));
	assert_true(msrpm_intercepts(msrpm, 0x1b, true));         /* APIC_BASE */
	assert_true(msrpm_intercepts(msrpm, 0x277, true));        /* PAT */
	assert_true(msrpm_intercepts(msrpm, 0xc0010114, true));   /* VM_CR */
	assert_true(msrpm_intercepts(msrpm, 0xc0010117, false));  /* VM_HSAVE_PA */
	assert_true(msrpm_intercepts(msrpm, 0x40000000, false));  /* outside the map */
}

/*
 * Exactly the MSRs VMLOAD/VMSAVE and VMRUN switch through the VMCB state-save
 * area pass, for reads and writes (APM Vol 2 15.5.2 and 15.5.3, Table B-2:
 * FS and GS base C000_0100h/0101h, KernelGsBase C000_0102h, STAR C000_0081h,
 * LSTAR C000_0082h, CSTAR C000_0083h, SFMASK C000_0084h, SYSENTER_CS/ESP/EIP
 * 174h-176h). Every other MSR in the map exits both ways.
 */
static void test_msr_all_but_passthrough_exit(void **state)
{
	static const uint32_t bases[] = { 0x0, 0xc0000000, 0xc0010000 };
	static const uint32_t expected[] = { 0x174, 0x175, 0x176, 0xc0000081, 0xc0000082, 0xc0000083,
					     0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102 };
	unsigned open = 0;

	(void)state;
	msrpm_init(msrpm);
	for (unsigned b = 0; b < 3; b++)
		for (uint32_t m = bases[b]; m < bases[b] + 0x2000; m++) {
			bool want_open = false;
			for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
				want_open |= expected[i] == m;
			if (msrpm_intercepts(msrpm, m, false) == want_open || msrpm_intercepts(msrpm, m, true) == want_open)
				fail_msg("MSR %#x: read exits %d, write exits %d, expected %s", m,
					 msrpm_intercepts(msrpm, m, false), msrpm_intercepts(msrpm, m, true),
					 want_open ? "pass-through" : "exit");
			open += want_open;
		}
	assert_int_equal(open, 10);
	for (uint32_t i = 0x1800; i < MSRPM_BYTES; i++)
		assert_int_equal(msrpm[i], 0xff);
}

/* APM Vol 2 15.11: two bits per MSR, read first, in three 2 KiB ranges. */
static void test_msr_bit_positions(void **state)
{
	(void)state;
	memset(msrpm, 0, sizeof(msrpm));
	assert_int_equal(msrpm_set(msrpm, 0x0, true, false), 0);
	assert_int_equal(msrpm[0], 0x01);
	assert_int_equal(msrpm_set(msrpm, 0xc0000000, false, true), 0);
	assert_int_equal(msrpm[0x800], 0x02);
	assert_int_equal(msrpm_set(msrpm, 0xc0000083, true, true), 0);
	assert_int_equal(msrpm[0x800 + 0x83 / 4], 0x3u << 6);
	assert_int_equal(msrpm_set(msrpm, 0xc0011fff, false, true), 0);
	assert_int_equal(msrpm[0x17ff], 0x80);
	assert_int_equal(msrpm_set(msrpm, 0x2000, true, true), -1);
	assert_int_equal(msrpm_set(msrpm, 0xc0002000, true, true), -1);
	assert_true(msrpm_intercepts(msrpm, 0x2000, false));
	assert_true(msrpm_intercepts(msrpm, 0xc0000083, false));
	assert_false(msrpm_intercepts(msrpm, 0xc0000084, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_port_exits),
		cmocka_unit_test(test_msr_defaults),
		cmocka_unit_test(test_msr_all_but_passthrough_exit),
		cmocka_unit_test(test_msr_bit_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
