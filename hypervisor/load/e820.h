/* The guest memory map (e820 entries) of a platform guest, built from the platform layout. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_E820_H
#define HYPERVISOR_LOAD_E820_H

#include <stdint.h>

/* Address range types: ACPI 6.4 15.1, table 15.1 (the same numbers as the BIOS e820 call). */
#define E820_RAM 1
#define E820_RESERVED 2

struct e820_entry {
	uint64_t base, length;
	uint32_t type;
};

#define E820_MAX 8 /* the builder never needs more */

/*
 * The map of a guest with RAM [0, ram_bytes): conventional memory up to the
 * EBDA, the EBDA, the BIOS area (ACPI tables, the RSDP scan range) reserved,
 * then RAM from 1 MiB. Entries are sorted and do not overlap; a range of RAM
 * the guest does not have is left out. Returns the number of entries.
 */
unsigned e820_build(uint64_t ram_bytes, struct e820_entry out[E820_MAX]);

/* KiB of RAM from 0 to the first hole (Multiboot mem_lower) and from 1 MiB to the next (mem_upper). */
void e820_mem_kib(const struct e820_entry *map, unsigned n, uint32_t *lower_kib, uint32_t *upper_kib);

#endif
