/* What a Linux or Multiboot loader is asked to boot: RAM size, command line, initramfs or modules. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_REQUEST_H
#define HYPERVISOR_LOAD_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#define LOAD_MODULES_MAX 16

/* One Multiboot module: its bytes and the string the kernel sees for it (the file name). */
struct load_module {
	const uint8_t *data;
	size_t len;
	const char *string;
};

/* Everything but the kernel image. Pointers may be NULL when unused (no initrd, no modules). */
struct load_request {
	uint64_t ram_bytes;        /* guest RAM is [0, ram_bytes) */
	const char *cmdline;       /* NUL-terminated; NULL means "" */
	uint64_t acpi_rsdp;        /* guest-physical RSDP the ACPI builder wrote, 0 if none */
	const uint8_t *initrd;     /* Linux: the initramfs */
	size_t initrd_len;
	const struct load_module *modules; /* Multiboot */
	unsigned module_count;
};

#endif
