/* The IOAPIC model (Intel 82093AA): indirect register window, redirection table, edge/level pins. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <string.h>
#include "hypervisor/dev/apic_bus.h"
#include "hypervisor/dev/ioapic.h"

/*
 * 82093AA I/O Advanced Programmable Interrupt Controller data sheet (May 1996):
 * 3.1 memory-mapped registers, 3.2 the indirect registers, 3.2.4 the
 * redirection table. Version 0x11 with 24 entries, as QEMU and KVM show.
 */
#define MMIO_IOREGSEL 0x00
#define MMIO_IOWIN 0x10

#define REG_ID 0x00
#define REG_VER 0x01
#define REG_ARB 0x02
#define REG_REDIR 0x10
#define IOAPIC_VERSION (0x11u | ((uint32_t)(PLAT_IOAPIC_PINS - 1) << 16)) /* 3.2.2 */

/* Redirection entry bits (3.2.4). */
#define RTE_VECTOR 0xffull
#define RTE_MODE_SHIFT 8
#define RTE_DEST_LOGICAL (1ull << 11)
#define RTE_DELIVS (1ull << 12)      /* read-only */
#define RTE_POLARITY_LOW (1ull << 13)
#define RTE_REMOTE_IRR (1ull << 14)  /* read-only */
#define RTE_TRIGGER_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_DEST_SHIFT 56
#define RTE_READ_ONLY (RTE_DELIVS | RTE_REMOTE_IRR)
#define RTE_WRITABLE ((0xff00000000000000ull | 0x1ffffull) & ~RTE_READ_ONLY)

void vioapic_reset(struct vioapic *io, uint32_t id, struct apic_bus *bus)
{
	memset(io, 0, sizeof(*io));
	io->id = id & 0xf;
	io->bus = bus;
	for (unsigned i = 0; i < PLAT_IOAPIC_PINS; i++)
		io->redir[i] = RTE_MASKED; /* 3.2.4: masked after reset */
}

static bool asserted(const struct vioapic *io, unsigned pin)
{
	bool level = (io->pin_level >> pin) & 1u;
	return (io->redir[pin] & RTE_POLARITY_LOW) ? !level : level;
}

/* Sends pin's message; true if a local APIC took it. */
static bool send(struct vioapic *io, unsigned pin)
{
	uint64_t e = io->redir[pin];
	struct apic_msg m = {
		.dest = (uint32_t)(e >> RTE_DEST_SHIFT),
		.vector = (uint8_t)(e & RTE_VECTOR),
		.mode = (uint8_t)((e >> RTE_MODE_SHIFT) & 7),
		.logical = (e & RTE_DEST_LOGICAL) != 0,
		.level_triggered = (e & RTE_TRIGGER_LEVEL) != 0,
		.shorthand = 0,
		.wide = false,
		.source = -1,
	};

	/* Vectors 0x00-0x0F are reserved (3.2.4); fixed and lowest-priority messages need a real one. */
	if (m.vector < 16 && (m.mode == APIC_DM_FIXED || m.mode == APIC_DM_LOWEST)) {
		io->bogus_vectors++;
		return false;
	}
	if (!apic_bus_deliver(io->bus, &m)) {
		io->undelivered++;
		return false;
	}
	return true;
}

/* Level pin: sends while asserted, unmasked and not waiting for an EOI (remote IRR). */
static void service_level(struct vioapic *io, unsigned pin)
{
	uint64_t e = io->redir[pin];

	if (!(e & RTE_TRIGGER_LEVEL) || (e & (RTE_MASKED | RTE_REMOTE_IRR)) || !asserted(io, pin))
		return;
	if (send(io, pin))
		io->redir[pin] |= RTE_REMOTE_IRR;
}

void vioapic_set_pin(struct vioapic *io, uint32_t pin, bool level)
{
	bool was;

	if (pin >= PLAT_IOAPIC_PINS)
		return;
	was = asserted(io, pin);
	if (level)
		io->pin_level |= 1u << pin;
	else
		io->pin_level &= ~(1u << pin);
	if (io->redir[pin] & RTE_TRIGGER_LEVEL)
		service_level(io, pin);
	else if (!was && asserted(io, pin) && !(io->redir[pin] & RTE_MASKED))
		send(io, pin); /* edge: the inactive-to-active transition (3.2.4) */
}

void vioapic_eoi(struct vioapic *io, uint8_t vector)
{
	for (unsigned pin = 0; pin < PLAT_IOAPIC_PINS; pin++) {
		uint64_t e = io->redir[pin];
		if (!(e & RTE_TRIGGER_LEVEL) || !(e & RTE_REMOTE_IRR) || (e & RTE_VECTOR) != vector)
			continue;
		io->redir[pin] &= ~RTE_REMOTE_IRR;
		service_level(io, pin); /* still asserted: the device wants another interrupt */
	}
}

static void write_redir(struct vioapic *io, unsigned pin, bool high, uint32_t value)
{
	uint64_t e = io->redir[pin], w;

	w = high ? (e & 0xffffffffull) | ((uint64_t)value << 32) : (e & ~0xffffffffull) | value;
	e = (w & RTE_WRITABLE) | (e & RTE_READ_ONLY);
	if (!(e & RTE_TRIGGER_LEVEL))
		e &= ~RTE_REMOTE_IRR; /* remote IRR is undefined for edge entries: keep it clear */
	io->redir[pin] = e;
	service_level(io, pin); /* unmasking an asserted level pin delivers it */
}

static uint32_t read_reg(const struct vioapic *io)
{
	uint32_t sel = io->ioregsel;

	switch (sel) {
	case REG_ID: return io->id << 24;
	case REG_VER: return IOAPIC_VERSION;
	case REG_ARB: return io->id << 24; /* 3.2.3: arbitration id, loaded from the id */
	default: break;
	}
	if (sel >= REG_REDIR && sel < REG_REDIR + 2 * PLAT_IOAPIC_PINS) {
		uint64_t e = io->redir[(sel - REG_REDIR) / 2];
		return (sel & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
	}
	return 0;
}

static void write_reg(struct vioapic *io, uint32_t value)
{
	uint32_t sel = io->ioregsel;

	if (sel == REG_ID)
		io->id = (value >> 24) & 0xf;
	else if (sel >= REG_REDIR && sel < REG_REDIR + 2 * PLAT_IOAPIC_PINS)
		write_redir(io, (sel - REG_REDIR) / 2, sel & 1, value);
	/* version and arbitration are read-only; other indices do not exist */
}

uint32_t vioapic_mmio_read(struct vioapic *io, uint64_t offset, unsigned size)
{
	if (size != 4)
		return 0; /* 3.1: the registers take 32-bit accesses only */
	if (offset == MMIO_IOREGSEL)
		return io->ioregsel;
	if (offset == MMIO_IOWIN)
		return read_reg(io);
	return 0;
}

void vioapic_mmio_write(struct vioapic *io, uint64_t offset, unsigned size, uint32_t value)
{
	if (size != 4)
		return;
	if (offset == MMIO_IOREGSEL)
		io->ioregsel = value & 0xff; /* 3.1.1: bits 7:0 select the register */
	else if (offset == MMIO_IOWIN)
		write_reg(io, value);
}
