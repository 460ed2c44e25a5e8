/* Unit tests of command-line word lookup. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "kernel/cmdline.h"

static void test_words(void **state)
{
	(void)state;
	assert_true(cmdline_has("selftest=panic", "selftest=panic"));
	assert_true(cmdline_has("quiet selftest=panic debug", "selftest=panic"));
	assert_true(cmdline_has("a\tselftest=panic", "selftest=panic"));
	assert_false(cmdline_has("selftest=panicky", "selftest=panic"));
	assert_false(cmdline_has("noselftest=panic", "selftest=panic"));
	assert_false(cmdline_has("", "selftest=panic"));
	assert_false(cmdline_has("anything", ""));
	assert_true(cmdline_has("xselftest=panic selftest=panic", "selftest=panic"));
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_words) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
