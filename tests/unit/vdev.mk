# Host unit tests of the virtual PC's device models (hypervisor/dev/).
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += lapic ioapic
UNIT_lapic_SRCS := tests/unit/lapic.c hypervisor/dev/lapic.c hypervisor/dev/apic_bus.c hypervisor/dev/ioapic.c
UNIT_ioapic_SRCS := tests/unit/ioapic.c hypervisor/dev/ioapic.c hypervisor/dev/apic_bus.c hypervisor/dev/lapic.c
UNIT_TEST_NAMES += pic8259 pit rtc acpi_pm vreset civil_time
UNIT_pic8259_SRCS := tests/unit/pic8259.c hypervisor/dev/pic8259.c
UNIT_pit_SRCS := tests/unit/pit.c hypervisor/dev/pit.c
UNIT_rtc_SRCS := tests/unit/rtc.c hypervisor/dev/rtc.c kernel/civil_time.c
UNIT_acpi_pm_SRCS := tests/unit/acpi_pm.c hypervisor/dev/acpi_pm.c
UNIT_vreset_SRCS := tests/unit/vreset.c hypervisor/dev/reset.c
UNIT_civil_time_SRCS := tests/unit/civil_time.c kernel/civil_time.c
UNIT_TEST_NAMES += irq_route
UNIT_irq_route_SRCS := tests/unit/irq_route.c hypervisor/dev/irq.c hypervisor/dev/ioapic.c hypervisor/dev/apic_bus.c \
	hypervisor/dev/lapic.c hypervisor/dev/pic8259.c
UNIT_TEST_NAMES += port_log
UNIT_port_log_SRCS := tests/unit/port_log.c hypervisor/dev/port_log.c hypervisor/dev/pci_absent.c
