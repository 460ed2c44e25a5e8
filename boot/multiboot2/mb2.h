/* The Multiboot2 boot path's conversion into struct boot_info. */
/* SPDX-License-Identifier: MIT */
#ifndef BOOT_MULTIBOOT2_MB2_H
#define BOOT_MULTIBOOT2_MB2_H

#include <stdint.h>
#include "include/bulwark/boot_info.h"

/* Called once from kernel_entry_multiboot2 with GRUB's information block (identity-mapped). */
struct boot_info *multiboot2_to_boot_info(uint64_t mbi_phys);
uint32_t mb2_mem_type(uint32_t type);

#endif
