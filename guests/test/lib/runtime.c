/* Test guest start-up in C: work out the RAM size, install the IDT and UART, run the guest. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u
#define MULTIBOOT_INFO_MEM 0x1u /* flags bit 0: mem_lower/mem_upper valid (Multiboot 0.6.96, 3.3) */
#define FALLBACK_RAM (16u << 20)

struct multiboot_info {
	uint32_t flags, mem_lower, mem_upper;
};

/* Under QEMU's Multiboot loader EBX points at the information structure, not a RAM size. */
static uint32_t multiboot_ram(uint32_t info_addr)
{
	const struct multiboot_info *mbi = (const struct multiboot_info *)(uintptr_t)info_addr;
	uint32_t kib;

	if (!(mbi->flags & MULTIBOOT_INFO_MEM))
		return FALLBACK_RAM;
	kib = mbi->mem_upper + 1024u;
	return kib < (4u << 20) ? kib * 1024u : 0xfffff000u;
}

uint32_t runtime_boot_eax, runtime_boot_ebx;

void runtime_start(uint32_t eax, uint32_t ebx)
{
	runtime_boot_eax = eax;
	runtime_boot_ebx = ebx;
	uint32_t ram = eax == MULTIBOOT_LOADER_MAGIC ? multiboot_ram(ebx) : ebx;

	idt_init();
	uart_init();
	guest_main(ram);
	halt_forever();
}
