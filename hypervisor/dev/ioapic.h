/* The IOAPIC model (Intel 82093AA): indirect register window, redirection table, edge/level pins. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_IOAPIC_H
#define HYPERVISOR_DEV_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include "hypervisor/dev/platform.h"

struct apic_bus;

/* Pure logic; the caller holds the VM's interrupt lock. */
struct vioapic {
	uint32_t id;                      /* bits 27:24 of register 0 */
	uint32_t ioregsel;
	uint64_t redir[PLAT_IOAPIC_PINS];
	uint32_t pin_level;               /* electrical level of each input, bit per pin */
	struct apic_bus *bus;
	uint64_t bogus_vectors;           /* messages with a vector below 16, not sent */
	uint64_t undelivered;             /* messages no local APIC accepted */
};

void vioapic_reset(struct vioapic *io, uint32_t id, struct apic_bus *bus);
/* MMIO at PLAT_IOAPIC_BASE: IOREGSEL at 0x00, IOWIN at 0x10 (datasheet 3.1), 32-bit accesses. */
uint32_t vioapic_mmio_read(struct vioapic *io, uint64_t offset, unsigned size);
void vioapic_mmio_write(struct vioapic *io, uint64_t offset, unsigned size, uint32_t value);
/* Sets the electrical level of input `pin`; out-of-range pins are ignored. */
void vioapic_set_pin(struct vioapic *io, uint32_t pin, bool level);
/* A local APIC's EOI of a level-triggered `vector` (the 82093AA sees it on the APIC bus). */
void vioapic_eoi(struct vioapic *io, uint8_t vector);

#endif
