/* The ACPI tables of a VM, built for its vCPU count at the guest-physical address they will be copied to. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/dev/acpi_build.h"
#include "hypervisor/dev/dsdt_aml.h"
#include "hypervisor/dev/platform.h"

/*
 * Layout, each table aligned as ACPI 6.4 asks (5.2.5.1 RSDP 16 bytes, 5.2.10
 * FACS 64 bytes), in the order QEMU and SeaBIOS use:
 *   RSDP, XSDT -> {FADT, MADT}, FACS, FADT -> {FACS, DSDT}, MADT, DSDT.
 * There is no RSDT: the RSDP is revision 2 and 64-bit OSes use the XSDT.
 */

#define HDR_LEN 36u          /* 5.2.6 System Description Table Header */
#define RSDP_LEN 36u         /* 5.2.5.3 */
#define XSDT_ENTRIES 2u
#define XSDT_LEN (HDR_LEN + 8u * XSDT_ENTRIES)
#define FACS_LEN 64u         /* 5.2.10 table 5.14 */
#define FADT_LEN 276u        /* 5.2.9 table 5.9, revision 6 */
#define MADT_LAPIC_LEN 8u    /* 5.2.12.2 */
#define MADT_IOAPIC_LEN 12u  /* 5.2.12.3 */
#define MADT_ISO_LEN 10u     /* 5.2.12.5 */
#define MADT_NMI_LEN 6u      /* 5.2.12.7 */

#define OEM_ID "BULWRK"
#define OEM_TABLE_ID "BWVM    "
#define CREATOR_ID "BWRK"

struct layout {
	size_t rsdp, xsdt, facs, fadt, madt, dsdt, end;
};

static size_t align(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static size_t madt_len(uint32_t vcpus)
{
	return 44u + MADT_LAPIC_LEN * vcpus + MADT_IOAPIC_LEN + 2u * MADT_ISO_LEN + MADT_NMI_LEN;
}

static struct layout layout_of(uint32_t vcpus)
{
	struct layout l = { .rsdp = 0 };

	l.xsdt = align(l.rsdp + RSDP_LEN, 16);
	l.facs = align(l.xsdt + XSDT_LEN, 64);
	l.fadt = align(l.facs + FACS_LEN, 16);
	l.madt = align(l.fadt + FADT_LEN, 16);
	l.dsdt = align(l.madt + madt_len(vcpus), 16);
	l.end = l.dsdt + acpi_dsdt_aml_len;
	return l;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v), put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v), put32(p + 4, (uint32_t)(v >> 32));
}

/* Sets *sum so that the `len` bytes at p add up to zero (5.2.5.3, 5.2.6). */
static void checksum(const uint8_t *p, size_t len, uint8_t *sum)
{
	uint8_t s = 0;

	*sum = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	*sum = (uint8_t)-s;
}

/* 5.2.6: signature, length, revision, checksum (set last), OEM ids, creator. */
static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, OEM_ID, 6);
	memcpy(t + 16, OEM_TABLE_ID, 8);
	put32(t + 24, 1);
	memcpy(t + 28, CREATOR_ID, 4);
	put32(t + 32, 1);
}

/* 5.2.5.3: revision 2 with the XSDT; RsdtAddress 0. */
static void build_rsdp(uint8_t *r, uint64_t xsdt)
{
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, OEM_ID, 6);
	r[15] = 2;
	put32(r + 20, RSDP_LEN);
	put64(r + 24, xsdt);
	checksum(r, 20, &r[8]);
	checksum(r, RSDP_LEN, &r[32]);
}

static void build_xsdt(uint8_t *t, uint64_t fadt, uint64_t madt)
{
	header(t, "XSDT", XSDT_LEN, 1);
	put64(t + HDR_LEN, fadt);
	put64(t + HDR_LEN + 8, madt);
	checksum(t, XSDT_LEN, &t[9]);
}

