# Fuzz harness of the ACPI table parser and the \_S5 finder (drivers/acpi/tables.c, aml_s5.c), and of
# ISA IRQ routing over what the parser found (drivers/ioapic_route.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += acpi
FUZZ_acpi_SRCS := tests/fuzz/acpi.c drivers/acpi/tables.c drivers/acpi/aml_s5.c drivers/ioapic_route.c
