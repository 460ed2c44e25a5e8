/* Host unit tests of the ACPI PM block: PM timer rate and wrap, write-1-to-clear status, SCI, SLP_TYP/SLP_EN. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/dev/acpi_pm.h"

/* Offsets in the block (hypervisor/dev/platform.h layout), bits from ACPI 6.4 Tables 4.16-4.18. */
enum { STS = 0x00, EN = 0x02, CNT = 0x04, TMR = 0x08, GPE_STS = 0x20, GPE_EN = 0x22 };
#define SEC 1000000000ull

static struct acpi_pm pm;

static int setup(void **state)
{
	(void)state;
	acpi_pm_reset(&pm, 0);
	return 0;
}

static void test_timer_rate_and_wrap(void **state)
{
	(void)state;
	assert_int_equal(acpi_pm_read(&pm, TMR, 4, 0), 0);
	assert_int_equal(acpi_pm_read(&pm, TMR, 4, SEC), 3579545);          /* 3.579545 MHz */
	assert_int_equal(acpi_pm_read(&pm, TMR, 4, 10 * SEC), 35795450 & 0xffffff);
	/* 2^24 ticks = 4.687 s: the counter wraps to 0 (24-bit, TMR_VAL_EXT = 0). */
	assert_int_equal(acpi_pm_timer(4687000000ull), (uint32_t)(4687000000ull * 3579545 / SEC) & 0xffffff);
	assert_true(acpi_pm_timer(4687500000ull) < 0x1000);
	assert_int_equal(acpi_pm_read(&pm, TMR + 3, 1, 3 * SEC), 0);          /* bits 31:24 read 0 */
	acpi_pm_write(&pm, TMR, 4, 0x12345678, SEC);                        /* read-only */
	assert_int_equal(acpi_pm_read(&pm, TMR, 4, SEC), 3579545);
}

static void test_tmr_sts_w1c(void **state)
{
	(void)state;
	assert_int_equal(acpi_pm_read(&pm, STS, 2, SEC), 0);
	/* Bit 23 flips every 2^23 ticks = 2.3435 s. */
	assert_int_equal(acpi_pm_read(&pm, STS, 2, 2400000000ull) & 0x1, 0x1);
	acpi_pm_write(&pm, STS, 2, 0x0000, 2400000000ull);                  /* writing 0 changes nothing */
	assert_int_equal(acpi_pm_read(&pm, STS, 2, 2400000000ull) & 0x1, 0x1);
	acpi_pm_write(&pm, STS, 2, 0x0001, 2400000000ull);                  /* write 1 to clear */
	assert_int_equal(acpi_pm_read(&pm, STS, 2, 2400000000ull) & 0x1, 0);
	assert_int_equal(acpi_pm_read(&pm, STS, 2, 4700000000ull) & 0x1, 0x1);
	/* SCI only with TMR_EN. */
	assert_false(acpi_pm_sci(&pm, 4700000000ull));
	acpi_pm_write(&pm, EN, 2, 0x0001, 4700000000ull);
	assert_true(acpi_pm_sci(&pm, 4700000000ull));
	assert_int_equal(acpi_pm_read(&pm, EN, 2, 0), 0x0001);
}

static void test_power_button(void **state)
{
	(void)state;
	acpi_pm_power_button(&pm);
	assert_int_equal(acpi_pm_read(&pm, STS, 2, SEC), 0x0100);            /* PWRBTN_STS */
	assert_false(acpi_pm_sci(&pm, SEC));
	assert_false(acpi_pm_power_button_enabled(&pm));
	acpi_pm_write(&pm, EN, 2, 0x0100, SEC);
	assert_true(acpi_pm_power_button_enabled(&pm));
	assert_true(acpi_pm_sci(&pm, SEC));
	/* A 32-bit access covers status and enable: byte lanes. */
	assert_int_equal(acpi_pm_read(&pm, STS, 4, SEC), 0x01000100);
	acpi_pm_write(&pm, STS + 1, 1, 0x01, SEC);                          /* clear bit 8 through the high byte */
	assert_int_equal(acpi_pm_read(&pm, STS, 2, SEC), 0);
	assert_false(acpi_pm_sci(&pm, SEC));
	acpi_pm_write(&pm, EN, 2, 0xffff, SEC);
	assert_int_equal(acpi_pm_read(&pm, EN, 2, SEC), 0x0721);            /* TMR, GBL, PWRBTN, SLPBTN, RTC */
}

static void test_control_and_s5(void **state)
{
	(void)state;
	assert_int_equal(acpi_pm_read(&pm, CNT, 2, 0), 0x0001);             /* SCI_EN */
	assert_int_equal(acpi_pm_write(&pm, CNT, 2, 0x0000, 0), ACPI_PM_NONE);
	assert_int_equal(acpi_pm_read(&pm, CNT, 2, 0), 0x0001);             /* SCI_EN stays */
	assert_int_equal(acpi_pm_write(&pm, CNT, 2, 5u << 10, 0), ACPI_PM_NONE); /* SLP_TYP alone */
	assert_int_equal(acpi_pm_read(&pm, CNT, 2, 0), 0x1401);
	assert_int_equal(acpi_pm_write(&pm, CNT, 2, (1u << 13) | (5u << 10), 0), ACPI_PM_POWER_OFF);
	assert_int_equal(acpi_pm_read(&pm, CNT, 2, 0) & 0x2000, 0);         /* SLP_EN reads 0 */
	assert_int_equal(acpi_pm_write(&pm, CNT, 2, (1u << 13) | (1u << 10), 0), ACPI_PM_SLEEP_REFUSED);
	/* Byte writes: the high byte carries SLP_EN. */
	acpi_pm_write(&pm, CNT, 1, 0x00, 0);
	assert_int_equal(acpi_pm_write(&pm, CNT + 1, 1, 0x34, 0), ACPI_PM_POWER_OFF);
}

static void test_gpe_and_bounds(void **state)
{
	(void)state;
	acpi_pm_write(&pm, GPE_EN, 2, 0x0003, 0);
	assert_int_equal(acpi_pm_read(&pm, GPE_EN, 2, 0), 0x0003);
	assert_int_equal(acpi_pm_read(&pm, GPE_STS, 2, 0), 0);
	assert_false(acpi_pm_sci(&pm, 0));
	assert_int_equal(acpi_pm_read(&pm, 0x24, 1, 0), 0xffffffff);
	assert_int_equal(acpi_pm_read(&pm, 0x22, 4, 0), 0xffffffff);       /* runs past the block */
	assert_int_equal(acpi_pm_read(&pm, 0x10, 2, 0), 0);                 /* gap */
	assert_int_equal(acpi_pm_write(&pm, 0x23, 4, 0xffffffff, 0), ACPI_PM_NONE);
	assert_int_equal(acpi_pm_write(&pm, 0xffffffff, 1, 0, 0), ACPI_PM_NONE);
}

static void test_next_event(void **state)
{
	(void)state;
	assert_int_equal(acpi_pm_next_event_ns(&pm, 0), UINT64_MAX);
	acpi_pm_write(&pm, EN, 2, 0x0001, 0);
	assert_int_equal(acpi_pm_next_event_ns(&pm, 0), (8388608ull * SEC + 3579544) / 3579545);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_timer_rate_and_wrap, setup),
		cmocka_unit_test_setup(test_tmr_sts_w1c, setup),
		cmocka_unit_test_setup(test_power_button, setup),
		cmocka_unit_test_setup(test_control_and_s5, setup),
		cmocka_unit_test_setup(test_gpe_and_bounds, setup),
		cmocka_unit_test_setup(test_next_event, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
