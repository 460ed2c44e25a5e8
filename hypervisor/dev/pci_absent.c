/* The PCI configuration ports of a PC without a PCI host bridge: nothing answers there. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/dev/pci_absent.h"

uint32_t pci_absent_read(struct vm *vm, uint16_t offset, uint8_t size)
{
	(void)vm, (void)offset, (void)size;
	return 0xffffffffu; /* floats high; the port bus keeps the access's width */
}

void pci_absent_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value)
{
	(void)vm, (void)offset, (void)size, (void)value; /* no host bridge to take it */
}
