/* The VM's MMIO bus: guest-physical ranges outside RAM claimed by emulated devices. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_MMIOBUS_H
#define HYPERVISOR_DEV_MMIOBUS_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

/*
 * A device's MMIO handlers. `offset` is relative to the range's base and
 * offset + size never passes its end (the bus checks); size is 1, 2, 4 or 8.
 * Reads return the value zero-extended; writes get it truncated to size.
 * `v` is the vCPU that made the access (the local APIC is per vCPU).
 * A handler never fails: a register it does not model reads as 0 and
 * ignores writes (or, for a device that wants to, logs once).
 */
struct mmio_ops {
	uint64_t (*read)(void *dev, struct vcpu *v, uint64_t offset, unsigned size);
	void (*write)(void *dev, struct vcpu *v, uint64_t offset, unsigned size, uint64_t value);
};

#define MMIO_MAX_RANGES 16

struct mmio_range {
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *dev;
};

struct mmio_bus {
	uint32_t count;
	struct mmio_range r[MMIO_MAX_RANGES];
};

/* Claims [base, base+size) for `dev`. -1 if it overlaps a claimed range, is empty, or the bus is full. */
int mmio_bus_add(struct mmio_bus *bus, uint64_t base, uint64_t size, const struct mmio_ops *ops, void *dev);
/* The range holding [gpa, gpa+size) entirely, or NULL (none, or the access straddles a range's end). */
const struct mmio_range *mmio_bus_find(const struct mmio_bus *bus, uint64_t gpa, unsigned size);

#endif
