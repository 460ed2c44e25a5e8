/* Host unit tests of the MMIO test device: scratch behaves like little-endian RAM, counters, the rest reads 0. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/dev/testdev.h"

static void test_scratch_is_ram_like(void **state)
{
	struct testdev t = { 0 };

	(void)state;
	testdev_ops.write(&t, NULL, 0x10, 4, 0x11223344);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x10, 1), 0x44);     /* little-endian */
	assert_int_equal(testdev_ops.read(&t, NULL, 0x12, 2), 0x1122);
	testdev_ops.write(&t, NULL, 0x11, 1, 0xaa);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x10, 4), 0x1122aa44);
	testdev_ops.write(&t, NULL, 0x18, 8, 0x0102030405060708ull);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x18, 8), 0x0102030405060708ull);
	assert_int_equal(t.count, 7);
	assert_int_equal(t.last_size, 8);
	assert_int_equal(t.last_write, 0);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x100, 4), 7);      /* the counter itself is not counted */
	assert_int_equal(testdev_ops.read(&t, NULL, 0x104, 4), 8);
	testdev_ops.write(&t, NULL, 0x0, 2, 1);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x108, 4), 1);
}

static void test_edges(void **state)
{
	struct testdev t;

	(void)state;
	memset(&t, 0, sizeof(t));
	testdev_ops.write(&t, NULL, 0xfe, 4, 0xddccbbaa);                   /* only 0xfe and 0xff are scratch */
	assert_int_equal(testdev_ops.read(&t, NULL, 0xfe, 4), 0xbbaa);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x100, 4), 2);
	testdev_ops.write(&t, NULL, 0x100, 4, 99);                          /* read-only */
	testdev_ops.write(&t, NULL, 0x800, 4, 99);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x100, 4), 2);
	assert_int_equal(testdev_ops.read(&t, NULL, 0x800, 4), 0);
	assert_int_equal(testdev_ops.read(&t, NULL, 0xffc, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scratch_is_ram_like),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
