# Host unit tests of the guest loaders: e820 map, Linux boot protocol, Multiboot v1, image kinds.
# SPDX-License-Identifier: MIT

LOAD_COMMON_SRCS := hypervisor/load/e820.c hypervisor/load/boot_gdt.c
UNIT_TEST_NAMES += load_e820 load_bzimage load_multiboot load_image_kind
UNIT_load_e820_SRCS := tests/unit/load_e820.c hypervisor/load/e820.c
UNIT_load_bzimage_SRCS := tests/unit/load_bzimage.c hypervisor/load/bzimage.c $(LOAD_COMMON_SRCS)
UNIT_load_multiboot_SRCS := tests/unit/load_multiboot.c hypervisor/load/multiboot.c hypervisor/load/elf.c \
	$(LOAD_COMMON_SRCS)
UNIT_load_image_kind_SRCS := tests/unit/load_image_kind.c hypervisor/load/image_kind.c hypervisor/load/bzimage.c \
	hypervisor/load/multiboot.c hypervisor/load/elf.c $(LOAD_COMMON_SRCS)
