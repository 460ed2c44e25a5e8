# Fuzz harness of the Multiboot v1 loader (hypervisor/load/multiboot.c, with the ELF loader it uses).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += multiboot
FUZZ_multiboot_SRCS := tests/fuzz/multiboot.c hypervisor/load/multiboot.c hypervisor/load/elf.c \
	hypervisor/load/e820.c hypervisor/load/boot_gdt.c
