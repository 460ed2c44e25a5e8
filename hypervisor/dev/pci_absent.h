/* The PCI configuration ports of a PC without a PCI host bridge: nothing answers there. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_PCI_ABSENT_H
#define HYPERVISOR_DEV_PCI_ABSENT_H

#include <stdint.h>

struct vm;

/*
 * PCI Local Bus 3.0 3.2.2.3.2: configuration mechanism #1 is CONFIG_ADDRESS, the dword at 0CF8h,
 * and CONFIG_DATA, the dword at 0CFCh, both decoded by the host bridge. A Bulwark VM has no PCI
 * (its devices are virtio-mmio and the PC's ISA ones), so nothing decodes them: reads float to all
 * ones and writes go nowhere, as on the ISA bus. Linux probes them on every boot (mechanism #1,
 * then #2 at 0CF8h/0CFAh, arch/x86/pci/direct.c), finds neither and carries on without PCI; this
 * device answers that quietly instead of logging each probe as an unassigned port. Byte writes to
 * 0CF9h still reach the reset control register: the port bus puts that row first.
 */
#define PCI_ABSENT_PORT_FIRST 0xCF8
#define PCI_ABSENT_PORTS 8 /* 0CF8h-0CFFh */

uint32_t pci_absent_read(struct vm *vm, uint16_t offset, uint8_t size);
void pci_absent_write(struct vm *vm, uint16_t offset, uint8_t size, uint32_t value);

#endif
