# Fuzz harness of the virtual PC's device models (hypervisor/dev/: LAPIC, IOAPIC, 8259, PIT, RTC, ACPI PM, reset).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += vdev
FUZZ_vdev_SRCS := tests/fuzz/vdev.c hypervisor/dev/lapic.c hypervisor/dev/apic_bus.c hypervisor/dev/ioapic.c \
	hypervisor/dev/pic8259.c hypervisor/dev/pit.c hypervisor/dev/rtc.c hypervisor/dev/acpi_pm.c \
	hypervisor/dev/reset.c kernel/civil_time.c
