/* Where an ISA interrupt arrives at the I/O APICs the MADT lists, and the redirection entry for it. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_IOAPIC_ROUTE_H
#define DRIVERS_IOAPIC_ROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/acpi/acpi.h"

struct ioapic_route {
	uint32_t ioapic;  /* index into acpi_info.ioapics */
	uint32_t pin;     /* input of that I/O APIC: the GSI less its gsi_base */
	bool level;       /* level triggered (else edge) */
	bool active_low;
};

/*
 * ISA IRQ `irq` (0-15): identity-mapped to GSI `irq` unless an Interrupt Source Override for
 * bus 0 says otherwise, edge-triggered active-high unless the override's flags say otherwise
 * (ACPI 6.4 5.2.12.5). The I/O APIC is the one whose GSI range starts at or below the GSI and
 * nearest to it; the caller checks the pin against that I/O APIC's entry count. 0, or -1 if no
 * I/O APIC is listed, the IRQ is not an ISA one, or no I/O APIC's range starts at or below it.
 */
int ioapic_isa_route(const struct acpi_info *a, uint8_t irq, struct ioapic_route *out);

/* The 64-bit redirection entry: fixed delivery, physical destination `apic_id` (0-255), unmasked
 * (82093AA I/O APIC datasheet 3.2.4). */
uint64_t ioapic_rte(uint8_t vector, uint8_t apic_id, const struct ioapic_route *r);

#endif
