/* The machine's I/O APICs: routing one ISA interrupt to one CPU. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_IOAPIC_H
#define DRIVERS_IOAPIC_H

#include <stdint.h>
#include "drivers/acpi/acpi.h"

/*
 * Routes ISA IRQ `irq` to `vector` on the CPU with APIC ID `apic_id` (fixed delivery, physical
 * destination) and unmasks it. Other inputs are left as they are. 0, or -1 with `why` set when
 * the MADT lists no I/O APIC that has the input, or the APIC ID does not fit a physical
 * destination (above 255, which would need interrupt remapping).
 */
int ioapic_route_isa(const struct acpi_info *a, uint8_t irq, uint8_t vector, uint32_t apic_id, const char **why);

#endif
