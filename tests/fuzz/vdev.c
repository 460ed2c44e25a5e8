/* Fuzz harness of the virtual PC's device models: any sequence of register accesses, interrupts and time steps. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/dev/acpi_pm.h"
#include "hypervisor/dev/apic_bus.h"
#include "hypervisor/dev/ioapic.h"
#include "hypervisor/dev/lapic.h"
#include "hypervisor/dev/pic8259.h"
#include "hypervisor/dev/pit.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/reset.h"
#include "hypervisor/dev/rtc.h"
#include "tests/fuzz/fuzz.h"

/*
 * The input is a list of 12-byte records: device, operation, 16-bit offset,
 * 32-bit value, 32-bit time step in nanoseconds (little-endian). Every model
 * sees guest-controlled offsets, sizes and values as the exit handlers pass
 * them; the checks are the promises the backends and the routing rely on.
 */
#define NCPU 3

struct machine {
	struct apic_bus bus;
	struct vlapic lapic[NCPU];
	struct vioapic io;
	struct vpic pic;
	struct vpit pit;
	struct vrtc rtc;
	struct acpi_pm pm;
	struct vreset reset;
	uint64_t ns, tsc;
};

static const unsigned sizes[4] = { 1, 2, 4, 8 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void setup(struct machine *m)
{
	memset(m, 0, sizeof(*m));
	m->bus.count = NCPU;
	m->bus.ioapic = &m->io;
	for (unsigned i = 0; i < NCPU; i++) {
		vlapic_reset(&m->lapic[i], i, i == 0, 3000000000ull, &m->bus);
		m->bus.lapic[i] = &m->lapic[i];
	}
	vioapic_reset(&m->io, NCPU, &m->bus);
	vpic_reset(&m->pic);
	vpit_reset(&m->pit);
	vrtc_reset(&m->rtc);
	acpi_pm_reset(&m->pm, 0);
	vreset_init(&m->reset);
	m->ns = 1000000000ull;
	m->tsc = 3000000000ull;
}

static void check_lapic(struct vlapic *l)
{
	int v = vlapic_pending_vector(l);

	FUZZ_CHECK(v == -1 || (v >= 16 && v <= 255));
	FUZZ_CHECK(vlapic_ppr(l) <= 0xff);
	FUZZ_CHECK(l->index < NCPU);
}

static void lapic_op(struct machine *m, uint8_t op, uint16_t off, uint32_t value)
{
	struct vlapic *l = &m->lapic[(op >> 4) % NCPU];
	unsigned size = sizes[op & 3];
	uint64_t v64 = ((uint64_t)value << 32) | value;
	int vec;

	switch ((op >> 2) & 3) {
	case 0: (void)vlapic_mmio_read(l, off & 0xfff, size, m->ns, m->tsc); break;
	case 1: vlapic_mmio_write(l, off & 0xfff, size, value, m->ns, m->tsc); break;
	case 2:
		if (off & 0x100)
			(void)vlapic_msr_write(l, 0x800 + (off & 0xff), (off & 0x200) ? v64 : value, m->ns, m->tsc);
		else
			(void)vlapic_msr_read(l, 0x800 + (off & 0xff), &v64, m->ns, m->tsc);
		break;
	default:
		if (off & 1)
			(void)vlapic_set_base(l, (uint64_t)value | ((uint64_t)(off >> 8) << 32), m->ns, m->tsc);
		else if (off & 2)
			vlapic_tsc_deadline_write(l, m->tsc + value, m->ns, m->tsc);
		vec = vlapic_pending_vector(l);
		if (vec >= 0 && (off & 4))
			vlapic_ack(l, (uint8_t)vec);
		break;
	}
	check_lapic(l);
}

static void ioapic_op(struct machine *m, uint8_t op, uint16_t off, uint32_t value)
{
	switch (op & 3) {
	case 0: (void)vioapic_mmio_read(&m->io, off & 0xfff, sizes[(op >> 2) & 3]); break;
	case 1: vioapic_mmio_write(&m->io, off & 0xfff, sizes[(op >> 2) & 3], value); break;
	case 2: vioapic_set_pin(&m->io, off, value & 1); break;
	default: vioapic_eoi(&m->io, (uint8_t)value); break;
	}
	for (unsigned i = 0; i < PLAT_IOAPIC_PINS; i++)
		FUZZ_CHECK(!((m->io.redir[i] >> 12) & 1)); /* delivery status is never left set */
}

static void pic_op(struct machine *m, uint8_t op, uint16_t off, uint32_t value)
{
	switch (op & 7) {
	case 0: (void)vpic_read(&m->pic, off >> 8, off & 0xff); break;
	case 1: vpic_write(&m->pic, off >> 8, off & 0xff, (uint8_t)value); break;
	case 2: vpic_set_irq(&m->pic, off, value & 1); break;
	case 3: (void)vpic_elcr_read(&m->pic, off); break;
	case 4: vpic_elcr_write(&m->pic, off, (uint8_t)value); break;
	default:
		if (vpic_int_output(&m->pic))
			(void)vpic_ack(&m->pic);
		break;
	}
}

static void pit_op(struct machine *m, uint8_t op, uint16_t off, uint32_t value)
{
	uint64_t next;

	switch (op & 3) {
	case 0: (void)vpit_read(&m->pit, off, m->ns); break;
	case 1: vpit_write(&m->pit, off, (uint8_t)value, m->ns); break;
	case 2: (void)vpit_port61_read(&m->pit, m->ns); break;
	default: vpit_port61_write(&m->pit, (uint8_t)value, m->ns); break;
	}
	(void)vpit_irq0_due(&m->pit, m->ns);
	next = vpit_irq0_next_ns(&m->pit, m->ns);
	FUZZ_CHECK(next > m->ns || next == UINT64_MAX || !m->pit.ch[0].gate); /* reported edges are in the past */
}

static void rtc_op(struct machine *m, uint8_t op, uint16_t off, uint32_t value)
{
	int64_t wall = 1700000000ll * 1000000000ll + (int64_t)m->ns;

	if (op & 1)
		vrtc_write(&m->rtc, off, (uint8_t)value, wall);
	else
		(void)vrtc_read(&m->rtc, off, wall);
	FUZZ_CHECK(m->rtc.index < RTC_CMOS_BYTES);
}

static void pm_op(struct machine *m, uint8_t op, uint16_t off, uint32_t value)
{
	enum acpi_pm_action a;

	if (op & 1) {
		a = acpi_pm_write(&m->pm, off, sizes[(op >> 1) & 3], value, m->ns);
		FUZZ_CHECK(a == ACPI_PM_NONE || a == ACPI_PM_POWER_OFF || a == ACPI_PM_SLEEP_REFUSED);
	} else if (op & 2) {
		acpi_pm_power_button(&m->pm);
	} else {
		(void)acpi_pm_read(&m->pm, off, sizes[(op >> 2) & 3], m->ns);
	}
	FUZZ_CHECK(acpi_pm_read(&m->pm, PLAT_PORT_PM1A_CNT - PLAT_PORT_PM_BASE, 2, m->ns) & 1); /* SCI_EN */
	FUZZ_CHECK(acpi_pm_timer(m->ns) <= 0xffffff);
}

static void reset_op(struct machine *m, uint8_t op, uint32_t value)
{
	switch (op & 3) {
	case 0: (void)vreset_cf9_write(&m->reset, (uint8_t)value); break;
	case 1: (void)vreset_port92_write(&m->reset, (uint8_t)value); break;
	case 2: (void)vreset_kbc_command(&m->reset, (uint8_t)value); break;
	default: vreset_post_write(&m->reset, (uint8_t)value); break;
	}
}

static void timers(struct machine *m)
{
	for (unsigned i = 0; i < NCPU; i++) {
		uint64_t next = vlapic_timer_next_ns(&m->lapic[i], m->ns, m->tsc);
		vlapic_timer_update(&m->lapic[i], m->ns, m->tsc);
		/* A timer due now has fired: what remains is in the future or nothing. */
		if (next <= m->ns)
			FUZZ_CHECK(vlapic_timer_next_ns(&m->lapic[i], m->ns, m->tsc) > m->ns ||
				   vlapic_timer_next_ns(&m->lapic[i], m->ns, m->tsc) == UINT64_MAX);
		check_lapic(&m->lapic[i]);
	}
	if (vpit_irq0_due(&m->pit, m->ns)) {
		vioapic_set_pin(&m->io, PLAT_GSI_PIT, true);
		vioapic_set_pin(&m->io, PLAT_GSI_PIT, false);
	}
	vioapic_set_pin(&m->io, PLAT_IRQ_SCI, acpi_pm_sci(&m->pm, m->ns));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct machine m;

	setup(&m);
	for (size_t at = 0; at + 12 <= size; at += 12) {
		const uint8_t *r = data + at;
		uint16_t off = (uint16_t)(r[2] | r[3] << 8);
		uint32_t value = le32(r + 4), dt = le32(r + 8);

		m.ns += dt;
		m.tsc += 3ull * dt;
		switch (r[0] % 8) {
		case 0: lapic_op(&m, r[1], off, value); break;
		case 1: ioapic_op(&m, r[1], off, value); break;
		case 2: pic_op(&m, r[1], off, value); break;
		case 3: pit_op(&m, r[1], off, value); break;
		case 4: rtc_op(&m, r[1], off, value); break;
		case 5: pm_op(&m, r[1], off, value); break;
		case 6: reset_op(&m, r[1], value); break;
		default: timers(&m); break;
		}
	}
	return 0;
}
