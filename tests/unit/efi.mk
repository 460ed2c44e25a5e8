# Host unit tests of the UEFI loader's pure logic: ELF checks, memory-map conversion, page tables, names.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += efi_loader
UNIT_efi_loader_SRCS := tests/unit/efi_loader.c boot/efi/elf_check.c boot/efi/mmap_convert.c \
	boot/efi/pt_build.c boot/efi/text.c
