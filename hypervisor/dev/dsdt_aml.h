/* The DSDT's AML, compiled from hypervisor/dev/dsdt.asl by iasl into the build tree (mk/acpi.mk). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_DSDT_AML_H
#define HYPERVISOR_DEV_DSDT_AML_H

#include <stddef.h>
#include <stdint.h>

/* The whole table, header and checksum included, as iasl wrote it. */
extern const uint8_t acpi_dsdt_aml[];
extern const size_t acpi_dsdt_aml_len;

#endif
