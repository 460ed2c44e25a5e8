/* The APIC bus of one VM: interrupt messages from IPIs and the IOAPIC to the local APICs. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_APIC_BUS_H
#define HYPERVISOR_DEV_APIC_BUS_H

#include <stdbool.h>
#include <stdint.h>

struct vlapic;
struct vioapic;

#define APIC_BUS_MAX_LAPICS 8

/* Delivery modes of ICR and of IOAPIC redirection entries (SDM Vol 3A 11.6.1, 82093AA 3.2.4). */
enum apic_delivery {
	APIC_DM_FIXED = 0, APIC_DM_LOWEST = 1, APIC_DM_SMI = 2, APIC_DM_NMI = 4,
	APIC_DM_INIT = 5, APIC_DM_SIPI = 6, APIC_DM_EXTINT = 7,
};

/* Destination shorthands (ICR bits 19:18). */
enum apic_shorthand { APIC_SH_NONE = 0, APIC_SH_SELF = 1, APIC_SH_ALL = 2, APIC_SH_OTHERS = 3 };

struct apic_msg {
	uint32_t dest;          /* APIC id or logical destination */
	uint8_t vector;
	uint8_t mode;           /* enum apic_delivery */
	uint8_t shorthand;      /* enum apic_shorthand; SELF/OTHERS need a source */
	bool logical;           /* destination mode */
	bool level_triggered;   /* trigger mode (TMR on acceptance) */
	bool wide;              /* 32-bit x2APIC destination (0xFFFFFFFF broadcast) instead of 8-bit (0xFF) */
	int32_t source;         /* index of the sending local APIC, -1 for the IOAPIC */
};

struct apic_bus {
	struct vlapic *lapic[APIC_BUS_MAX_LAPICS];  /* indexed by APIC id = vCPU index */
	uint32_t count;
	struct vioapic *ioapic;                     /* receives EOI broadcasts; may be NULL */
	/* Called for every APIC that accepted something, so its vCPU can be woken. */
	void (*notify)(void *ctx, uint32_t apic_id);
	void *ctx;
	uint64_t dropped;       /* messages that reached no APIC (or an unsupported mode) */
};

/*
 * Delivers `m` to every matching APIC. Lowest priority is delivered as fixed
 * to the matching APIC with the lowest id (allowed: SDM Vol 3A 11.6.2.4 leaves
 * the choice to the chipset). SMI and ExtINT are not modelled and dropped.
 * Returns how many APICs took it; 0 counts as dropped.
 */
uint32_t apic_bus_deliver(struct apic_bus *bus, const struct apic_msg *m);
/* A level-triggered EOI from a local APIC, broadcast to the IOAPIC (11.8.5). */
void apic_bus_eoi(struct apic_bus *bus, uint8_t vector);

#endif
