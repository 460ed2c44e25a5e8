# Host unit test of the per-VM ACPI tables (hypervisor/dev/acpi_build.c with the DSDT iasl compiled), parsed by drivers/acpi.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += acpi_build
UNIT_acpi_build_SRCS := tests/unit/acpi_build.c hypervisor/dev/acpi_build.c $(DSDT_AML_C) drivers/acpi/tables.c \
	drivers/acpi/aml_s5.c
