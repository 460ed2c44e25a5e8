/* hostile, part 3b: abuses its own local APIC and IOAPIC: IPIs to nobody, NMI and self-IPI storms, bogus entries. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "hostile.h"

/* xAPIC registers (SDM Vol 3A Table 11-1) and the IOAPIC window (82093AA 3.1), as the PC places them. */
#define LAPIC 0xfee00000u
#define IOAPIC 0xfec00000u
#define SVR 0xf0
#define ICR_LO 0x300
#define ICR_HI 0x310
#define VER 0x30
#define STORM 2000

static volatile uint32_t *lapic_reg(uint32_t off)
{
	return (volatile uint32_t *)(uintptr_t)(LAPIC + off);
}

static uint64_t ipi_to_nobody(uint32_t apic_id)
{
	*lapic_reg(SVR) = 0x1ff;
	*lapic_reg(ICR_HI) = apic_id << 24;
	*lapic_reg(ICR_LO) = 0x00004040; /* fixed, vector 0x40, physical */
	*lapic_reg(ICR_LO) = 0x00004400; /* NMI */
	*lapic_reg(ICR_LO) = 0x0000c500; /* INIT */
	*lapic_reg(ICR_LO) = 0x00004620; /* SIPI */
	return *lapic_reg(ICR_LO);
}

/* Shorthand self (bits 19:18 = 01) with delivery mode `mode`: STORM of them in a row. */
static uint64_t self_storm(uint32_t mode)
{
	for (uint32_t i = 0; i < STORM; i++)
		*lapic_reg(ICR_LO) = 0x00044000u | (mode << 8) | 0x41;
	return *lapic_reg(VER);
}

/* Every register offset of the page, every value worth trying; the version must survive. */
static uint64_t every_offset(uint32_t value)
{
	for (uint32_t off = 0; off < 0x1000; off += 4)
		if (off != 0x20) /* keep the APIC id, so the other tries still address this vCPU */
			*lapic_reg(off) = value;
	return *lapic_reg(VER);
}

/* IOAPIC pin 5: vector 3 (reserved), NMI mode to APIC 0xAA, then every index of the window. */
static uint64_t ioapic_bogus(uint32_t unused)
{
	volatile uint32_t *sel = (volatile uint32_t *)(uintptr_t)IOAPIC, *win = sel + 4;

	(void)unused;
	*sel = 0x10 + 2 * 5 + 1;
	*win = 0xaa000000u;
	*sel = 0x10 + 2 * 5;
	*win = 0x00000003;
	for (uint32_t i = 0; i < 0x100; i++) {
		*sel = i;
		*win = 0xffffffffu;
	}
	*sel = 0x01;
	return *win;
}

static const struct attack apic_attacks[] = {
	{ "IPI to APIC 7 that does not exist (fixed, NMI, INIT, SIPI)", ipi_to_nobody, 7 },
	{ "IPI to APIC 0xFE that does not exist", ipi_to_nobody, 0xfe },
	{ "self-IPI storm (2000 fixed)", self_storm, 0 },
	{ "NMI self-IPI storm (2000)", self_storm, 4 },
	{ "LAPIC write 0xffffffff at every offset", every_offset, 0xffffffffu },
	{ "LAPIC write 0 at every offset", every_offset, 0 },
	{ "IOAPIC bogus vector and destination, every window index", ioapic_bogus, 0 },
};

void attack_apic(void)
{
	attempt_list(apic_attacks, ARRAY_LEN(apic_attacks));
}
