/* Unit tests of the paravirtual clock's arithmetic and its CPUID leaves. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/cpuid_policy.h"
#include "hypervisor/pvclock.h"

static uint64_t abs_diff(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

/* A TSC of exactly 1 GHz: hz * 2^shift must lie in (10^9, 2 * 10^9], so shift 1 and mul 2^31 (0.5 ns per shifted tick). */
static void test_scale_one_ghz(void **state)
{
	uint32_t mul;
	int8_t shift;
	(void)state;
	assert_true(pvclock_scale(1000000000ull, &mul, &shift));
	assert_int_equal(shift, 1);
	assert_int_equal(mul, 0x80000000u);
}

/* 3 GHz: shift -1 (1.5 GHz), mul = 2^32 / 1.5 = 2863311530.67 truncated. */
static void test_scale_three_ghz(void **state)
{
	uint32_t mul;
	int8_t shift;
	(void)state;
	assert_true(pvclock_scale(3000000000ull, &mul, &shift));
	assert_int_equal(shift, -1);
	assert_int_equal(mul, 2863311530u);
}

static void test_scale_refuses_zero(void **state)
{
	uint32_t mul = 7;
	int8_t shift = 7;
	(void)state;
	assert_false(pvclock_scale(0, &mul, &shift));
	assert_int_equal(mul, 7);
}

/* Any frequency from the PIT's to 10 GHz: the top bit of mul set, and one second and one hour read true. */
static void test_reads_true_across_frequencies(void **state)
{
	static const uint64_t hz[] = { 1193182ull, 14318180ull, 100000000ull, 999999999ull, 1000000001ull,
				       2095077000ull, 2995200000ull, 4000000000ull, 10000000000ull };
	(void)state;
	for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		struct pv_time_info t;
		const uint64_t tsc0 = 0x123456789abcull;
		memset(&t, 0xff, sizeof(t));
		pvclock_fill(&t, tsc0, hz[i], true);
		assert_true(t.tsc_to_system_mul >= 0x80000000u);
		assert_int_equal(t.system_time, 0);
		assert_int_equal(t.tsc_timestamp, tsc0);
		assert_int_equal(t.flags, PV_TIME_TSC_STABLE);
		assert_int_equal(t.version, 0xffffffffu); /* the version is the publisher's, not fill's */
		assert_int_equal(pvclock_read(&t, tsc0), 0);
		assert_true(abs_diff(pvclock_read(&t, tsc0 + hz[i]), 1000000000ull) <= 1);
		/* 1 ppb of 3600 s is 3.6 us: the scale's precision, far below any clock's. */
		assert_true(abs_diff(pvclock_read(&t, tsc0 + hz[i] * 3600), 3600000000000ull) <= 3600);
	}
}

/* The delta is unsigned arithmetic, as in the guest: a TSC years past tsc0 still scales without overflow. */
static void test_long_uptime(void **state)
{
	struct pv_time_info t;
	const uint64_t hz = 3000000000ull, year = 365ull * 86400;
	(void)state;
	pvclock_fill(&t, 5, hz, false);
	assert_int_equal(t.flags, 0);
	assert_true(abs_diff(pvclock_read(&t, 5 + hz * year * 10), year * 10 * 1000000000ull) <= year * 10);
}

static void test_wall_clock_split(void **state)
{
	struct pv_wall_clock w = { 41, 0, 0 };
	(void)state;
	pvclock_fill_wall(&w, 1796175028123456789ll);
	assert_int_equal(w.sec, 1796175028u);
	assert_int_equal(w.nsec, 123456789u);
	assert_int_equal(w.version, 41);
	pvclock_fill_wall(&w, -5);
	assert_int_equal(w.sec, 0);
	assert_int_equal(w.nsec, 0);
}

/* KVM's cpuid.rst: signature "KVMKVMKVM\0\0\0" in EBX, ECX, EDX; features in EAX of the next leaf. */
static void test_cpuid_leaves(void **state)
{
	struct cpuid_result r = { 1, 2, 3, 4 };
	char sig[13];
	(void)state;
	cpuid_filter(0x40000100, 0, 0, 2, &r);
	assert_int_equal(r.eax, 0x40000101);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = 0;
	assert_memory_equal(sig, "KVMKVMKVM\0\0\0", 12);
	r = (struct cpuid_result){ 1, 2, 3, 4 };
	cpuid_filter(0x40000101, 0, 0, 2, &r);
	assert_int_equal(r.eax, (1u << 1) | (1u << 3) | (1u << 6)); /* NOP_IO_DELAY, CLOCKSOURCE2, PV_EOI; nothing else */
	assert_int_equal(r.ebx | r.ecx | r.edx, 0);
	/* Bulwark's own leaves stay first. */
	cpuid_filter(0x40000000, 0, 0, 2, &r);
	assert_int_equal(r.eax, 0x40000001);
	assert_int_equal(r.ebx, 0x776c7542);
}

/* The whole software range is answered from scratch: a hypervisor underneath never shows through. */
static void test_software_range_is_ours(void **state)
{
	static const uint32_t leaves[] = { 0x40000002, 0x40000102, 0x40000200, 0x40001000, 0x4fffffff };
	(void)state;
	assert_true(cpuid_is_hypervisor_leaf(0x40000000));
	assert_true(cpuid_is_hypervisor_leaf(0x4fffffff));
	assert_false(cpuid_is_hypervisor_leaf(0x3fffffff));
	assert_false(cpuid_is_hypervisor_leaf(0x50000000));
	assert_false(cpuid_is_hypervisor_leaf(0x80000000));
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_result r = { 0x4b4d564b, 0x564b4d56, 0x4d, 0x40000001 };
		assert_true(cpuid_is_hypervisor_leaf(leaves[i]));
		cpuid_filter(leaves[i], 0, 0, 2, &r);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_one_ghz),
		cmocka_unit_test(test_scale_three_ghz),
		cmocka_unit_test(test_scale_refuses_zero),
		cmocka_unit_test(test_reads_true_across_frequencies),
		cmocka_unit_test(test_long_uptime),
		cmocka_unit_test(test_wall_clock_split),
		cmocka_unit_test(test_cpuid_leaves),
		cmocka_unit_test(test_software_range_is_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
