/* Host unit tests of the EPT entry format: R/W/X, write-back leaves, 2 MiB leaves, EPTP (SDM Vol 3C 29.3.2, 25.6.11). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypervisor/virt_ops.h"
#include "hypervisor/vmx/ept.h"

static void test_leaf_4k_rwx_write_back(void **state)
{
	uint64_t e = ept_format.leaf_entry(0x12345000ull, GMEM_RWX, false);
	(void)state;
	assert_int_equal(e, 0x12345000ull | 0x7 | (6ull << 3));
	assert_true(ept_format.present(e));
	assert_false(ept_format.large(e));
	assert_int_equal(ept_format.prot(e), GMEM_RWX);
	assert_int_equal(e & ept_format.addr_mask, 0x12345000ull);
}

static void test_leaf_2m(void **state)
{
	uint64_t e = ept_format.leaf_entry(0x40200000ull, GMEM_R | GMEM_X, true);
	(void)state;
	assert_int_equal(e, 0x40200000ull | EPT_R | EPT_X | (6ull << 3) | (1ull << 7));
	assert_true(ept_format.large(e));
	assert_int_equal(ept_format.prot(e), GMEM_R | GMEM_X);
}

static void test_permissions_round_trip(void **state)
{
	(void)state;
	for (uint32_t p = 1; p <= GMEM_RWX; p++) {
		uint64_t e = ept_format.leaf_entry(0x1000, p, false);
		uint32_t want = (p & GMEM_W) ? (p | GMEM_R) : p; /* write-only would be a misconfiguration */
		assert_true(ept_format.present(e));
		assert_int_equal(ept_format.prot(e), want);
		assert_false((e & EPT_W) && !(e & EPT_R));
	}
}

static void test_no_permission_is_not_present(void **state)
{
	(void)state;
	assert_false(ept_format.present(ept_format.leaf_entry(0x1000, 0, false)));
	assert_false(ept_format.present(0));
	assert_false(ept_format.present(0x1000ull | (6ull << 3)));
}

static void test_table_entry(void **state)
{
	uint64_t e = ept_format.table_entry(0xabcdef000ull);
	(void)state;
	assert_int_equal(e, 0xabcdef000ull | 0x7);
	assert_true(ept_format.present(e));
	assert_false(ept_format.large(e));
}

static void test_address_bits_masked(void **state)
{
	(void)state;
	assert_int_equal(ept_format.addr_mask, 0x000ffffffffff000ull);
	assert_int_equal(ept_format.leaf_entry(0xffff000000001fffull, GMEM_R, false) & ~0xfffull, 0x000f000000001000ull);
	assert_int_equal(ept_format.table_entry(0x1fffull) & ~0xfffull, 0x1000ull);
}

static void test_eptp(void **state)
{
	(void)state;
	/* WB (6) in bits 2:0, page-walk length 4 encoded as 3 in bits 5:3 */
	assert_int_equal(ept_make_eptp(0x7654000ull), 0x7654000ull | 6 | (3 << 3));
	assert_int_equal(ept_make_eptp(0x7654fffull), 0x7654000ull | 0x1e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_4k_rwx_write_back),
		cmocka_unit_test(test_leaf_2m),
		cmocka_unit_test(test_permissions_round_trip),
		cmocka_unit_test(test_no_permission_is_not_present),
		cmocka_unit_test(test_table_entry),
		cmocka_unit_test(test_address_bits_masked),
		cmocka_unit_test(test_eptp),
	};
	return cmocka_run_group_tests_name("vmx_ept", tests, NULL, NULL);
}
