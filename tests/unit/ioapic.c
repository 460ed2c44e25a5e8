/* Host unit tests of the IOAPIC model: register window, redirection entries, edge/level/remote IRR routing. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/dev/apic_bus.h"
#include "hypervisor/dev/ioapic.h"
#include "hypervisor/dev/lapic.h"

/* 82093AA data sheet 3.1/3.2: IOREGSEL 0x00, IOWIN 0x10; registers 0x00 id, 0x01 version, 0x02 arb, 0x10+ table. */
enum { IOREGSEL = 0x00, IOWIN = 0x10 };

static struct apic_bus bus;
static struct vlapic apics[2];
static struct vioapic io;

static int setup(void **state)
{
	(void)state;
	memset(&bus, 0, sizeof(bus));
	for (uint32_t i = 0; i < 2; i++) {
		vlapic_reset(&apics[i], i, i == 0, 1000000000ull, &bus);
		vlapic_mmio_write(&apics[i], 0xf0, 4, 0x1ff, 0, 0); /* software-enable */
		bus.lapic[i] = &apics[i];
	}
	bus.count = 2;
	vioapic_reset(&io, 2, &bus);
	bus.ioapic = &io;
	return 0;
}

static uint32_t reg(uint32_t index)
{
	vioapic_mmio_write(&io, IOREGSEL, 4, index);
	return vioapic_mmio_read(&io, IOWIN, 4);
}

static void set_reg(uint32_t index, uint32_t value)
{
	vioapic_mmio_write(&io, IOREGSEL, 4, index);
	vioapic_mmio_write(&io, IOWIN, 4, value);
}

static void route(unsigned pin, uint32_t lo, uint32_t hi)
{
	set_reg(0x10 + 2 * pin + 1, hi);
	set_reg(0x10 + 2 * pin, lo);
}

static void test_identification(void **state)
{
	(void)state;
	assert_int_equal(reg(0x00), 0x02000000);
	assert_int_equal(reg(0x01), 0x00170011);      /* 24 entries (max index 23), version 0x11 */
	assert_int_equal(reg(0x02), 0x02000000);
	set_reg(0x00, 0x05000000);
	assert_int_equal(reg(0x00), 0x05000000);
	set_reg(0x01, 0);                             /* read-only */
	assert_int_equal(reg(0x01), 0x00170011);
	assert_int_equal(reg(0x3f), 0);               /* past the table */
	assert_int_equal(vioapic_mmio_read(&io, IOREGSEL, 4), 0x3f);
	assert_int_equal(vioapic_mmio_read(&io, IOWIN, 2), 0); /* not a 32-bit access */
	assert_int_equal(vioapic_mmio_read(&io, 0x20, 4), 0);
}

static void test_redirection_reset_and_bits(void **state)
{
	(void)state;
	for (unsigned pin = 0; pin < 24; pin++) {
		assert_int_equal(reg(0x10 + 2 * pin), 0x00010000); /* masked */
		assert_int_equal(reg(0x11 + 2 * pin), 0);
	}
	/* Delivery status (12) and remote IRR (14) are read-only. */
	route(3, 0xffffffff, 0xffffffff);
	assert_int_equal(reg(0x10 + 6), 0x0001afff);
	assert_int_equal(reg(0x11 + 6), 0xff000000);
}

static void test_edge(void **state)
{
	(void)state;
	route(4, 0x00000034, 0x01000000);             /* vector 0x34, fixed, physical, edge, high, to APIC 1 */
	vioapic_set_pin(&io, 4, true);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x34);
	assert_int_equal(vlapic_pending_vector(&apics[0]), -1);
	vlapic_ack(&apics[1], 0x34);
	vioapic_set_pin(&io, 4, true);                 /* no new edge */
	assert_int_equal(vlapic_pending_vector(&apics[1]), -1);
	vlapic_mmio_write(&apics[1], 0xb0, 4, 0, 0, 0);
	vioapic_set_pin(&io, 4, false);
	vioapic_set_pin(&io, 4, true);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x34);
	/* Masked: the edge is lost. */
	vlapic_ack(&apics[1], 0x34);
	vlapic_mmio_write(&apics[1], 0xb0, 4, 0, 0, 0);
	route(4, 0x00010034, 0x01000000);
	vioapic_set_pin(&io, 4, false);
	vioapic_set_pin(&io, 4, true);
	assert_int_equal(vlapic_pending_vector(&apics[1]), -1);
	/* Active low: the falling edge is the active one. */
	route(4, 0x00002034, 0x01000000);
	vioapic_set_pin(&io, 4, false);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x34);
}

