/* The ACPI tables of a VM: RSDP, XSDT, FACS, FADT, MADT and the DSDT, built into a buffer (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_ACPI_BUILD_H
#define HYPERVISOR_DEV_ACPI_BUILD_H

#include <stddef.h>
#include <stdint.h>

/* APIC ids are 8 bits in the MADT's Processor Local APIC entries; 0xFF is the broadcast id and the IOAPIC takes one. */
#define ACPI_BUILD_MAX_VCPUS 254

/*
 * Builds every table of a VM with `vcpus` vCPUs (local APIC ids 0..vcpus-1,
 * IOAPIC id vcpus, as hypervisor/dev/platform.h lays the platform out) into
 * buf, which the caller copies to guest-physical `base`: the RSDP is at
 * buf[0] (so `base` is where the legacy scan and boot_params.acpi_rsdp_addr
 * find it) and every pointer between tables is base + offset.
 * Preconditions checked: 1 <= vcpus <= ACPI_BUILD_MAX_VCPUS, base 16-byte
 * aligned (ACPI 6.4 5.2.5.1), the tables below 4 GiB (the FADT's 32-bit
 * DSDT and FACS fields). Returns the bytes used (at most PLAT_ACPI_SIZE for
 * every valid vcpus), or 0 when an argument is bad or `len` is too small,
 * in which case buf is not written.
 */
size_t acpi_build(uint8_t *buf, size_t len, uint64_t base, uint32_t vcpus);

#endif
