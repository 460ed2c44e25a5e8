/* I/O APIC registers through IOREGSEL/IOWIN (82093AA I/O APIC datasheet 3.0, 3.1, 3.2). */
/* SPDX-License-Identifier: MIT */

#include "drivers/ioapic.h"
#include "drivers/ioapic_route.h"
#include "kernel/mm/paging.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPICVER 0x01
#define IOREDTBL(pin) (0x10 + 2 * (pin))

static uint32_t reg_read(volatile uint32_t *base, uint32_t reg)
{
	base[IOREGSEL / 4] = reg;
	return base[IOWIN / 4];
}

static void reg_write(volatile uint32_t *base, uint32_t reg, uint32_t val)
{
	base[IOREGSEL / 4] = reg;
	base[IOWIN / 4] = val;
}

int ioapic_route_isa(const struct acpi_info *a, uint8_t irq, uint8_t vector, uint32_t apic_id, const char **why)
{
	struct ioapic_route r;
	volatile uint32_t *base;
	uint32_t entries;
	uint64_t rte;

	if (ioapic_isa_route(a, irq, &r) < 0)
		return *why = "the MADT lists no I/O APIC for it", -1;
	if (apic_id > 255)
		return *why = "the CPU's APIC ID is above 255", -1;
	base = paging_map_mmio(a->ioapics[r.ioapic].address, 0x1000);
	if (!base)
		return *why = "the I/O APIC's registers could not be mapped", -1;
	entries = ((reg_read(base, IOAPICVER) >> 16) & 0xff) + 1; /* maximum redirection entry, 23:16 */
	if (r.pin >= entries)
		return *why = "its I/O APIC input does not exist", -1;
	rte = ioapic_rte(vector, (uint8_t)apic_id, &r);
	/* Masked while it changes, the destination first, then the low word unmasks it. */
	reg_write(base, IOREDTBL(r.pin), (uint32_t)rte | (1u << 16));
	reg_write(base, IOREDTBL(r.pin) + 1, (uint32_t)(rte >> 32));
	reg_write(base, IOREDTBL(r.pin), (uint32_t)rte);
	return 0;
}