/* 5.2.10: no waking vector (no S1-S4), version 2, the global lock free. */
static void build_facs(uint8_t *t)
{
	memcpy(t, "FACS", 4);
	put32(t + 4, FACS_LEN);
	t[32] = 2; /* Version */
}

/* 5.2.3.2 Generic Address Structure in system I/O space; access size 0 = legacy (as QEMU writes its FADT). */
static void gas_io(uint8_t *g, uint8_t bits, uint8_t access, uint16_t port)
{
	g[0] = 1;
	g[1] = bits;
	g[2] = 0;
	g[3] = access;
	put64(g + 4, port);
}

/* FADT Flags, 5.2.9 table 5.10. */
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define FADT_SLP_BUTTON (1u << 5)   /* no fixed-feature sleep button */
#define FADT_FIX_RTC (1u << 6)      /* no RTC wake status in PM1 */
#define FADT_RESET_REG_SUP (1u << 10)
/* IA-PC Boot Architecture Flags, 5.2.9.3 table 5.11. */
#define BOOT_LEGACY_DEVICES (1u << 0)
#define BOOT_VGA_NOT_PRESENT (1u << 2)
#define BOOT_MSI_NOT_SUPPORTED (1u << 3)

/*
 * 5.2.9 table 5.9, revision 6.4: the PM blocks of hypervisor/dev/acpi_pm.c,
 * SCI on IRQ 9, no SMI_CMD (ACPI mode is always on: 4.8.2.5 and 5.2.9 say
 * SMI_CMD = 0 means the hardware has no legacy mode), the reset register
 * 0xCF9 with value 6, C2/C3 not offered (latencies over 100/1000), no 8042
 * declared (the keyboard port only resets), not hardware-reduced.
 */
static void build_fadt(uint8_t *t, uint64_t facs, uint64_t dsdt)
{
	header(t, "FACP", FADT_LEN, 6);
	put32(t + 36, (uint32_t)facs);                 /* FIRMWARE_CTRL */
	put32(t + 40, (uint32_t)dsdt);                 /* DSDT */
	put16(t + 46, PLAT_IRQ_SCI);                   /* SCI_INT */
	put32(t + 48, 0);                              /* SMI_CMD */
	put32(t + 56, PLAT_PORT_PM1A_EVT);             /* PM1a_EVT_BLK */
	put32(t + 64, PLAT_PORT_PM1A_CNT);             /* PM1a_CNT_BLK */
	put32(t + 76, PLAT_PORT_PM_TMR);               /* PM_TMR_BLK */
	put32(t + 80, PLAT_PORT_GPE0);                 /* GPE0_BLK */
	t[88] = 4;                                     /* PM1_EVT_LEN */
	t[89] = 2;                                     /* PM1_CNT_LEN */
	t[91] = 4;                                     /* PM_TMR_LEN */
	t[92] = 4;                                     /* GPE0_BLK_LEN: status and enable, 2 bytes each */
	put16(t + 96, 101);                            /* P_LVL2_LAT > 100: no C2 */
	put16(t + 98, 1001);                           /* P_LVL3_LAT > 1000: no C3 */
	t[108] = PLAT_RTC_CENTURY;                     /* CENTURY */
	put16(t + 109, BOOT_LEGACY_DEVICES | BOOT_VGA_NOT_PRESENT | BOOT_MSI_NOT_SUPPORTED);
	put32(t + 112, FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_FIX_RTC | FADT_RESET_REG_SUP);
	gas_io(t + 116, 8, 1, PLAT_PORT_RESET);        /* RESET_REG: one byte */
	t[128] = PLAT_RESET_VALUE;                     /* RESET_VALUE */
	t[131] = 4;                                    /* FADT Minor Version: 6.4 */
	put64(t + 132, facs);                          /* X_FIRMWARE_CTRL, equal to FIRMWARE_CTRL */
	put64(t + 140, dsdt);                          /* X_DSDT, equal to DSDT */
	gas_io(t + 148, 32, 0, PLAT_PORT_PM1A_EVT);    /* X_PM1a_EVT_BLK */
	gas_io(t + 172, 16, 0, PLAT_PORT_PM1A_CNT);    /* X_PM1a_CNT_BLK */
	gas_io(t + 208, 32, 0, PLAT_PORT_PM_TMR);      /* X_PM_TMR_BLK */
	gas_io(t + 220, 32, 0, PLAT_PORT_GPE0);        /* X_GPE0_BLK */
	memcpy(t + 268, "Bulwark ", 8);                /* Hypervisor Vendor Identity */
	checksum(t, FADT_LEN, &t[9]);
}

