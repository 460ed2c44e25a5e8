/* The VM's MMIO bus: a short table of claimed guest-physical ranges, looked up on each emulated access. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include "hypervisor/dev/mmiobus.h"

/* [a, a+as) and [b, b+bs) intersect; sizes are non-zero and the ranges do not wrap (checked by the caller). */
static int overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

int mmio_bus_add(struct mmio_bus *bus, uint64_t base, uint64_t size, const struct mmio_ops *ops, void *dev)
{
	if (!size || base + size < base || !ops || !ops->read || !ops->write || bus->count >= MMIO_MAX_RANGES)
		return -1;
	for (uint32_t i = 0; i < bus->count; i++)
		if (overlaps(base, size, bus->r[i].base, bus->r[i].size))
			return -1;
	bus->r[bus->count++] = (struct mmio_range){ base, size, ops, dev };
	return 0;
}

const struct mmio_range *mmio_bus_find(const struct mmio_bus *bus, uint64_t gpa, unsigned size)
{
	if (!size || gpa + size < gpa)
		return NULL;
	for (uint32_t i = 0; i < bus->count && i < MMIO_MAX_RANGES; i++) {
		const struct mmio_range *r = &bus->r[i];
		if (gpa >= r->base && gpa - r->base < r->size)
			return size <= r->size - (gpa - r->base) ? r : NULL;
	}
	return NULL;
}
