/* Interrupt lines of a VM: device models raise them, the IOAPIC and the 8259 route them to vCPUs. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_DEV_IRQ_H
#define HYPERVISOR_DEV_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/*
 * Sets the level of global system interrupt `gsi` (IOAPIC pin; ISA IRQs 0-15
 * are pins 0-15 except IRQ0 -> GSI2, see hypervisor/dev/platform.h). A level
 * device keeps the line up until its condition clears; an edge device raises
 * and lowers it (vm_irq_pulse). Out-of-range lines are ignored.
 * Safe to call from any CPU: the routing takes the VM's interrupt lock.
 */
void vm_irq_set(struct vm *vm, uint32_t gsi, bool level);
void vm_irq_pulse(struct vm *vm, uint32_t gsi);

#endif
