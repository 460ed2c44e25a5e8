/* The boot GDT the Linux and Multiboot loaders write into guest RAM. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_BOOT_GDT_H
#define HYPERVISOR_LOAD_BOOT_GDT_H

#include "hypervisor/load/boot_entry.h"
#include "hypervisor/load/guest_writer.h"

/* Selectors of the flat segments: Linux's __BOOT_CS and __BOOT_DS (boot.rst, 32-bit boot protocol). */
#define BOOT_GDT_CS 0x10
#define BOOT_GDT_DS 0x18
#define BOOT_GDT_BYTES 32

/* Writes the GDT at LOAD_GDT_GPA and sets e's GDTR and selectors to it. RAM must hold 0x1000-0x101F. */
void boot_gdt_write(const struct guest_writer *w, struct boot_entry *e);

#endif
