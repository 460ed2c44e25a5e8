/* Host unit tests of the reset paths: 0xCF9, port 0x92 fast reset, 8042 command 0xFE, KBC status. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/dev/reset.h"

static void test_cf9(void **state)
{
	struct vreset r;

	(void)state;
	vreset_init(&r);
	assert_false(vreset_cf9_write(&r, 0x02));     /* Linux: SYS_RST first */
	assert_int_equal(vreset_cf9_read(&r), 0x02);
	assert_true(vreset_cf9_write(&r, 0x06));      /* then RST_CPU */
	assert_true(vreset_cf9_write(&r, 0x0e));
	assert_int_equal(vreset_cf9_read(&r), 0x0a);  /* RST_CPU does not stay set */
	assert_false(vreset_cf9_write(&r, 0x00));
}

static void test_port92(void **state)
{
	struct vreset r;

	(void)state;
	vreset_init(&r);
	assert_int_equal(vreset_port92_read(&r), 0x02); /* A20 on */
	assert_false(vreset_port92_write(&r, 0x00));
	assert_int_equal(vreset_port92_read(&r), 0x02);
	assert_true(vreset_port92_write(&r, 0x03));
}

static void test_kbc(void **state)
{
	struct vreset r;

	(void)state;
	vreset_init(&r);
	assert_int_equal(vreset_kbc_status(&r) & 0x03, 0); /* input and output buffers empty */
	assert_int_equal(vreset_kbc_status(&r) & 0x04, 0x04);
	assert_false(vreset_kbc_command(&r, 0xaa));
	assert_true(vreset_kbc_command(&r, 0xfe));
	vreset_post_write(&r, 0x55);
	assert_int_equal(r.post, 0x55);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cf9),
		cmocka_unit_test(test_port92),
		cmocka_unit_test(test_kbc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
