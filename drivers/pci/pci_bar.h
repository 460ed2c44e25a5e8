/* Decoding PCI base address registers from their values and size probes (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_PCI_PCI_BAR_H
#define DRIVERS_PCI_PCI_BAR_H

#include <stdint.h>

enum pci_bar_kind { PCI_BAR_NONE, PCI_BAR_IO, PCI_BAR_MEM32, PCI_BAR_MEM64 };

struct pci_bar {
	uint8_t kind; /* enum pci_bar_kind */
	uint8_t prefetchable;
	uint64_t base, size;
};

/*
 * Decodes one BAR (PCI Local Bus 3.0 6.2.5.1): `value` is what it held, `probe` what it
 * read back after all ones were written; for a 64-bit BAR both carry the upper register
 * in bits 63:32. A BAR that sizes to 0 or whose size is not a power of two is NONE.
 */
struct pci_bar pci_bar_decode(uint64_t value, uint64_t probe);
/* Whether the low dword of a BAR says it is 64-bit memory (type 10b). */
static inline int pci_bar_is_64(uint32_t low) { return (low & 1) == 0 && ((low >> 1) & 3) == 2; }

#endif
