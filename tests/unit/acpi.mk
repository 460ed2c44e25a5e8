# Host unit tests of the ACPI table parser and the \_S5 finder.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += acpi_tables
UNIT_acpi_tables_SRCS := tests/unit/acpi_tables.c drivers/acpi/tables.c drivers/acpi/aml_s5.c
