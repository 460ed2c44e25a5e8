# Host unit tests of the virtual PC's device models (hypervisor/dev/).
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += lapic ioapic
UNIT_lapic_SRCS := tests/unit/lapic.c hypervisor/dev/lapic.c hypervisor/dev/apic_bus.c hypervisor/dev/ioapic.c
UNIT_ioapic_SRCS := tests/unit/ioapic.c hypervisor/dev/ioapic.c hypervisor/dev/apic_bus.c hypervisor/dev/lapic.c
