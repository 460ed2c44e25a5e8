/* ISA IRQ to I/O APIC input, from the MADT's I/O APIC and Interrupt Source Override entries. */
/* SPDX-License-Identifier: MIT */

#include "drivers/ioapic_route.h"

/* MPS INTI flags of an override (ACPI 6.4 table 5.26): polarity bits 1:0, trigger mode bits 3:2;
 * 00 "conforms to the bus" (ISA: active high, edge), 01 high / edge, 11 low / level, 10 reserved. */
#define INTI_POLARITY(f) ((f) & 3u)
#define INTI_TRIGGER(f) (((f) >> 2) & 3u)
#define INTI_LOW 3u
#define INTI_LEVEL 3u

int ioapic_isa_route(const struct acpi_info *a, uint8_t irq, struct ioapic_route *out)
{
	uint32_t gsi = irq, best = UINT32_MAX;
	uint16_t flags = 0;

	if (!a || irq > 15 || !a->ioapic_count)
		return -1;
	for (uint32_t i = 0; i < a->override_count && i < ACPI_MAX_OVERRIDES; i++)
		if (a->overrides[i].source_irq == irq) {
			gsi = a->overrides[i].gsi;
			flags = a->overrides[i].flags;
		}
	for (uint32_t i = 0; i < a->ioapic_count && i < ACPI_MAX_IOAPICS; i++)
		if (a->ioapics[i].gsi_base <= gsi &&
		    (best == UINT32_MAX || a->ioapics[i].gsi_base > a->ioapics[best].gsi_base))
			best = i;
	if (best == UINT32_MAX)
		return -1;
	out->ioapic = best;
	out->pin = gsi - a->ioapics[best].gsi_base;
	out->level = INTI_TRIGGER(flags) == INTI_LEVEL;
	out->active_low = INTI_POLARITY(flags) == INTI_LOW;
	return 0;
}

/* 82093AA datasheet 3.2.4: vector 7:0, delivery mode 10:8 (000 fixed), destination mode 11
 * (0 physical), polarity 13 (1 low), trigger mode 15 (1 level), mask 16, destination 63:56. */
uint64_t ioapic_rte(uint8_t vector, uint8_t apic_id, const struct ioapic_route *r)
{
	uint64_t e = vector;

	if (r->active_low)
		e |= 1ull << 13;
	if (r->level)
		e |= 1ull << 15;
	return e | (uint64_t)apic_id << 56;
}
