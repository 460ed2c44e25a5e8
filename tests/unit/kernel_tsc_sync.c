/* Unit tests of the TSC-synchronisation check's comparison and verdict. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "kernel/tsc_sync.h"

/* Two CPUs alternating with rising readings: every reading after the first follows the other CPU. */
static void test_alternating_rising_is_synchronised(void **state)
{
	struct tsc_sync s;
	(void)state;
	tsc_sync_init(&s);
	for (uint64_t i = 0; i < 100; i++)
		assert_false(tsc_sync_note(&s, (uint32_t)(i & 1), 1000 + 10 * i));
	assert_int_equal(s.readings, 100);
	assert_int_equal(s.cross, 99);
	assert_int_equal(s.warps, 0);
	assert_int_equal(tsc_sync_pair_verdict(&s, true, 99), TSC_SYNCHRONISED);
	assert_true(tsc_verdict_synchronised(TSC_SYNCHRONISED));
}

/* Equal readings on two CPUs are not a warp: only "below the last one" is. */
static void test_equal_reading_is_not_a_warp(void **state)
{
	struct tsc_sync s;
	(void)state;
	tsc_sync_init(&s);
	assert_false(tsc_sync_note(&s, 0, 500));
	assert_false(tsc_sync_note(&s, 1, 500));
	assert_int_equal(s.warps, 0);
}

/* CPU 1 runs 30 ticks behind CPU 0: its reading after CPU 0's 1000 is 980, a warp of 20. */
static void test_behind_cpu_warps(void **state)
{
	struct tsc_sync s;
	(void)state;
	tsc_sync_init(&s);
	assert_false(tsc_sync_note(&s, 0, 1000));
	assert_true(tsc_sync_note(&s, 1, 980));
	assert_int_equal(s.warps, 1);
	assert_int_equal(s.worst_warp, 20);
	/* The bound stays 1000: a further 990 from CPU 1 is a second warp, of 10. */
	assert_true(tsc_sync_note(&s, 1, 990));
	assert_int_equal(s.warps, 2);
	assert_int_equal(s.worst_warp, 20);
	assert_int_equal(tsc_sync_pair_verdict(&s, true, 1), TSC_WARPED);
	assert_false(tsc_verdict_synchronised(TSC_WARPED));
}

/* One CPU reading alone compares nothing between CPUs: too few to say, never synchronised. */
static void test_one_side_only_is_too_few(void **state)
{
	struct tsc_sync s;
	(void)state;
	tsc_sync_init(&s);
	for (uint64_t i = 0; i < 50; i++)
		tsc_sync_note(&s, 0, 100 + i);
	assert_int_equal(s.cross, 0);
	assert_int_equal(tsc_sync_pair_verdict(&s, true, 1), TSC_TOO_FEW);
	assert_false(tsc_verdict_synchronised(TSC_TOO_FEW));
}

/* A pair that did not finish its turns is unchecked; a warp seen before that still counts. */
static void test_incomplete_pair(void **state)
{
	struct tsc_sync s;
	(void)state;
	tsc_sync_init(&s);
	tsc_sync_note(&s, 0, 100);
	tsc_sync_note(&s, 1, 200);
	assert_int_equal(tsc_sync_pair_verdict(&s, false, 1), TSC_UNCHECKED);
	assert_false(tsc_verdict_synchronised(TSC_UNCHECKED));
	tsc_sync_note(&s, 0, 150);
	assert_int_equal(tsc_sync_pair_verdict(&s, false, 1), TSC_WARPED);
}

/* The machine is synchronised only if every pair is: the worst verdict wins. */
static void test_worst_of_pairs(void **state)
{
	(void)state;
	assert_int_equal(tsc_verdict_worst(TSC_SYNCHRONISED, TSC_WARPED), TSC_WARPED);
	assert_int_equal(tsc_verdict_worst(TSC_WARPED, TSC_SYNCHRONISED), TSC_WARPED);
	assert_int_equal(tsc_verdict_worst(TSC_SYNCHRONISED, TSC_TOO_FEW), TSC_TOO_FEW);
	assert_int_equal(tsc_verdict_worst(TSC_SYNCHRONISED, TSC_UNCHECKED), TSC_UNCHECKED);
	assert_int_equal(tsc_verdict_worst(TSC_TOO_FEW, TSC_WARPED), TSC_WARPED);
	assert_int_equal(tsc_verdict_worst(TSC_ONE_CPU, TSC_SYNCHRONISED), TSC_SYNCHRONISED);
	assert_true(tsc_verdict_synchronised(TSC_ONE_CPU));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alternating_rising_is_synchronised),
		cmocka_unit_test(test_equal_reading_is_not_a_warp),
		cmocka_unit_test(test_behind_cpu_warps),
		cmocka_unit_test(test_one_side_only_is_too_few),
		cmocka_unit_test(test_incomplete_pair),
		cmocka_unit_test(test_worst_of_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
