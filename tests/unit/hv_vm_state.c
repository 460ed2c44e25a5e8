/* Unit tests of the VM lifecycle state machine and VM name rules. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "hypervisor/vm.h"

static void test_legal_paths(void **state)
{
	(void)state;
	assert_int_equal(vm_transition(VM_CREATED, VM_OP_START), VM_RUNNING);
	assert_int_equal(vm_transition(VM_RUNNING, VM_OP_PAUSE), VM_PAUSED);
	assert_int_equal(vm_transition(VM_PAUSED, VM_OP_RESUME), VM_RUNNING);
	assert_int_equal(vm_transition(VM_RUNNING, VM_OP_STOP), VM_STOPPED);
	assert_int_equal(vm_transition(VM_PAUSED, VM_OP_KILL), VM_STOPPED);
	assert_int_equal(vm_transition(VM_STOPPED, VM_OP_START), VM_RUNNING);
	assert_int_equal(vm_transition(VM_CRASHED, VM_OP_RESTART), VM_RUNNING);
	assert_int_equal(vm_transition(VM_RUNNING, VM_OP_CRASH), VM_CRASHED);
	assert_int_equal(vm_transition(VM_STOPPED, VM_OP_DESTROY), VM_GONE);
	assert_int_equal(vm_transition(VM_CREATED, VM_OP_DESTROY), VM_GONE);
}

static void test_illegal_paths(void **state)
{
	(void)state;
	assert_int_equal(vm_transition(VM_RUNNING, VM_OP_START), -1);
	assert_int_equal(vm_transition(VM_RUNNING, VM_OP_DESTROY), -1);
	assert_int_equal(vm_transition(VM_PAUSED, VM_OP_DESTROY), -1);
	assert_int_equal(vm_transition(VM_CREATED, VM_OP_PAUSE), -1);
	assert_int_equal(vm_transition(VM_STOPPED, VM_OP_RESUME), -1);
	assert_int_equal(vm_transition(VM_STOPPED, VM_OP_STOP), -1);
	assert_int_equal(vm_transition(VM_CRASHED, VM_OP_CRASH), -1);
	assert_int_equal(vm_transition(VM_CREATED, VM_OP_RESTART), -1);
	assert_int_equal(vm_transition(VM_STATE_COUNT, VM_OP_START), -1);
	assert_int_equal(vm_transition(VM_CREATED, VM_OP_COUNT), -1);
}

/* Every cell of the table either refuses or leads to a real state. */
static void test_table_is_total(void **state)
{
	(void)state;
	for (uint32_t s = 0; s < VM_STATE_COUNT; s++)
		for (uint32_t op = 0; op < VM_OP_COUNT; op++) {
			int to = vm_transition(s, op);
			assert_true(to == -1 || (to >= 0 && to <= VM_GONE));
			assert_true(to != VM_GONE || op == VM_OP_DESTROY);
		}
	/* Only a running or paused VM can be paused, crash, or be stopped. */
	for (uint32_t s = 0; s < VM_STATE_COUNT; s++) {
		bool live = s == VM_RUNNING || s == VM_PAUSED;
		assert_int_equal(vm_transition(s, VM_OP_STOP) >= 0, live);
		assert_int_equal(vm_transition(s, VM_OP_CRASH) >= 0, live);
		assert_int_equal(vm_transition(s, VM_OP_DESTROY) >= 0, !live);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vm_state_name(VM_PAUSED), "paused");
	assert_string_equal(vm_state_name(VM_GONE), "destroyed");
	assert_string_equal(vm_op_name(VM_OP_RESTART), "restart");
	assert_true(vm_name_valid("web-1.prod_a"));
	assert_true(vm_name_valid("9lives"));
	assert_false(vm_name_valid(""));
	assert_false(vm_name_valid("-x"));
	assert_false(vm_name_valid("a b"));
	assert_false(vm_name_valid("a\x1b[2J"));
	assert_false(vm_name_valid("abcdefghijabcdefghijabcdefghij12")); /* 32 characters */
	assert_true(vm_name_valid("abcdefghijabcdefghijabcdefghij1"));   /* 31 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legal_paths),
		cmocka_unit_test(test_illegal_paths),
		cmocka_unit_test(test_table_is_total),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
