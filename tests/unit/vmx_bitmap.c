/* Host unit tests of the VMX MSR and I/O bitmap setters and the VPID pool. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/vmx/bitmap.h"
#include "hypervisor/vmx/vpid.h"

static uint8_t msr[VMX_BITMAP_BYTES], io_a[VMX_BITMAP_BYTES], io_b[VMX_BITMAP_BYTES];

static void test_msr_all_exit(void **state)
{
	(void)state;
	vmx_msr_bitmap_init(msr);
	for (uint32_t m = 0; m < 0x2000; m += 7) {
		assert_true(vmx_msr_bitmap_exits(msr, m, false));
		assert_true(vmx_msr_bitmap_exits(msr, m, true));
		assert_true(vmx_msr_bitmap_exits(msr, 0xc0000000u + m, true));
	}
}

static void test_msr_pass_low_and_high(void **state)
{
	(void)state;
	vmx_msr_bitmap_init(msr);
	assert_int_equal(vmx_msr_bitmap_pass(msr, 0x174, true, true), 0);
	assert_int_equal(vmx_msr_bitmap_pass(msr, 0xc0000100u, true, false), 0);
	/* layout, SDM Vol 3C 25.6.9: read low at 0, read high at 1024, write low at 2048, write high at 3072 */
	assert_int_equal(msr[0x174 / 8], 0xff & ~(1u << (0x174 % 8)));
	assert_int_equal(msr[2048 + 0x174 / 8], 0xff & ~(1u << (0x174 % 8)));
	assert_int_equal(msr[1024 + 0x100 / 8], 0xfe);
	assert_int_equal(msr[3072 + 0x100 / 8], 0xff);
	assert_false(vmx_msr_bitmap_exits(msr, 0x174, false));
	assert_false(vmx_msr_bitmap_exits(msr, 0x174, true));
	assert_false(vmx_msr_bitmap_exits(msr, 0xc0000100u, false));
	assert_true(vmx_msr_bitmap_exits(msr, 0xc0000100u, true));
	assert_true(vmx_msr_bitmap_exits(msr, 0x175, false));
	assert_true(vmx_msr_bitmap_exits(msr, 0xc0000101u, false));
}

/*
 * The bitmap the backend builds: exactly the MSRs the VMCS guest-state area
 * switches on entry and exit pass, for reads and writes (SDM Vol 3C 25.4.1:
 * IA32_SYSENTER_CS 174h, ESP 175h, EIP 176h; FS and GS base, IA32_FS_BASE
 * C0000100h and IA32_GS_BASE C0000101h, SDM Vol 4 Table 2-2). Every other MSR
 * with a bit exits, whichever way it is accessed.
 */
static void test_msr_bitmap_built(void **state)
{
	static const uint32_t expected[] = { 0x174, 0x175, 0x176, 0xc0000100, 0xc0000101 };
	static const uint32_t ranges[][2] = { { 0, 0x2000 }, { 0xc0000000u, 0xc0002000u } };
	unsigned found = 0;

	(void)state;
	vmx_msr_bitmap_build(msr);
	for (unsigned r = 0; r < 2; r++)
		for (uint32_t m = ranges[r][0]; m < ranges[r][1]; m++) {
			bool want_open = false;
			for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
				want_open |= expected[i] == m;
			if (vmx_msr_bitmap_exits(msr, m, false) == want_open ||
			    vmx_msr_bitmap_exits(msr, m, true) == want_open)
				fail_msg("MSR %#x: read exits %d, write exits %d, expected %s", m,
					 vmx_msr_bitmap_exits(msr, m, false), vmx_msr_bitmap_exits(msr, m, true),
					 want_open ? "pass-through" : "exit");
			found += want_open;
		}
	assert_int_equal(found, 5);
	/* TSC, APIC_BASE, FEATURE_CONTROL, SPEC_CTRL, PAT, EFER, KERNEL_GS_BASE, LSTAR: the hypervisor decides. */
	assert_true(vmx_msr_bitmap_exits(msr, 0x10, false));
	assert_true(vmx_msr_bitmap_exits(msr, 0x3a, true));
	assert_true(vmx_msr_bitmap_exits(msr, 0x48, true));
	assert_true(vmx_msr_bitmap_exits(msr, 0xc0000080u, false));
	assert_true(vmx_msr_bitmap_exits(msr, 0xc0000102u, true));
}

static void test_msr_out_of_range(void **state)
{
	(void)state;
	vmx_msr_bitmap_init(msr);
	assert_int_equal(vmx_msr_bitmap_pass(msr, 0x2000, true, true), -1);
	assert_int_equal(vmx_msr_bitmap_pass(msr, 0xc0002000u, true, true), -1);
	assert_int_equal(vmx_msr_bitmap_pass(msr, 0x40000000u, true, true), -1);
	assert_true(vmx_msr_bitmap_exits(msr, 0x40000000u, false));
	assert_true(vmx_msr_bitmap_exits(msr, 0xffffffffu, true));
	for (uint32_t i = 0; i < VMX_BITMAP_BYTES; i++)
		assert_int_equal(msr[i], 0xff);
}

static void test_io_every_port_exits(void **state)
{
	(void)state;
	vmx_io_bitmap_init(io_a, io_b);
	for (uint32_t p = 0; p <= 0xffff; p++)
		assert_true(vmx_io_bitmap_exits(io_a, io_b, (uint16_t)p));
	io_b[0] = 0xfe; /* port 0x8000 lives in bitmap B bit 0 */
	assert_false(vmx_io_bitmap_exits(io_a, io_b, 0x8000));
	assert_true(vmx_io_bitmap_exits(io_a, io_b, 0));
}

static void test_vpid_pool(void **state)
{
	uint16_t a, b, c;
	(void)state;
	a = vpid_alloc();
	b = vpid_alloc();
	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_not_equal(a, b);
	assert_int_equal(vpid_in_use(), 2);
	vpid_free(a);
	vpid_free(a);  /* twice: ignored */
	vpid_free(0);  /* the host's: ignored */
	assert_int_equal(vpid_in_use(), 1);
	c = vpid_alloc();
	assert_int_not_equal(c, b);
	vpid_free(b);
	vpid_free(c);
	assert_int_equal(vpid_in_use(), 0);
}

static void test_vpid_exhaustion_and_reuse(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < VPID_MAX; i++)
		assert_int_not_equal(vpid_alloc(), 0);
	assert_int_equal(vpid_in_use(), VPID_MAX);
	assert_int_equal(vpid_alloc(), 0);
	vpid_free(1234);
	assert_int_equal(vpid_alloc(), 1234);
	for (uint32_t v = 1; v <= VPID_MAX; v++)
		vpid_free((uint16_t)v);
	assert_int_equal(vpid_in_use(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msr_all_exit),
		cmocka_unit_test(test_msr_pass_low_and_high),
		cmocka_unit_test(test_msr_bitmap_built),
		cmocka_unit_test(test_msr_out_of_range),
		cmocka_unit_test(test_io_every_port_exits),
		cmocka_unit_test(test_vpid_pool),
		cmocka_unit_test(test_vpid_exhaustion_and_reuse),
	};
	return cmocka_run_group_tests_name("vmx_bitmap", tests, NULL, NULL);
}
