/* Unit tests of ISA IRQ routing to the machine's I/O APICs (drivers/ioapic_route.c). */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/ioapic_route.h"

static struct acpi_info two_ioapics(void)
{
	struct acpi_info a;

	memset(&a, 0, sizeof(a));
	a.ioapic_count = 2;
	a.ioapics[0] = (struct acpi_ioapic){ .id = 8, .address = 0xfec00000, .gsi_base = 24 };
	a.ioapics[1] = (struct acpi_ioapic){ .id = 9, .address = 0xfec01000, .gsi_base = 0 };
	return a;
}

static void test_identity(void **state)
{
	struct acpi_info a = two_ioapics();
	struct ioapic_route r;

	(void)state;
	assert_int_equal(ioapic_isa_route(&a, 4, &r), 0);
	assert_int_equal(r.ioapic, 1); /* the one whose range holds GSI 4, not the first listed */
	assert_int_equal(r.pin, 4);
	assert_false(r.level);
	assert_false(r.active_low);
}

static void test_override(void **state)
{
	struct acpi_info a = two_ioapics();
	struct ioapic_route r;

	(void)state;
	a.override_count = 2;
	a.overrides[0] = (struct acpi_override){ .source_irq = 0, .gsi = 2, .flags = 0 };
	/* IRQ 4 moved to GSI 27, level, active low: the second I/O APIC's input 3 */
	a.overrides[1] = (struct acpi_override){ .source_irq = 4, .gsi = 27, .flags = 0xf };
	assert_int_equal(ioapic_isa_route(&a, 4, &r), 0);
	assert_int_equal(r.ioapic, 0);
	assert_int_equal(r.pin, 3);
	assert_true(r.level);
	assert_true(r.active_low);
	/* "conforms to the bus" (00) and explicit high/edge (01) are both ISA's edge, active high */
	a.overrides[1].flags = 0x5;
	assert_int_equal(ioapic_isa_route(&a, 4, &r), 0);
	assert_false(r.level);
	assert_false(r.active_low);
	assert_int_equal(ioapic_isa_route(&a, 0, &r), 0);
	assert_int_equal(r.pin, 2);
}

static void test_refused(void **state)
{
	struct acpi_info a = two_ioapics();
	struct ioapic_route r;

	(void)state;
	assert_int_equal(ioapic_isa_route(NULL, 4, &r), -1);
	assert_int_equal(ioapic_isa_route(&a, 16, &r), -1); /* not an ISA IRQ */
	a.ioapic_count = 0;
	assert_int_equal(ioapic_isa_route(&a, 4, &r), -1);
	a = two_ioapics();
	a.ioapics[1].gsi_base = 8; /* no I/O APIC starts at or below GSI 4 */
	a.ioapics[0].gsi_base = 16;
	assert_int_equal(ioapic_isa_route(&a, 4, &r), -1);
	a.ioapic_count = 1000; /* a count past the table is bounded by it */
	a.ioapics[1].gsi_base = 0;
	assert_int_equal(ioapic_isa_route(&a, 4, &r), 0);
}

static void test_rte(void **state)
{
	struct ioapic_route edge = { 0, 4, false, false }, level_low = { 0, 4, true, true };

	(void)state;
	assert_int_equal(ioapic_rte(0xe1, 0, &edge), 0xe1);
	assert_int_equal(ioapic_rte(0xe1, 3, &edge), 0x03000000000000e1ull);
	assert_int_equal(ioapic_rte(0x30, 255, &level_low), 0xff0000000000a030ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_rte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
