# Fuzz harness of the guest ELF loader (hypervisor/load/elf.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += elf
FUZZ_elf_SRCS := tests/fuzz/elf.c hypervisor/load/elf.c
