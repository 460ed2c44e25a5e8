/* The state a loader hands vCPU 0 of a Linux or Multiboot guest: where to start and with what. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_BOOT_ENTRY_H
#define HYPERVISOR_LOAD_BOOT_ENTRY_H

#include <stdint.h>

/*
 * vCPU 0 starts in 32-bit protected mode, paging and interrupts off, with
 * CS = `cs` and DS/ES/FS/GS/SS = `ds`, both flat 4 GiB segments described by
 * the GDT the loader wrote at `gdt_base` (so a reload of a selector by the
 * guest finds the same descriptor). Every general register not named is 0.
 */
struct boot_entry {
	uint64_t rip;
	uint64_t rax, rbx, rsi;
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint16_t cs, ds;
};

#endif