/* MPS INTI flags, 5.2.12.5 table 5.26: polarity bits 1:0 (01 active high), trigger mode bits 3:2 (11 level). */
#define INTI_CONFORMS 0x0000u
#define INTI_HIGH_LEVEL 0x000Du

static uint8_t *madt_iso(uint8_t *e, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	e[0] = 2, e[1] = MADT_ISO_LEN, e[2] = 0 /* ISA */, e[3] = irq;
	put32(e + 4, gsi);
	put16(e + 8, flags);
	return e + MADT_ISO_LEN;
}

/*
 * 5.2.12: the local APIC address and PCAT_COMPAT (an 8259 pair is present,
 * masked), a Processor Local APIC per vCPU (UID = APIC id = n, enabled), the
 * IOAPIC with GSI base 0, IRQ0 -> GSI2 and the SCI level/high, and LINT1 of
 * every processor as NMI, as on a PC.
 */
static void build_madt(uint8_t *t, uint32_t vcpus)
{
	uint32_t len = (uint32_t)madt_len(vcpus);
	uint8_t *e = t + 44;

	header(t, "APIC", len, 5);
	put32(t + 36, (uint32_t)PLAT_LAPIC_BASE);
	put32(t + 40, 1); /* PCAT_COMPAT */
	for (uint32_t n = 0; n < vcpus; n++, e += MADT_LAPIC_LEN) {
		e[0] = 0, e[1] = MADT_LAPIC_LEN, e[2] = (uint8_t)n, e[3] = (uint8_t)n;
		put32(e + 4, 1); /* Enabled */
	}
	e[0] = 1, e[1] = MADT_IOAPIC_LEN, e[2] = (uint8_t)vcpus, e[3] = 0;
	put32(e + 4, (uint32_t)PLAT_IOAPIC_BASE);
	put32(e + 8, 0);
	e += MADT_IOAPIC_LEN;
	e = madt_iso(e, PLAT_IRQ_PIT, PLAT_GSI_PIT, INTI_CONFORMS);
	e = madt_iso(e, PLAT_IRQ_SCI, PLAT_IRQ_SCI, INTI_HIGH_LEVEL);
	e[0] = 4, e[1] = MADT_NMI_LEN, e[2] = 0xFF /* all processors */;
	put16(e + 3, INTI_CONFORMS);
	e[5] = 1; /* LINT1 */
	checksum(t, len, &t[9]);
}

size_t acpi_build(uint8_t *buf, size_t len, uint64_t base, uint32_t vcpus)
{
	struct layout l;

	if (!buf || vcpus < 1 || vcpus > ACPI_BUILD_MAX_VCPUS || (base & 15))
		return 0;
	l = layout_of(vcpus);
	if (l.end > len || base > 0xffffffffull - l.end)
		return 0;
	memset(buf, 0, l.end);
	build_rsdp(buf + l.rsdp, base + l.xsdt);
	build_xsdt(buf + l.xsdt, base + l.fadt, base + l.madt);
	build_facs(buf + l.facs);
	build_fadt(buf + l.fadt, base + l.facs, base + l.dsdt);
	build_madt(buf + l.madt, vcpus);
	memcpy(buf + l.dsdt, acpi_dsdt_aml, acpi_dsdt_aml_len);
	return l.end;
}
