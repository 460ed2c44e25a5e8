/* The Linux x86 boot protocol: a bzImage, its zero page, command line and initramfs in guest RAM. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_BZIMAGE_H
#define HYPERVISOR_LOAD_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hypervisor/load/boot_entry.h"
#include "hypervisor/load/guest_writer.h"
#include "hypervisor/load/request.h"

/* True when `img` carries the boot protocol's signatures (boot flag 0xAA55 and "HdrS"). */
bool bzimage_detect(const uint8_t *img, size_t len);

/* Where everything goes: what bzimage_check() decided, bzimage_load() writes. */
struct bzimage_plan {
	uint16_t version;          /* boot protocol version, e.g. 0x020f */
	uint64_t setup_bytes;      /* (setup_sects + 1) * 512: file offset of the protected-mode kernel */
	uint64_t kernel_bytes;     /* bytes of the protected-mode kernel copied */
	uint64_t kernel_gpa;       /* where it is loaded and entered (the 32-bit entry) */
	uint64_t kernel_end;       /* kernel_gpa + init_size: the kernel's own memory */
	uint64_t initrd_gpa;       /* 0 when there is no initramfs */
	uint64_t cmdline_len;      /* without the NUL */
	uint64_t hdr_end;          /* 0x202 + byte at 0x201: end of the setup header copied */
};

/*
 * Checks the image against the request without writing anything: setup
 * header, protocol version >= 2.12, LOADED_HIGH, sizes inside the file,
 * kernel at pref_address (aligned to kernel_alignment when relocatable)
 * inside RAM, command line within cmdline_size, initramfs below
 * initrd_addr_max and RAM's end and above the kernel. 0, or -1 with `err`.
 */
int bzimage_check(const uint8_t *img, size_t len, const struct load_request *rq, struct bzimage_plan *plan,
		  char *err, size_t errlen);

/*
 * bzimage_check(), then writes the boot GDT, the zero page (setup header
 * copied and filled in, e820 map, ACPI RSDP), the command line, the kernel
 * and the initramfs, and sets `entry` for the 32-bit boot protocol entry.
 * Nothing is written when the check fails.
 */
int bzimage_load(const uint8_t *img, size_t len, const struct load_request *rq, const struct guest_writer *w,
		 struct boot_entry *entry, char *err, size_t errlen);

#endif
