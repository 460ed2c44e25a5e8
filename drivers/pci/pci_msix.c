/* MSI-X: one table entry pointed at a local APIC, for a device's interrupt to wake a halted CPU. */
/* SPDX-License-Identifier: MIT */
#include "drivers/pci/pci.h"

#define PCI_CAP_MSIX 0x11            /* PCI Local Bus 3.0 6.8.2 */
#define MSIX_CTRL_ENABLE (1u << 15)
#define MSIX_CTRL_FUNC_MASK (1u << 14)
#define MSIX_ENTRY_BYTES 16
#define MSIX_VECTOR_MASKED 1u
#define MSI_ADDR_BASE 0xfee00000u    /* SDM Vol 3A 11.11.1: destination ID in bits 19:12, physical mode */

int pci_msix_route(const struct pci_dev *d, uint16_t entry, uint8_t vector, uint32_t apic_id)
{
	uint8_t cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	uint16_t ctrl;
	uint32_t table, bir, off;
	volatile uint32_t *e;
	volatile uint8_t *base;

	if (!cap || apic_id > 0xff || vector < 32)
		return -1;
	ctrl = pci_read16(d, cap + 2);
	table = pci_read32(d, cap + 4);
	bir = table & 7;
	off = table & ~7u;
	if (entry > (ctrl & 0x7ff) || bir > 5 ||
	    (uint64_t)off + (uint64_t)(entry + 1) * MSIX_ENTRY_BYTES > d->bars[bir].size)
		return -1;
	if (!(base = pci_map_bar(d, bir)))
		return -1;
	e = (volatile uint32_t *)(base + off + (uint32_t)entry * MSIX_ENTRY_BYTES);
	e[3] = MSIX_VECTOR_MASKED;
	e[0] = MSI_ADDR_BASE | apic_id << 12;
	e[1] = 0;
	e[2] = vector; /* SDM Vol 3A 11.11.2: fixed delivery, edge trigger */
	e[3] = 0;
	pci_write16(d, cap + 2, (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FUNC_MASK);
	return 0;
}
