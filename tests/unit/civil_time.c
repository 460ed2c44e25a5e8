/* Host unit tests of the calendar arithmetic against dates whose Unix times are known. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/civil_time.h"

/* Unix times from POSIX's definition (seconds since 1970-01-01 00:00 UTC, 86400 a day). */
static const struct {
	int64_t secs;
	struct civil_time t;
} known[] = {
	{ 0, { 1970, 1, 1, 0, 0, 0, 4 } },
	{ 951868799, { 2000, 2, 29, 23, 59, 59, 2 } },
	{ 946645200, { 1999, 12, 31, 13, 0, 0, 5 } },
	{ 1711843200, { 2024, 3, 31, 0, 0, 0, 0 } },
	{ 1796161205, { 2026, 12, 1, 21, 40, 5, 2 } },
	{ 4107499200, { 2100, 2, 28, 12, 0, 0, 0 } },
	{ -86400, { 1969, 12, 31, 0, 0, 0, 3 } },
};

static void test_known_dates(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct civil_time t;
		civil_from_unix(known[i].secs, &t);
		assert_int_equal(t.year, known[i].t.year);
		assert_int_equal(t.month, known[i].t.month);
		assert_int_equal(t.day, known[i].t.day);
		assert_int_equal(t.hour, known[i].t.hour);
		assert_int_equal(t.minute, known[i].t.minute);
		assert_int_equal(t.second, known[i].t.second);
		assert_int_equal(t.weekday, known[i].t.weekday);
		assert_int_equal(civil_to_unix(&known[i].t), known[i].secs);
	}
}

static void test_validity(void **state)
{
	struct civil_time t = { 2024, 2, 29, 0, 0, 0, 0 };

	(void)state;
	assert_true(civil_valid(&t));
	t.year = 2023;
	assert_false(civil_valid(&t));
	t.year = 2000;
	assert_true(civil_valid(&t));
	t.year = 2100;
	assert_false(civil_valid(&t));
	t = (struct civil_time){ 2024, 4, 31, 0, 0, 0, 0 };
	assert_false(civil_valid(&t));
	t = (struct civil_time){ 2024, 13, 1, 0, 0, 0, 0 };
	assert_false(civil_valid(&t));
	t = (struct civil_time){ 2024, 1, 1, 24, 0, 0, 0 };
	assert_false(civil_valid(&t));
}

static void test_bcd(void **state)
{
	(void)state;
	assert_int_equal(bcd_encode(59), 0x59);
	assert_int_equal(bcd_encode(0), 0x00);
	assert_int_equal(bcd_decode(0x47), 47);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_dates),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_bcd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
