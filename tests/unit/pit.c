/* Host unit tests of the 8254 model: modes 0/2/3/4, latches, read-back, lo/hi access, port 0x61 and IRQ0 timing. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/dev/pit.h"

enum { CH0 = 0, CH2 = 2, CTRL = 3 };
#define T0 1000000000ull

static struct vpit pit;

/* The first nanosecond at which `ticks` input clocks of 1.193182 MHz have passed since T0. */
static uint64_t at(uint64_t ticks)
{
	return T0 + (ticks * 1000000000ull + 1193181) / 1193182;
}

static int setup(void **state)
{
	(void)state;
	vpit_reset(&pit);
	return 0;
}

static uint16_t read16(unsigned port, uint64_t now)
{
	uint8_t lo = vpit_read(&pit, port, now);
	return (uint16_t)(lo | vpit_read(&pit, port, now) << 8);
}

/* Linux's quick_pit_calibrate and pit_calibrate_tsc: channel 2, mode 0, gate through port 0x61. */
static void test_linux_channel2_calibration(void **state)
{
	(void)state;
	vpit_port61_write(&pit, (vpit_port61_read(&pit, T0) & ~0x02) | 0x01, T0);
	vpit_write(&pit, CTRL, 0xb0, T0);             /* channel 2, lo/hi, mode 0, binary */
	vpit_write(&pit, CH2, 0xff, T0);
	assert_int_equal(vpit_port61_read(&pit, T0) & 0x20, 0); /* OUT2 low once counting in mode 0 */
	vpit_write(&pit, CH2, 0xff, T0);
	assert_int_equal(read16(CH2, at(1000)), 0xffff - 1000);
	assert_int_equal(vpit_read(&pit, CH2, at(0x100)), 0xff - 0x100 % 0x100); /* lsb */
	assert_int_equal(vpit_read(&pit, CH2, at(0x100)), 0xfe);                 /* msb of 0xfeff */
	assert_int_equal(vpit_port61_read(&pit, at(0xfffe)) & 0x20, 0);
	assert_int_equal(vpit_port61_read(&pit, at(0xffff)) & 0x21, 0x21);      /* terminal count: OUT2 high */
	assert_int_equal(read16(CH2, at(0xffff + 5)), (uint16_t)(0 - 5));      /* keeps counting, wrapped */
}

static void test_gate_pauses_mode0(void **state)
{
	(void)state;
	vpit_port61_write(&pit, 0x01, T0);
	vpit_write(&pit, CTRL, 0xb0, T0);
	vpit_write(&pit, CH2, 0x00, T0);
	vpit_write(&pit, CH2, 0x10, T0);              /* 0x1000 */
	vpit_port61_write(&pit, 0x00, at(0x100));     /* gate low: paused at 0x0f00 */
	assert_int_equal(read16(CH2, at(0x800)), 0x0f00);
	vpit_port61_write(&pit, 0x01, at(0x800));
	assert_int_equal(vpit_count(&pit, 2, at(0x800) + (0x10 * 1000000000ull + 1193181) / 1193182), 0x0f00 - 0x10);
}

static void test_counter_latch(void **state)
{
	(void)state;
	vpit_write(&pit, CTRL, 0x34, T0);             /* channel 0, lo/hi, mode 2 */
	vpit_write(&pit, CH0, 0x00, T0);
	vpit_write(&pit, CH0, 0x20, T0);              /* 0x2000 */
	vpit_write(&pit, CTRL, 0x00, at(0x123));      /* latch channel 0 */
	vpit_write(&pit, CTRL, 0x00, at(0x456));      /* a second latch before reading is ignored */
	assert_int_equal(vpit_read(&pit, CH0, at(0x1000)), 0xdd); /* 0x2000 - 0x123 = 0x1edd */
	assert_int_equal(vpit_read(&pit, CH0, at(0x1000)), 0x1e);
	assert_int_equal(read16(CH0, at(0x1000)), 0x1000);        /* live again */
}

static void test_lsb_and_msb_only(void **state)
{
	(void)state;
	vpit_write(&pit, CTRL, 0x90, T0);             /* channel 2, lsb only, mode 0 */
	vpit_write(&pit, CH2, 0x50, T0);
	assert_int_equal(vpit_count(&pit, 2, T0), 0x50);
	vpit_write(&pit, CTRL, 0xa0, T0);             /* msb only */
	vpit_write(&pit, CH2, 0x12, T0);
	assert_int_equal(vpit_count(&pit, 2, T0), 0x1200);
	assert_int_equal(vpit_read(&pit, CH2, T0), 0x12);
	assert_int_equal(vpit_read(&pit, CTRL, T0), 0xff);
}

