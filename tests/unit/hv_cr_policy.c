/* Unit tests of the control-register write checks. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "hypervisor/cr_policy.h"

#define PE 0x1ull
#define PG 0x80000000ull
#define CD 0x40000000ull
#define NW 0x20000000ull
#define PAE 0x20ull
#define LME 0x100ull
#define LMA 0x400ull

static void test_cr0(void **state)
{
	(void)state;
	assert_true(cr0_write_ok(0x31, 0, 0));            /* PE ET NE: protected mode */
	assert_true(cr0_write_ok(0x80000031, 0, 0));      /* paging */
	assert_false(cr0_write_ok(PG | 0x30, 0, 0));      /* PG without PE */
	assert_false(cr0_write_ok(NW | PE, 0, 0));        /* NW without CD */
	assert_true(cr0_write_ok(CD | NW | PE, 0, 0));
	assert_false(cr0_write_ok(1ull << 32 | PE, 0, 0)); /* reserved upper half */
	assert_false(cr0_write_ok(PG | PE, 0, LME));      /* long mode without PAE */
	assert_true(cr0_write_ok(PG | PE, PAE, LME));
}

static void test_cr4(void **state)
{
	(void)state;
	assert_true(cr4_write_ok(0x600, 0, 0));           /* OSFXSR, OSXMMEXCPT */
	assert_true(cr4_write_ok(PAE | 0x80, 0, 0));      /* PAE, PGE */
	assert_false(cr4_write_ok(1ull << 13, 0, 0));     /* VMXE: VMX is hidden */
	assert_false(cr4_write_ok(1ull << 14, 0, 0));     /* SMXE */
	assert_false(cr4_write_ok(1ull << 18, 0, 0));     /* OSXSAVE: XSAVE is hidden */
	assert_false(cr4_write_ok(1ull << 12, 0, 0));     /* LA57 */
	assert_false(cr4_write_ok(1ull << 40, 0, 0));     /* reserved */
	assert_false(cr4_write_ok(0, 0, LMA));            /* clearing PAE in long mode */
	assert_false(cr4_write_ok(PAE | (1ull << 17), 0, 0)); /* PCIDE outside long mode */
	assert_true(cr4_write_ok(PAE | (1ull << 17), 0, LMA));
}

/* IA32_EFER (SDM Vol 4 Table 2-2; APM Vol 2 3.1.7): SCE bit 0, LME 8, LMA 10, NXE 11, SVME 12. */
static void test_efer(void **state)
{
	uint64_t out = 0x5a5a;

	(void)state;
	assert_int_equal(efer_write_value(0, 0, 0, &out), 0);
	assert_int_equal(out, 0);
	assert_int_equal(efer_write_value(0, 0x901, 0x31, &out), 0); /* SCE, LME, NXE with paging off */
	assert_int_equal(out, 0x901);
	out = 0x5a5a;
	assert_int_equal(efer_write_value(0, 1ull << 12, 0, &out), -1); /* SVME: reserved for the guest */
	assert_int_equal(out, 0x5a5a);                                  /* nothing written on #GP */
	assert_int_equal(efer_write_value(0, 1ull << 14, 0, &out), -1); /* LMSLE and up: reserved */
	assert_int_equal(efer_write_value(0, 1ull << 1, 0, &out), -1);
	assert_int_equal(efer_write_value(0, 1ull << 63, 0, &out), -1);
	assert_int_equal(efer_write_value(0, LME, PG | PE, &out), -1);  /* LME change with paging on */
	assert_int_equal(efer_write_value(LME | LMA, LME | LMA | 0x800, PG | PE, &out), 0);
	assert_int_equal(out, 0xd00);                                   /* NXE set, LME and LMA kept */
	assert_int_equal(efer_write_value(LME | LMA, LME, PG | PE, &out), 0);
	assert_int_equal(out, LME | LMA);                               /* LMA is the processor's */
	assert_int_equal(efer_write_value(0, LMA, 0, &out), 0);
	assert_int_equal(out, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_cr0), cmocka_unit_test(test_cr4),
					    cmocka_unit_test(test_efer) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
