# Host unit tests of small kernel helpers.
# SPDX-License-Identifier: MIT

UNIT_TEST_NAMES += kernel_cmdline
UNIT_kernel_cmdline_SRCS := tests/unit/kernel_cmdline.c kernel/cmdline.c

UNIT_TEST_NAMES += kernel_tsc_sync
UNIT_kernel_tsc_sync_SRCS := tests/unit/kernel_tsc_sync.c kernel/tsc_sync.c
