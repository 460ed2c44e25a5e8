/* Interrupt-line routing inside a VM's platform: GSI -> IOAPIC pin, ISA IRQ -> 8259 input. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_IRQ_ROUTE_H
#define HYPERVISOR_DEV_IRQ_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

struct vplatform;

/*
 * Sets GSI `gsi` to `level` with the platform's lock already held (for the
 * platform's own devices); vm_irq_set (hypervisor/dev/irq.h) takes the lock
 * and calls this. Out-of-range lines are ignored.
 */
void irq_route_locked(struct vplatform *p, uint32_t gsi, bool level);
/* The 8259 input an IOAPIC GSI is wired to (GSI 2 takes IRQ 0, GSI 0 has none), -1 if none. */
int irq_gsi_to_isa(uint32_t gsi);

#endif
