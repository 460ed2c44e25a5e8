/* Unit tests: user-namespace id maps (parsing, validation, formatting, lookup). */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "idmap.h"

static void test_parse(void **state)
{
	struct oci_idmap m;
	struct rt_err e;

	(void)state;
	assert_int_equal(idmap_parse("0:100000:65536", &m, &e), 0);
	assert_int_equal(m.container_id, 0);
	assert_int_equal(m.host_id, 100000);
	assert_int_equal(m.size, 65536);
	assert_int_equal(idmap_parse("0:1", &m, &e), -1);
	assert_int_equal(idmap_parse("0:1:2:3", &m, &e), -1);
	assert_int_equal(idmap_parse("a:1:2", &m, &e), -1);
	assert_int_equal(idmap_parse("-1:1:2", &m, &e), -1);
	assert_int_equal(idmap_parse("0:1:0", &m, &e), -1);
	assert_int_equal(idmap_parse("4294967295:0:2", &m, &e), -1);
	assert_int_equal(idmap_parse("99999999999:0:1", &m, &e), -1);
}

static void test_validate(void **state)
{
	struct oci_idmap ok[] = { { 0, 1000, 1 }, { 1, 100000, 65535 } };
	struct oci_idmap overlap_c[] = { { 0, 1000, 10 }, { 5, 5000, 10 } };
	struct oci_idmap overlap_h[] = { { 0, 1000, 10 }, { 100, 1005, 10 } };
	struct rt_err e;

	(void)state;
	assert_int_equal(idmap_validate(ok, 2, "m", &e), 0);
	assert_int_equal(idmap_validate(overlap_c, 2, "linux.uidMappings", &e), -1);
	assert_non_null(strstr(e.msg, "linux.uidMappings[1]"));
	assert_non_null(strstr(e.msg, "containerID"));
	assert_int_equal(idmap_validate(overlap_h, 2, "m", &e), -1);
	assert_non_null(strstr(e.msg, "hostID"));
}

static void test_format_and_lookup(void **state)
{
	struct oci_idmap m[] = { { 0, 1000, 1 }, { 1, 100000, 65535 } };
	char buf[64];

	(void)state;
	assert_int_equal(idmap_format(m, 2, buf, sizeof(buf)), (int)strlen("0 1000 1\n1 100000 65535\n"));
	assert_string_equal(buf, "0 1000 1\n1 100000 65535\n");
	assert_int_equal(idmap_format(m, 2, buf, 10), -1);
	assert_int_equal(idmap_to_host(m, 2, 0), 1000);
	assert_int_equal(idmap_to_host(m, 2, 1), 100000);
	assert_int_equal(idmap_to_host(m, 2, 65535), 165534);
	assert_int_equal(idmap_to_host(m, 2, 65536), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_format_and_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
