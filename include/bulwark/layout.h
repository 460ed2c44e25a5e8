/* Virtual and physical layout of the hypervisor image, shared by linker.ld, boot paths and kernel. */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_LAYOUT_H
#define BULWARK_LAYOUT_H

/*
 * The image is linked to run at KERNEL_LINK_BASE and is loaded at
 * KERNEL_LINK_PHYS by GRUB (ELF p_paddr). The UEFI loader may place it at any
 * 2 MiB aligned physical address instead; boot_info.kernel_phys_base says where.
 * KERNEL_LINK_BASE and KERNEL_LINK_PHYS share their low 30 bits, so one 2 MiB
 * page directory entry maps both.
 */
#define KERNEL_LINK_PHYS 0x200000
#define KERNEL_VIRT_BASE 0xFFFFFFFF80000000
#define KERNEL_LINK_BASE 0xFFFFFFFF80200000

/* All physical memory is mapped here once the kernel owns the page tables. */
#define HHDM_BASE 0xFFFF800000000000

#define PAGE_SIZE 4096
#define PAGE_SIZE_2M 0x200000

#endif
