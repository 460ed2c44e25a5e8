/* PCI configuration space access and enumeration of the real machine's devices. */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/pci/pci_bar.h"

#define PCI_MAX_DEVICES 64

/* Configuration header offsets, PCI Local Bus 3.0 6.1 (type 0 header). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_CAP_PTR 0x34
#define PCI_INTERRUPT_LINE 0x3c

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEM (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAP_LIST (1u << 4)

struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type; /* without the multi-function bit */
	struct pci_bar bars[6];
};

uint32_t pci_read32(const struct pci_dev *d, uint16_t off);
uint16_t pci_read16(const struct pci_dev *d, uint16_t off);
uint8_t pci_read8(const struct pci_dev *d, uint16_t off);
void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t v);
void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v);

/*
 * Finds every function on every bus: ECAM from the ACPI MCFG table when `ecam_phys`
 * is not 0 (PCI Firmware 3.2 4.1), configuration mechanism #1 otherwise (PCI Local
 * Bus 3.0 3.2.2.3.2). BARs of type 0 headers are sized. Returns how many were found.
 */
uint32_t pci_enumerate(uint64_t ecam_phys);
/* "ECAM" or "mechanism #1". */
const char *pci_access_name(void);
uint32_t pci_device_count(void);
const struct pci_dev *pci_device(uint32_t index);
/* The next device after index `*pos` with this vendor and device id; NULL when none. */
const struct pci_dev *pci_find(uint16_t vendor, uint16_t device, uint32_t *pos);
/* Turns on memory/I-O decoding and bus mastering, turns off INTx. */
void pci_enable(const struct pci_dev *d);
/* The capability list: offset of the next capability with id `cap_id` after `after` (0: from the start), or 0. */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t cap_id, uint8_t after);
/*
 * Points MSI-X table entry `entry` at the local APIC `apic_id` with `vector` (edge, fixed) and
 * turns MSI-X on. 0, or -1 when the device has no MSI-X or the entry is out of its table.
 */
int pci_msix_route(const struct pci_dev *d, uint16_t entry, uint8_t vector, uint32_t apic_id);
/* Maps a memory BAR uncached and returns its virtual address; NULL if it is not a memory BAR. */
volatile void *pci_map_bar(const struct pci_dev *d, unsigned bar);

#endif
