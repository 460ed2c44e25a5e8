/* Unit tests of the per-VM limit on unassigned-port log lines, and of the absent PCI ports. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "hypervisor/dev/pci_absent.h"
#include "hypervisor/dev/port_log.h"

/* Counts what `n` accesses of one VM would log. */
static void run(uint32_t *counter, unsigned n, unsigned *logged, unsigned *last, unsigned *quiet)
{
	*logged = *last = *quiet = 0;
	for (unsigned i = 0; i < n; i++) {
		enum unassigned_log w = unassigned_log_next(counter);
		*logged += w != UNASSIGNED_QUIET;
		*last += w == UNASSIGNED_LOG_LAST;
		*quiet += w == UNASSIGNED_QUIET;
	}
}

/* 16 lines a VM, the 16th saying the rest are not logged, then quiet. */
static void test_limit_is_sixteen_with_one_last_line(void **state)
{
	uint32_t vm_a = 0;
	unsigned logged, last, quiet;
	(void)state;
	for (unsigned i = 0; i < 15; i++)
		assert_int_equal(unassigned_log_next(&vm_a), UNASSIGNED_LOG);
	assert_int_equal(unassigned_log_next(&vm_a), UNASSIGNED_LOG_LAST);
	run(&vm_a, 1000, &logged, &last, &quiet);
	assert_int_equal(logged, 0);
	assert_int_equal(quiet, 1000);
	assert_int_equal(vm_a, 16); /* stops counting: no wrap however many accesses follow */
}

/* The first VM's probes do not use up a second VM's lines. */
static void test_second_vm_has_its_own_limit(void **state)
{
	uint32_t vm_a = 0, vm_b = 0;
	unsigned logged, last, quiet;
	(void)state;
	run(&vm_a, 100, &logged, &last, &quiet);
	assert_int_equal(logged, 16);
	assert_int_equal(last, 1);
	run(&vm_b, 100, &logged, &last, &quiet);
	assert_int_equal(logged, 16);
	assert_int_equal(last, 1);
	assert_int_equal(quiet, 84);
}

/* A VM booting again starts from a zeroed counter (vm.c do_boot) and logs again. */
static void test_reboot_logs_again(void **state)
{
	uint32_t vm_a = 0;
	unsigned logged, last, quiet;
	(void)state;
	run(&vm_a, 30, &logged, &last, &quiet);
	vm_a = 0;
	run(&vm_a, 5, &logged, &last, &quiet);
	assert_int_equal(logged, 5);
	assert_int_equal(last, 0);
}

/* No host bridge decodes CONFIG_ADDRESS (0CF8h) or CONFIG_DATA (0CFCh): every width reads all ones. */
static void test_pci_ports_read_all_ones(void **state)
{
	(void)state;
	assert_int_equal(PCI_ABSENT_PORT_FIRST, 0xCF8);
	assert_int_equal(PCI_ABSENT_PORTS, 8);
	for (uint16_t off = 0; off < 8; off++) {
		pci_absent_write(NULL, off, 4, 0x80000000u); /* Linux's mechanism #1 probe: not kept */
		assert_int_equal(pci_absent_read(NULL, off, 4), 0xffffffffu);
		assert_int_equal(pci_absent_read(NULL, off, 1) & 0xff, 0xff);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_is_sixteen_with_one_last_line),
		cmocka_unit_test(test_second_vm_has_its_own_limit),
		cmocka_unit_test(test_reboot_logs_again),
		cmocka_unit_test(test_pci_ports_read_all_ones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
