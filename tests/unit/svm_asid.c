/* Host unit tests of the ASID pool: never 0, within the hardware's count, reused after free. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/svm/asid.h"

static struct asid_pool pool;

static void test_range_and_exhaustion(void **state)
{
	uint32_t seen[16] = { 0 };

	(void)state;
	asid_pool_init(&pool, 16);
	for (int i = 0; i < 15; i++) {
		uint32_t a = asid_alloc(&pool);
		assert_in_range(a, 1, 15);
		assert_int_equal(seen[a]++, 0);
	}
	assert_int_equal(asid_alloc(&pool), 0);
}

static void test_reuse_after_free(void **state)
{
	(void)state;
	asid_pool_init(&pool, 4);
	assert_int_equal(asid_alloc(&pool), 1);
	assert_int_equal(asid_alloc(&pool), 2);
	assert_int_equal(asid_alloc(&pool), 3);
	asid_free(&pool, 2);
	assert_int_equal(asid_alloc(&pool), 2);
	assert_int_equal(asid_alloc(&pool), 0);
	asid_free(&pool, 0);  /* the host's: ignored */
	asid_free(&pool, 99); /* out of range: ignored */
	assert_int_equal(asid_alloc(&pool), 0);
}

/* A freed ASID is handed out again only after the others: fewer stale TLB entries to meet. */
static void test_round_robin(void **state)
{
	(void)state;
	asid_pool_init(&pool, 8);
	assert_int_equal(asid_alloc(&pool), 1);
	asid_free(&pool, 1);
	assert_int_equal(asid_alloc(&pool), 2);
}

static void test_limits(void **state)
{
	(void)state;
	asid_pool_init(&pool, 0);
	assert_int_equal(asid_alloc(&pool), 0);
	asid_pool_init(&pool, 1); /* only the host's ASID */
	assert_int_equal(asid_alloc(&pool), 0);
	asid_pool_init(&pool, 1u << 15);
	assert_int_equal(pool.limit, ASID_POOL_MAX);
	for (uint32_t i = 1; i < ASID_POOL_MAX; i++)
		assert_int_equal(asid_alloc(&pool), i);
	assert_int_equal(asid_alloc(&pool), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_and_exhaustion),
		cmocka_unit_test(test_reuse_after_free),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
