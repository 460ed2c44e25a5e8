/* Finding the ACPI RSDP in the UEFI configuration table. */
/* SPDX-License-Identifier: MIT */
#include "loader.h"

/*
 * UEFI spec 4.6 "EFI Configuration Table": ACPI_20_TABLE_GUID names the ACPI
 * 2.0+ RSDP (with the XSDT), ACPI_TABLE_GUID the ACPI 1.0 one. Prefer 2.0.
 */
uint64_t acpi_find_rsdp(EFI_SYSTEM_TABLE *st)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	EFI_GUID acpi10 = ACPI_TABLE_GUID;
	uint64_t found10 = 0;

	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];

		if (CompareGuid(&t->VendorGuid, &acpi20) == 0)
			return (uint64_t)(uintptr_t)t->VendorTable;
		if (CompareGuid(&t->VendorGuid, &acpi10) == 0)
			found10 = (uint64_t)(uintptr_t)t->VendorTable;
	}
	return found10;
}
