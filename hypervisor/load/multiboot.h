/* Multiboot 0.6.96 (version 1) loader: ELF or a.out-kludge kernels, modules, the information structure. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_MULTIBOOT_H
#define HYPERVISOR_LOAD_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>
#include "hypervisor/load/boot_entry.h"
#include "hypervisor/load/guest_writer.h"
#include "hypervisor/load/request.h"

#define MULTIBOOT_SEARCH_BYTES 8192   /* Multiboot 0.6.96 3.1: the header lies in the first 8192 bytes */
#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u

/* File offset of a valid Multiboot header (magic, then flags and checksum summing to 0), or -1. */
long multiboot_find_header(const uint8_t *img, size_t len);

/* Where the kernel and its modules go: what multiboot_check() decided, multiboot_load() writes. */
struct multiboot_plan {
	uint32_t flags;              /* the header's flags */
	uint64_t load_lo, load_hi;   /* the kernel's memory, bss included */
	uint64_t entry;
	uint64_t mod_gpa[LOAD_MODULES_MAX];
	uint64_t info_bytes;         /* of LOAD_INFO_GPA..LOAD_INFO_END used */
};

/*
 * Checks without writing anything: a header with no required flag we cannot
 * honour (video mode, or a bit this loader does not know), the kernel's
 * addresses (ELF program headers, or the a.out kludge of flag 16) inside the
 * file and inside RAM from 1 MiB, modules page aligned after the kernel inside
 * RAM, the strings inside the information area. 0, or -1 with `err`.
 */
int multiboot_check(const uint8_t *img, size_t len, const struct load_request *rq, struct multiboot_plan *plan,
		    char *err, size_t errlen);

/*
 * multiboot_check(), then loads the kernel and the modules and writes the
 * information structure (mem_lower/upper, cmdline, mods, mmap from the e820
 * builder, boot_loader_name) at LOAD_INFO_GPA, the command line at
 * LOAD_CMDLINE_GPA and the boot GDT; `entry` gets EAX = 0x2BADB002 and
 * EBX = the information structure (Multiboot 0.6.96 3.2).
 */
int multiboot_load(const uint8_t *img, size_t len, const struct load_request *rq, const struct guest_writer *w,
		   struct boot_entry *entry, char *err, size_t errlen);

#endif
