# Host unit tests of small kernel helpers.
# SPDX-License-Identifier: MIT

UNIT_TEST_NAMES += kernel_cmdline
UNIT_kernel_cmdline_SRCS := tests/unit/kernel_cmdline.c kernel/cmdline.c

UNIT_TEST_NAMES += kernel_tsc_sync
UNIT_kernel_tsc_sync_SRCS := tests/unit/kernel_tsc_sync.c kernel/tsc_sync.c

UNIT_TEST_NAMES += ioapic_route
UNIT_ioapic_route_SRCS := tests/unit/ioapic_route.c drivers/ioapic_route.c
