/* Host unit tests of the interrupt-line routing: GSI -> IOAPIC pin -> local APIC, ISA lines to the 8259 too. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/dev/irq.h"
#include "hypervisor/dev/irq_route.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/vm.h"

static struct vm vm;
static struct vplatform plat;

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&plat, 0, sizeof(plat));
	vm.vcpu_count = 2;
	vm.plat = &plat;
	plat.vm = &vm;
	plat.bus = (struct apic_bus){ .count = 2, .ioapic = &plat.ioapic };
	for (uint32_t i = 0; i < 2; i++) {
		vlapic_reset(&plat.lapic[i], i, i == 0, 1000000000ull, &plat.bus);
		vlapic_mmio_write(&plat.lapic[i], 0xf0, 4, 0x1ff, 0, 0);
		plat.bus.lapic[i] = &plat.lapic[i];
	}
	vioapic_reset(&plat.ioapic, 2, &plat.bus);
	vpic_reset(&plat.pic);
	return 0;
}

static void route(unsigned pin, uint32_t lo, uint32_t hi)
{
	vioapic_mmio_write(&plat.ioapic, 0, 4, 0x11 + 2 * pin);
	vioapic_mmio_write(&plat.ioapic, 0x10, 4, hi);
	vioapic_mmio_write(&plat.ioapic, 0, 4, 0x10 + 2 * pin);
	vioapic_mmio_write(&plat.ioapic, 0x10, 4, lo);
}

/* The MADT's wiring (ACPI 6.4 5.2.12.5): ISA IRQ 0 is GSI 2, the other ISA IRQs are GSI = IRQ. */
static void test_isa_lines(void **state)
{
	(void)state;
	assert_int_equal(irq_gsi_to_isa(2), 0);
	assert_int_equal(irq_gsi_to_isa(0), -1);
	assert_int_equal(irq_gsi_to_isa(4), 4);
	assert_int_equal(irq_gsi_to_isa(9), 9);
	assert_int_equal(irq_gsi_to_isa(15), 15);
	assert_int_equal(irq_gsi_to_isa(16), -1);
	assert_int_equal(irq_gsi_to_isa(0xffffffff), -1);
}

static void test_com1_reaches_apic_and_pic(void **state)
{
	(void)state;
	route(4, 0x00000024, 0x01000000);             /* IRQ 4: vector 0x24 to APIC 1 */
	vm_irq_set(&vm, 4, true);
	assert_int_equal(vlapic_pending_vector(&plat.lapic[1]), 0x24);
	assert_int_equal(plat.pic.chip[0].irr, 0x10); /* the 8259 saw IRQ 4 as well */
	vm_irq_set(&vm, 4, false);
	assert_int_equal(plat.gsi_level, 0);
}

static void test_pit_on_gsi2(void **state)
{
	(void)state;
	route(2, 0x00000030, 0);
	vm_irq_pulse(&vm, 2);
	assert_int_equal(vlapic_pending_vector(&plat.lapic[0]), 0x30);
	assert_int_equal(plat.pic.chip[0].irr, 0x01); /* PIC input 0 */
}

static void test_level_sci_and_bad_lines(void **state)
{
	(void)state;
	route(9, 0x00008039, 0);
	vm_irq_set(&vm, 9, true);
	assert_int_equal(plat.gsi_level, 1u << 9);
	assert_int_equal(vlapic_pending_vector(&plat.lapic[0]), 0x39);
	vm_irq_set(&vm, 24, true);
	vm_irq_set(&vm, 0xffffffff, true);
	vm_irq_pulse(&vm, 99);
	assert_int_equal(plat.gsi_level, 1u << 9);
	vm_irq_set(NULL, 4, true);
	vm.plat = NULL;
	vm_irq_set(&vm, 4, true);                     /* a VM without a platform: ignored */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_isa_lines, setup),
		cmocka_unit_test_setup(test_com1_reaches_apic_and_pic, setup),
		cmocka_unit_test_setup(test_pit_on_gsi2, setup),
		cmocka_unit_test_setup(test_level_sci_and_bad_lines, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