static void test_level_remote_irr(void **state)
{
	(void)state;
	route(9, 0x00008049, 0x00000000);             /* level, vector 0x49, APIC 0 */
	vioapic_set_pin(&io, 9, true);
	assert_int_equal(vlapic_pending_vector(&apics[0]), 0x49);
	assert_int_equal(reg(0x10 + 18) & 0x4000, 0x4000); /* remote IRR set */
	vlapic_ack(&apics[0], 0x49);
	vioapic_set_pin(&io, 9, true);
	assert_int_equal(vlapic_pending_vector(&apics[0]), -1);
	/* EOI with the line still up: remote IRR clears and the interrupt comes again. */
	vlapic_mmio_write(&apics[0], 0xb0, 4, 0, 0, 0);
	assert_int_equal(vlapic_pending_vector(&apics[0]), 0x49);
	assert_int_equal(reg(0x10 + 18) & 0x4000, 0x4000);
	vlapic_ack(&apics[0], 0x49);
	vioapic_set_pin(&io, 9, false);
	vlapic_mmio_write(&apics[0], 0xb0, 4, 0, 0, 0);
	assert_int_equal(reg(0x10 + 18) & 0x4000, 0);
	assert_int_equal(vlapic_pending_vector(&apics[0]), -1);
	/* Masked while asserted, then unmasked: delivered on the unmask. */
	route(9, 0x00018049, 0);
	vioapic_set_pin(&io, 9, true);
	assert_int_equal(vlapic_pending_vector(&apics[0]), -1);
	route(9, 0x00008049, 0);
	assert_int_equal(vlapic_pending_vector(&apics[0]), 0x49);
}

static void test_eoi_of_other_vector(void **state)
{
	(void)state;
	route(10, 0x0000804a, 0);
	vioapic_set_pin(&io, 10, true);
	vioapic_eoi(&io, 0x4b);
	assert_int_equal(reg(0x10 + 20) & 0x4000, 0x4000);
	vioapic_eoi(&io, 0x4a);
	assert_int_equal(reg(0x10 + 20) & 0x4000, 0x4000); /* still asserted: sent again */
}

static void test_logical_and_broadcast(void **state)
{
	(void)state;
	vlapic_mmio_write(&apics[0], 0xd0, 4, 0x01000000, 0, 0);
	vlapic_mmio_write(&apics[1], 0xd0, 4, 0x02000000, 0, 0);
	route(5, 0x00000855, 0x03000000);             /* logical, flat destination 0x03 */
	vioapic_set_pin(&io, 5, true);
	assert_int_equal(vlapic_pending_vector(&apics[0]), 0x55);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x55);
	route(6, 0x00000956, 0x03000000);             /* lowest priority: APIC 0 only */
	vioapic_set_pin(&io, 6, true);
	assert_int_equal(vlapic_pending_vector(&apics[0]), 0x56);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x55);
	route(7, 0x00000057, 0xff000000);             /* physical 0xFF: everyone */
	vioapic_set_pin(&io, 7, true);
	assert_int_equal(vlapic_pending_vector(&apics[1]), 0x57);
}

static void test_bogus_entries_dropped(void **state)
{
	(void)state;
	route(11, 0x00008005, 0);                     /* level with vector 5 */
	vioapic_set_pin(&io, 11, true);
	assert_int_equal(io.bogus_vectors, 1);
	assert_int_equal(reg(0x10 + 22) & 0x4000, 0); /* no remote IRR: never stuck */
	assert_int_equal(vlapic_pending_vector(&apics[0]), -1);
	route(12, 0x00000060, 0x07000000);            /* APIC 7 does not exist */
	vioapic_set_pin(&io, 12, true);
	assert_int_equal(io.undelivered, 1);
	route(13, 0x00000700 | 0x61, 0);              /* ExtINT: not modelled */
	vioapic_set_pin(&io, 13, true);
	assert_int_equal(io.undelivered, 2);
	vioapic_set_pin(&io, 24, true);                /* no such pin */
	vioapic_set_pin(&io, 0xffffffff, true);
	route(14, 0x00000462, 0x01000000);            /* NMI to APIC 1 */
	vioapic_set_pin(&io, 14, true);
	assert_true(apics[1].nmi_pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identification, setup),
		cmocka_unit_test_setup(test_redirection_reset_and_bits, setup),
		cmocka_unit_test_setup(test_edge, setup),
		cmocka_unit_test_setup(test_level_remote_irr, setup),
		cmocka_unit_test_setup(test_eoi_of_other_vector, setup),
		cmocka_unit_test_setup(test_logical_and_broadcast, setup),
		cmocka_unit_test_setup(test_bogus_entries_dropped, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
