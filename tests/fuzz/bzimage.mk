# Fuzz harness of the Linux boot protocol loader (hypervisor/load/bzimage.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += bzimage
FUZZ_bzimage_SRCS := tests/fuzz/bzimage.c hypervisor/load/bzimage.c hypervisor/load/e820.c hypervisor/load/boot_gdt.c
