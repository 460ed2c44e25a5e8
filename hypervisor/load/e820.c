/* Builder of the guest memory map that the Linux and Multiboot loaders hand over. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/load/e820.h"
#include "hypervisor/dev/platform.h"

static unsigned add(struct e820_entry *out, unsigned n, uint64_t base, uint64_t end, uint64_t ram, uint32_t type)
{
	if (type == E820_RAM && end > ram)
		end = ram; /* RAM the guest does not have is not in its map */
	if (end <= base)
		return n;
	out[n] = (struct e820_entry){ base, end - base, type };
	return n + 1;
}

unsigned e820_build(uint64_t ram_bytes, struct e820_entry out[E820_MAX])
{
	unsigned n = 0;

	n = add(out, n, 0, PLAT_LOW_RAM_END, ram_bytes, E820_RAM);
	/* The EBDA (PLAT_LOW_RAM_END to 640 KiB) and the BIOS area hold no RAM for the guest to use. */
	n = add(out, n, PLAT_LOW_RAM_END, 0xA0000, ram_bytes, E820_RESERVED);
	n = add(out, n, PLAT_BIOS_AREA, PLAT_BIOS_AREA_END, ram_bytes, E820_RESERVED);
	n = add(out, n, PLAT_BIOS_AREA_END, ram_bytes, ram_bytes, E820_RAM);
	/* The emulated devices' MMIO (virtio-mmio slots to the LAPIC page): never RAM, so the guest allocates none of it. */
	n = add(out, n, PLAT_MMIO_WINDOW_BASE, PLAT_MMIO_WINDOW_END, ram_bytes, E820_RESERVED);
	return n;
}

/* Length of the RAM run that starts exactly at `base`, merging adjacent RAM entries. */
static uint64_t ram_run(const struct e820_entry *map, unsigned n, uint64_t base)
{
	uint64_t end = base;
	for (unsigned i = 0; i < n; i++)
		if (map[i].type == E820_RAM && map[i].base <= end && map[i].base + map[i].length > end) {
			end = map[i].base + map[i].length;
			i = (unsigned)-1; /* look again from the start for a continuation */
		}
	return end - base;
}

void e820_mem_kib(const struct e820_entry *map, unsigned n, uint32_t *lower_kib, uint32_t *upper_kib)
{
	uint64_t lower = ram_run(map, n, 0), upper = ram_run(map, n, PLAT_BIOS_AREA_END);

	if (lower > 640 * 1024)
		lower = 640 * 1024; /* Multiboot 0.6.96 3.3: lower memory ends at 640 KiB at most */
	if (upper > 0xFFFFFFFFull * 1024)
		upper = 0xFFFFFFFFull * 1024;
	*lower_kib = (uint32_t)(lower / 1024);
	*upper_kib = (uint32_t)(upper / 1024);
}
