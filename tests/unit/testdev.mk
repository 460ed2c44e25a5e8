# Host unit test of the MMIO test device (hypervisor/dev/testdev.c).
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += testdev
UNIT_testdev_SRCS := tests/unit/testdev.c hypervisor/dev/testdev.c
