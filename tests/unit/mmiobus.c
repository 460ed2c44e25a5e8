/* Host unit tests of the MMIO bus: claiming ranges, refusing overlaps, finding the range of an access. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/dev/mmiobus.h"

static uint64_t rd(void *dev, struct vcpu *v, uint64_t offset, unsigned size)
{
	(void)dev, (void)v, (void)size;
	return offset;
}

static void wr(void *dev, struct vcpu *v, uint64_t offset, unsigned size, uint64_t value)
{
	(void)dev, (void)v, (void)offset, (void)size, (void)value;
}

static const struct mmio_ops ops = { rd, wr };

static void test_add_and_find(void **state)
{
	struct mmio_bus bus = { 0 };
	int a = 1, b = 2;
	(void)state;
	assert_int_equal(mmio_bus_add(&bus, 0xFEE00000, 0x1000, &ops, &a), 0);
	assert_int_equal(mmio_bus_add(&bus, 0xFEC00000, 0x1000, &ops, &b), 0);
	assert_ptr_equal(mmio_bus_find(&bus, 0xFEE00000, 4)->dev, &a);
	assert_ptr_equal(mmio_bus_find(&bus, 0xFEE00FFC, 4)->dev, &a);
	assert_ptr_equal(mmio_bus_find(&bus, 0xFEC00010, 8)->dev, &b);
	assert_null(mmio_bus_find(&bus, 0xFEDFFFFF, 1));
	assert_null(mmio_bus_find(&bus, 0xFEE01000, 1));
	assert_null(mmio_bus_find(&bus, 0, 4));
}

static void test_straddle_refused(void **state)
{
	struct mmio_bus bus = { 0 };
	(void)state;
	assert_int_equal(mmio_bus_add(&bus, 0x1000, 0x1000, &ops, NULL), 0);
	assert_int_equal(mmio_bus_add(&bus, 0x2000, 0x1000, &ops, NULL), 0);
	/* An access crossing from one device into the next belongs to neither. */
	assert_null(mmio_bus_find(&bus, 0x1FFE, 4));
	assert_null(mmio_bus_find(&bus, 0x1FFF, 2));
	assert_non_null(mmio_bus_find(&bus, 0x1FFF, 1));
	assert_null(mmio_bus_find(&bus, UINT64_MAX - 1, 4));
	assert_null(mmio_bus_find(&bus, 0x1000, 0));
}

static void test_bad_claims(void **state)
{
	struct mmio_bus bus = { 0 };
	const struct mmio_ops half = { rd, NULL };
	(void)state;
	assert_int_equal(mmio_bus_add(&bus, 0x1000, 0x1000, &ops, NULL), 0);
	assert_int_equal(mmio_bus_add(&bus, 0x1800, 0x1000, &ops, NULL), -1);  /* overlaps the end */
	assert_int_equal(mmio_bus_add(&bus, 0x0800, 0x1000, &ops, NULL), -1);  /* overlaps the start */
	assert_int_equal(mmio_bus_add(&bus, 0x0000, 0x10000, &ops, NULL), -1); /* covers it */
	assert_int_equal(mmio_bus_add(&bus, 0x1100, 0x10, &ops, NULL), -1);    /* inside it */
	assert_int_equal(mmio_bus_add(&bus, 0x3000, 0, &ops, NULL), -1);       /* empty */
	assert_int_equal(mmio_bus_add(&bus, UINT64_MAX - 0xfff, 0x2000, &ops, NULL), -1); /* wraps */
	assert_int_equal(mmio_bus_add(&bus, 0x3000, 0x1000, &half, NULL), -1); /* no write handler */
	assert_int_equal(mmio_bus_add(&bus, 0x2000, 0x1000, &ops, NULL), 0);   /* adjacent is fine */
	assert_int_equal(bus.count, 2);
}

static void test_full(void **state)
{
	struct mmio_bus bus = { 0 };
	(void)state;
	for (uint64_t i = 0; i < 16; i++) /* MMIO_MAX_RANGES */
		assert_int_equal(mmio_bus_add(&bus, 0x100000 + i * 0x1000, 0x1000, &ops, NULL), 0);
	assert_int_equal(mmio_bus_add(&bus, 0x900000, 0x1000, &ops, NULL), -1);
	assert_non_null(mmio_bus_find(&bus, 0x10F000, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_find),
		cmocka_unit_test(test_straddle_refused),
		cmocka_unit_test(test_bad_claims),
		cmocka_unit_test(test_full),
	};
	return cmocka_run_group_tests_name("mmiobus", tests, NULL, NULL);
}
