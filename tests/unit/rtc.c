/* Host unit tests of the CMOS RTC model: BCD and binary, 12/24 hours, UIP, status registers, NVRAM, setting the clock. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/dev/rtc.h"

/* 2026-12-01 21:40:05 UTC, a Tuesday, is Unix time 1796161205. */
#define NOW_NS (1796161205ll * 1000000000ll + 500000000ll)

static struct vrtc rtc;

static int setup(void **state)
{
	(void)state;
	vrtc_reset(&rtc);
	return 0;
}

static uint8_t cmos(uint8_t index, int64_t now)
{
	vrtc_write(&rtc, 0, index, now);
	return vrtc_read(&rtc, 1, now);
}

static void set(uint8_t index, uint8_t value, int64_t now)
{
	vrtc_write(&rtc, 0, index, now);
	vrtc_write(&rtc, 1, value, now);
}

static void test_bcd_24h(void **state)
{
	(void)state;
	assert_int_equal(cmos(0x0b, NOW_NS), 0x02);  /* 24 h, BCD */
	assert_int_equal(cmos(0x00, NOW_NS), 0x05);
	assert_int_equal(cmos(0x02, NOW_NS), 0x40);
	assert_int_equal(cmos(0x04, NOW_NS), 0x21);
	assert_int_equal(cmos(0x06, NOW_NS), 0x03);  /* Tuesday: 1 = Sunday */
	assert_int_equal(cmos(0x07, NOW_NS), 0x01);
	assert_int_equal(cmos(0x08, NOW_NS), 0x12);
	assert_int_equal(cmos(0x09, NOW_NS), 0x26);
	assert_int_equal(cmos(0x32, NOW_NS), 0x20);  /* century */
}

static void test_binary_12h(void **state)
{
	(void)state;
	set(0x0b, 0x04, NOW_NS);                      /* binary, 12-hour */
	assert_int_equal(cmos(0x00, NOW_NS), 5);
	assert_int_equal(cmos(0x02, NOW_NS), 40);
	assert_int_equal(cmos(0x04, NOW_NS), 0x80 | 9);  /* 9 PM */
	assert_int_equal(cmos(0x08, NOW_NS), 12);
	assert_int_equal(cmos(0x09, NOW_NS), 26);
	set(0x0b, 0x00, NOW_NS);                      /* BCD, 12-hour */
	assert_int_equal(cmos(0x04, NOW_NS), 0x89);
	/* Midnight and noon in 12-hour mode are 12. */
	assert_int_equal(cmos(0x04, NOW_NS - 21ll * 3600 * 1000000000ll), 0x12);
	assert_int_equal(cmos(0x04, NOW_NS - 9ll * 3600 * 1000000000ll), 0x92);
}

static void test_status_registers_and_uip(void **state)
{
	(void)state;
	assert_int_equal(cmos(0x0a, NOW_NS), 0x26);
	assert_int_equal(cmos(0x0a, NOW_NS + 499900000ll), 0xa6);  /* 100 us before the update: UIP */
	assert_int_equal(cmos(0x0a, NOW_NS + 499700000ll), 0x26);  /* 300 us before: not yet */
	set(0x0a, 0xff, NOW_NS);
	assert_int_equal(cmos(0x0a, NOW_NS), 0x7f);
	assert_int_equal(cmos(0x0c, NOW_NS), 0x00);
	assert_int_equal(cmos(0x0d, NOW_NS), 0x80);                /* VRT */
	set(0x0d, 0x00, NOW_NS);
	assert_int_equal(cmos(0x0d, NOW_NS), 0x80);
}

static void test_nvram_and_index(void **state)
{
	(void)state;
	set(0x0e, 0xa5, NOW_NS);
	set(0x7f, 0x5a, NOW_NS);
	assert_int_equal(cmos(0x0e, NOW_NS), 0xa5);
	assert_int_equal(cmos(0x7f, NOW_NS), 0x5a);
	vrtc_write(&rtc, 0, 0x8e, NOW_NS);            /* bit 7: NMI disable, index 0x0e */
	assert_true(rtc.nmi_disabled);
	assert_int_equal(vrtc_read(&rtc, 1, NOW_NS), 0xa5);
	assert_int_equal(vrtc_read(&rtc, 0, NOW_NS), 0xff);
	assert_int_equal(vrtc_read(&rtc, 7, NOW_NS), 0xff);
	vrtc_write(&rtc, 9, 0x01, NOW_NS);
}

static void test_setting_the_clock(void **state)
{
	(void)state;
	/* hwclock -w style: SET, write every field, clear SET. 1999-12-31 13:00:00. */
	set(0x0b, 0x82, NOW_NS);
	assert_int_equal(cmos(0x00, NOW_NS + 3000000000ll), 0x05); /* frozen while SET */
	set(0x00, 0x00, NOW_NS);
	set(0x02, 0x00, NOW_NS);
	set(0x04, 0x13, NOW_NS);
	set(0x07, 0x31, NOW_NS);
	set(0x08, 0x12, NOW_NS);
	set(0x09, 0x99, NOW_NS);
	set(0x32, 0x19, NOW_NS);
	set(0x0b, 0x02, NOW_NS);
	assert_int_equal(cmos(0x09, NOW_NS), 0x99);
	assert_int_equal(cmos(0x04, NOW_NS), 0x13);
	assert_int_equal(cmos(0x00, NOW_NS + 61ll * 1000000000ll), 0x01);
	assert_int_equal(cmos(0x02, NOW_NS + 61ll * 1000000000ll), 0x01);
	/* A single field written while running: minutes to 30. */
	set(0x02, 0x30, NOW_NS);
	assert_int_equal(cmos(0x02, NOW_NS), 0x30);
	/* Bad values change nothing: not BCD, a 13th month, 31 November. */
	set(0x02, 0x7a, NOW_NS);
	set(0x08, 0x13, NOW_NS);
	assert_int_equal(cmos(0x02, NOW_NS), 0x30);
	assert_int_equal(cmos(0x08, NOW_NS), 0x12);
	set(0x08, 0x11, NOW_NS);                      /* November 31 would not exist */
	assert_int_equal(cmos(0x08, NOW_NS), 0x12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bcd_24h, setup),
		cmocka_unit_test_setup(test_binary_12h, setup),
		cmocka_unit_test_setup(test_status_registers_and_uip, setup),
		cmocka_unit_test_setup(test_nvram_and_index, setup),
		cmocka_unit_test_setup(test_setting_the_clock, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