static void test_read_back_status(void **state)
{
	(void)state;
	vpit_write(&pit, CTRL, 0x36, T0);             /* channel 0, lo/hi, mode 3 */
	vpit_write(&pit, CTRL, 0xe2, T0);             /* read-back status of channel 0 */
	assert_int_equal(vpit_read(&pit, CH0, T0), 0xf6); /* OUT high, null count, rw 11, mode 011 */
	vpit_write(&pit, CH0, 0x9c, T0);
	vpit_write(&pit, CH0, 0x2e, T0);              /* 11932: 100 Hz */
	vpit_write(&pit, CTRL, 0xc2, at(10));         /* count and status */
	assert_int_equal(vpit_read(&pit, CH0, at(20)), 0xb6); /* status first */
	assert_int_equal(read16(CH0, at(20)), 11932 - 20);    /* mode 3 counts by two */
	assert_false(vpit_out(&pit, 0, at(11932 / 2)));
	assert_true(vpit_out(&pit, 0, at(11932)));
}

static void test_mode2_irq0_period(void **state)
{
	(void)state;
	vpit_write(&pit, CTRL, 0x34, T0);
	vpit_write(&pit, CH0, 0xa9, T0);
	vpit_write(&pit, CH0, 0x04, T0);              /* 1193: about 1 ms */
	assert_false(vpit_irq0_due(&pit, T0));
	assert_int_equal(vpit_irq0_next_ns(&pit, T0), at(1193));
	assert_false(vpit_irq0_due(&pit, at(1193) - 1));
	assert_true(vpit_irq0_due(&pit, at(1193)));
	assert_false(vpit_irq0_due(&pit, at(1193)));
	assert_int_equal(vpit_irq0_next_ns(&pit, at(1193)), at(2 * 1193));
	assert_true(vpit_irq0_due(&pit, at(5 * 1193 + 7)));   /* missed periods: one pulse */
	assert_int_equal(vpit_irq0_next_ns(&pit, at(5 * 1193 + 7)), at(6 * 1193));
	assert_false(vpit_out(&pit, 0, at(1192)));            /* low for the clock before reload */
	assert_true(vpit_out(&pit, 0, at(1193)));
	assert_int_equal(vpit_count(&pit, 0, at(1193 + 3)), 1193 - 3);
}

static void test_mode0_and_mode4_one_shot(void **state)
{
	(void)state;
	vpit_write(&pit, CTRL, 0x30, T0);             /* channel 0, mode 0 */
	vpit_write(&pit, CH0, 0x64, T0);
	vpit_write(&pit, CH0, 0x00, T0);              /* 100 */
	assert_true(vpit_irq0_due(&pit, at(100)));
	assert_false(vpit_irq0_due(&pit, at(100000)));
	assert_int_equal(vpit_irq0_next_ns(&pit, at(100)), UINT64_MAX);
	vpit_reset(&pit);
	vpit_write(&pit, CTRL, 0x38, T0);             /* mode 4: software strobe */
	vpit_write(&pit, CH0, 0x0a, T0);
	vpit_write(&pit, CH0, 0x00, T0);
	assert_true(vpit_out(&pit, 0, at(9)));
	assert_false(vpit_out(&pit, 0, at(10)));      /* one clock low at terminal count */
	assert_true(vpit_out(&pit, 0, at(11)));
}

static void test_zero_means_65536(void **state)
{
	(void)state;
	vpit_write(&pit, CTRL, 0x34, T0);
	vpit_write(&pit, CH0, 0, T0);
	vpit_write(&pit, CH0, 0, T0);
	assert_int_equal(vpit_irq0_next_ns(&pit, T0), at(65536));
	assert_int_equal(vpit_count(&pit, 0, at(1)), 65535);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_linux_channel2_calibration, setup),
		cmocka_unit_test_setup(test_gate_pauses_mode0, setup),
		cmocka_unit_test_setup(test_counter_latch, setup),
		cmocka_unit_test_setup(test_lsb_and_msb_only, setup),
		cmocka_unit_test_setup(test_read_back_status, setup),
		cmocka_unit_test_setup(test_mode2_irq0_period, setup),
		cmocka_unit_test_setup(test_mode0_and_mode4_one_shot, setup),
		cmocka_unit_test_setup(test_zero_means_65536, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
