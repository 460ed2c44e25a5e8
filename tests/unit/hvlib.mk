# Host unit tests of the hypervisor's shared pure logic: SLAT builder, 16550 UART model, byte ring.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += slat uart16550 byte_ring
UNIT_slat_SRCS := tests/unit/slat.c hypervisor/slat.c
UNIT_uart16550_SRCS := tests/unit/uart16550.c hypervisor/dev/uart16550.c kernel/byte_ring.c
UNIT_byte_ring_SRCS := tests/unit/byte_ring.c kernel/byte_ring.c
UNIT_TEST_NAMES += mmiobus
UNIT_mmiobus_SRCS := tests/unit/mmiobus.c hypervisor/dev/mmiobus.c
