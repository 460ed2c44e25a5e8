/* The APIC bus of one VM: interrupt messages from IPIs and the IOAPIC to the local APICs. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include "hypervisor/dev/apic_bus.h"
#include "hypervisor/dev/ioapic.h"
#include "hypervisor/dev/lapic.h"

static bool targets(const struct apic_msg *m, const struct vlapic *l, uint32_t index)
{
	switch (m->shorthand) {
	case APIC_SH_SELF: return m->source >= 0 && index == (uint32_t)m->source;
	case APIC_SH_ALL: return vlapic_hw_enabled(l);
	case APIC_SH_OTHERS: return vlapic_hw_enabled(l) && (m->source < 0 || index != (uint32_t)m->source);
	default:
		return m->logical ? vlapic_match_logical(l, m->dest, m->wide) : vlapic_match_physical(l, m->dest, m->wide);
	}
}

static void accept(struct vlapic *l, const struct apic_msg *m)
{
	switch (m->mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST: vlapic_accept_fixed(l, m->vector, m->level_triggered); break;
	case APIC_DM_NMI: vlapic_accept_nmi(l); break;
	case APIC_DM_INIT: vlapic_accept_init(l); break;
	case APIC_DM_SIPI: vlapic_accept_sipi(l, m->vector); break;
	default: break;
	}
}

static bool supported(uint8_t mode)
{
	return mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST || mode == APIC_DM_NMI || mode == APIC_DM_INIT ||
	       mode == APIC_DM_SIPI;
}

uint32_t apic_bus_deliver(struct apic_bus *bus, const struct apic_msg *m)
{
	uint32_t taken = 0;

	if (!bus)
		return 0;
	if (!supported(m->mode) || (m->shorthand == APIC_SH_SELF && m->mode != APIC_DM_FIXED)) {
		/* SMI, ExtINT and the reserved modes reach no vCPU; "self" is valid with fixed only (SDM Vol 3A table 11-3) */
		bus->dropped++;
		return 0;
	}
	for (uint32_t i = 0; i < bus->count && i < APIC_BUS_MAX_LAPICS; i++) {
		struct vlapic *l = bus->lapic[i];
		if (!l || !targets(m, l, i))
			continue;
		accept(l, m);
		taken++;
		if (m->mode == APIC_DM_LOWEST)
			break; /* lowest priority: the matching APIC with the lowest id takes it */
	}
	if (!taken)
		bus->dropped++;
	return taken;
}

void apic_bus_eoi(struct apic_bus *bus, uint8_t vector)
{
	if (bus && bus->ioapic)
		vioapic_eoi(bus->ioapic, vector);
}
