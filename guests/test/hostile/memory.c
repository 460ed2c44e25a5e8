/* hostile, part 5: reads and writes of guest-physical memory outside its RAM (the VM should stop here). */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "hostile.h"

#define STEP (16u << 20)
#define LAPIC_BASE 0xfee00000u
#define IOAPIC_BASE 0xfec00000u
#define TOP_PAGE 0xfffff000u
#define PATTERN 0xdeadbeefu

/* Paging is off: a 32-bit linear address is the guest-physical address. */
static uint64_t read32(uint32_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static uint64_t write32(uint32_t addr)
{
	*(volatile uint32_t *)(uintptr_t)addr = PATTERN;
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static void read_and_write(uint32_t addr)
{
	attempt(read32, addr, "read 0x%08x", addr);
	attempt(write32, addr, "write 0x%08x", addr);
}

void attack_memory(uint32_t ram_bytes)
{
	read_and_write(ram_bytes & ~3u);
	read_and_write(LAPIC_BASE);
	read_and_write(IOAPIC_BASE);
	read_and_write(TOP_PAGE);
	/* Every 16 MiB above RAM: where another guest's RAM or the hypervisor would be. */
	for (uint32_t k = ram_bytes / STEP + 1; k <= 255; k++)
		read_and_write(k * STEP);
}
