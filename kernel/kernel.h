/* Facts about this boot that any part of the hypervisor may ask for. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include "include/bulwark/boot_info.h"

#ifndef BULWARK_VERSION
#define BULWARK_VERSION "0.0.0"
#endif

void kernel_main(const struct boot_info *bi) __attribute__((noreturn));
/* The boot information, copied into the kernel at entry. */
const struct boot_info *kernel_boot_info(void);
/* "UEFI" or "Multiboot2". */
const char *kernel_boot_path_name(void);
/* A boot module by name (e.g. "bulwark.cfg"), or NULL. */
const struct boot_module *kernel_find_module(const char *name);

#endif
