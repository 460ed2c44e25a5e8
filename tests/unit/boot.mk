# Host unit tests of the Multiboot2 boot path's conversion into struct boot_info.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += boot_mb2
UNIT_boot_mb2_SRCS := tests/unit/boot_mb2.c boot/multiboot2/mb2.c
