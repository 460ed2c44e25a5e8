/* Decoding PCI base address registers (PCI Local Bus 3.0 6.2.5.1). */
/* SPDX-License-Identifier: MIT */
#include "drivers/pci/pci_bar.h"

struct pci_bar pci_bar_decode(uint64_t value, uint64_t probe)
{
	struct pci_bar b = { .kind = PCI_BAR_NONE };
	uint64_t mask, size;

	if (value & 1) { /* I/O space: bits 31:2 are the address, 16 bits decoded on x86 */
		mask = probe & 0xfffffffcull & 0xffff;
		size = mask ? (~mask + 1) & 0xffff : 0;
		b.kind = PCI_BAR_IO;
		b.base = value & 0xfffc;
	} else {
		int is64 = pci_bar_is_64((uint32_t)value);
		mask = probe & ~0xfull;
		if (!is64)
			mask = (mask & 0xffffffffull) ? (mask & 0xffffffffull) | 0xffffffff00000000ull : 0;
		size = mask ? ~mask + 1 : 0;
		b.kind = is64 ? PCI_BAR_MEM64 : PCI_BAR_MEM32;
		b.prefetchable = (value >> 3) & 1;
		b.base = value & ~0xfull;
		if (!is64)
			b.base &= 0xffffffffull;
	}
	if (!size || (size & (size - 1))) {
		b.kind = PCI_BAR_NONE;
		b.base = b.size = 0;
		return b;
	}
	b.size = size;
	return b;
}
