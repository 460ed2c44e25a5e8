/* ACPI: find the tables, read the MADT (CPUs, IOAPICs) and the FADT (power-off, reset). */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_ACPI_ACPI_H
#define DRIVERS_ACPI_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	bool enabled;        /* MADT flags bit 0 */
	bool online_capable; /* MADT flags bit 1 (ACPI 6.3) */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t address; /* MMIO physical */
	uint32_t gsi_base;
};

struct acpi_override {
	uint8_t source_irq;
	uint32_t gsi;
	uint16_t flags;
};

/* A generic address structure, ACPI spec 5.2.3.2. */
struct acpi_gas {
	uint8_t space_id; /* 0 memory, 1 system I/O */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;
};

struct acpi_info {
	uint8_t revision; /* RSDP revision */
	char oem_id[7];
	uint32_t table_count;
	/* MADT */
	uint64_t lapic_address;
	uint32_t cpu_count; /* entries, enabled or not */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	uint32_t override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	bool has_8259; /* MADT PCAT_COMPAT */
	/* FADT */
	bool has_fadt;
	uint32_t pm1a_cnt, pm1b_cnt; /* I/O ports, 0 if absent */
	bool has_reset_reg;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint64_t dsdt;
	/* \_S5 from the DSDT */
	bool has_s5;
	uint8_t slp_typa, slp_typb;
	/* other tables */
	uint64_t hpet_address; /* 0 if no HPET table */
	uint64_t mcfg_address; /* PCIe ECAM base of segment 0, 0 if absent */
};

/*
 * Parses the tables reachable from the RSDP at physical `rsdp`, reading memory
 * through `map(phys, len)` (which returns a readable pointer or NULL). Every
 * table's signature, length and checksum are checked; a bad table is skipped
 * and named in `err` (if not NULL, `errlen` bytes). Returns 0 when the RSDP is
 * valid, -1 otherwise (with `err` saying why).
 */
int acpi_parse(uint64_t rsdp, const void *(*map)(uint64_t phys, size_t len),
	       struct acpi_info *out, char *err, size_t errlen);

/* Finds \_S5's SLP_TYPa/b in DSDT AML bytes; returns 0 if found. */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);

/* Where kernel_main parses the tables into (kernel only). */
struct acpi_info *acpi_info_storage(void);
/* The tables parsed at boot (kernel only). */
const struct acpi_info *acpi_get(void);
/* Enters S5 through the FADT's PM1 control registers; returns only on failure. */
void acpi_poweroff(void);
/* Resets through the FADT reset register, then 0xCF9, then the 8042, then a triple fault. */
void acpi_reboot(void) __attribute__((noreturn));

#endif
