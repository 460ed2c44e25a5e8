/* The boot GDT: two flat 4 GiB segments at Linux's boot selectors, shared by the Linux and Multiboot entries. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/load/boot_gdt.h"
#include "hypervisor/load/layout.h"

/*
 * Descriptors: base 0, limit 0xFFFFF in 4 KiB units (G=1), D/B=1 (32-bit),
 * P=1, DPL 0, S=1; type 0xB execute/read accessed for code, 0x3 read/write
 * accessed for data (SDM Vol 3A 3.4.5 and table 3-1). Entries 0 and 1 are
 * null, so the code segment sits at 0x10 and the data segment at 0x18.
 */
static const uint64_t gdt[BOOT_GDT_BYTES / 8] = {
	0,
	0,
	0x00CF9B000000FFFFull,
	0x00CF93000000FFFFull,
};

void boot_gdt_write(const struct guest_writer *w, struct boot_entry *e)
{
	uint8_t bytes[BOOT_GDT_BYTES];

	for (unsigned i = 0; i < BOOT_GDT_BYTES; i++)
		bytes[i] = (uint8_t)(gdt[i / 8] >> (8 * (i % 8))); /* little-endian, whatever the host */
	w->copy(w->ctx, LOAD_GDT_GPA, bytes, sizeof(bytes));
	e->gdt_base = LOAD_GDT_GPA;
	e->gdt_limit = BOOT_GDT_BYTES - 1;
	e->cs = BOOT_GDT_CS;
	e->ds = BOOT_GDT_DS;
}
