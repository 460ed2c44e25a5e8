/* Where the loaders put their boot data in guest RAM (below the EBDA, away from any kernel). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_LOAD_LAYOUT_H
#define HYPERVISOR_LOAD_LAYOUT_H

/*
 * Guest-physical placement chosen by the loaders, all in conventional memory
 * (below PLAT_LOW_RAM_END) and clear of the real-mode IVT and BDA at
 * 0-0x4FF. Kernels are loaded at 1 MiB or above, so they never overlap these.
 * The same places as QEMU's and Firecracker's loaders use for the zero page
 * and the command line.
 */
#define LOAD_GDT_GPA 0x1000ull          /* boot GDT: null, null, code 0x10, data 0x18 */
#define LOAD_INFO_GPA 0x7000ull         /* the zero page, or the Multiboot information */
#define LOAD_INFO_END 0x20000ull        /* Multiboot mmap, module list and strings up to here */
#define LOAD_CMDLINE_GPA 0x20000ull     /* the command line, NUL-terminated */
#define LOAD_CMDLINE_MAX 0x10000ull     /* bytes reserved for it, NUL included */
#define LOAD_KERNEL_MIN 0x100000ull     /* kernels load at or above 1 MiB */

#endif
