/* Interrupt lines of a VM: GSI -> IOAPIC -> local APICs, ISA IRQs also to the 8259 pair. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/dev/irq.h"
#include "hypervisor/dev/irq_route.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/vm.h"

/*
 * The wiring QEMU's PC machines use and the MADT describes: IOAPIC pins 0-15
 * are the ISA lines, except that the PIT's IRQ 0 enters at pin 2 (interrupt
 * source override) and pin 0 has no ISA device. Each ISA line also reaches
 * the 8259 input of the same number, so a guest that uses the PIC sees it.
 */
int irq_gsi_to_isa(uint32_t gsi)
{
	if (gsi == PLAT_GSI_PIT)
		return PLAT_IRQ_PIT;
	if (gsi == 0 || gsi >= 16)
		return -1;
	return (int)gsi;
}

void irq_route_locked(struct vplatform *p, uint32_t gsi, bool level)
{
	int isa = irq_gsi_to_isa(gsi);

	if (gsi >= PLAT_IOAPIC_PINS)
		return;
	if (level)
		p->gsi_level |= 1u << gsi;
	else
		p->gsi_level &= ~(1u << gsi);
	vioapic_set_pin(&p->ioapic, gsi, level);
	if (isa >= 0)
		vpic_set_irq(&p->pic, (unsigned)isa, level);
}

void vm_irq_set(struct vm *vm, uint32_t gsi, bool level)
{
	struct vplatform *p = vm ? vm->plat : NULL;
	uint64_t flags;

	if (!p || gsi >= PLAT_IOAPIC_PINS)
		return;
	flags = spin_lock_irqsave(&p->lock);
	irq_route_locked(p, gsi, level);
	spin_unlock_irqrestore(&p->lock, flags);
}

void vm_irq_pulse(struct vm *vm, uint32_t gsi)
{
	struct vplatform *p = vm ? vm->plat : NULL;
	uint64_t flags;

	if (!p || gsi >= PLAT_IOAPIC_PINS)
		return;
	flags = spin_lock_irqsave(&p->lock);
	irq_route_locked(p, gsi, true);
	irq_route_locked(p, gsi, false);
	spin_unlock_irqrestore(&p->lock, flags);
}
