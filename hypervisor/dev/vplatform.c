/* The virtual PC of one VM: its interrupt controllers, timers, RTC, PM block and reset ports, wired together. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include "hypervisor/dev/irq_route.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/intr.h"
#include "hypervisor/vm.h"
#include "kernel/arch/x86.h"
#include "kernel/time.h"

#define MSR_TSC_DEADLINE 0x6e0 /* SDM Vol 4 Table 2-2: IA32_TSC_DEADLINE */

_Static_assert(APIC_BUS_MAX_LAPICS >= VM_MAX_VCPUS, "every vCPU needs a local APIC on the bus");

/* A local APIC took an interrupt: its vCPU must not sleep through it (hypervisor/intr.c delivers it). */
static void wake_vcpu(void *ctx, uint32_t index)
{
	struct vplatform *p = ctx;

	if (index < p->vm->vcpu_count)
		intr_notify(&p->vm->vcpus[index]);
}

static uint64_t lapic_mmio_read(void *dev, struct vcpu *v, uint64_t offset, unsigned size)
{
	struct vplatform *p = dev;
	uint64_t flags = spin_lock_irqsave(&p->lock), value;

	value = vlapic_mmio_read(&p->lapic[v->index], offset, size, time_ns(), rdtsc());
	spin_unlock_irqrestore(&p->lock, flags);
	return value;
}

static void lapic_mmio_write(void *dev, struct vcpu *v, uint64_t offset, unsigned size, uint64_t value)
{
	struct vplatform *p = dev;
	uint64_t flags = spin_lock_irqsave(&p->lock);

	vlapic_mmio_write(&p->lapic[v->index], offset, size, value, time_ns(), rdtsc());
	spin_unlock_irqrestore(&p->lock, flags);
}

static uint64_t ioapic_mmio_read(void *dev, struct vcpu *v, uint64_t offset, unsigned size)
{
	struct vplatform *p = dev;
	uint64_t flags = spin_lock_irqsave(&p->lock), value;

	(void)v;
	value = vioapic_mmio_read(&p->ioapic, offset, size);
	spin_unlock_irqrestore(&p->lock, flags);
	return value;
}

static void ioapic_mmio_write(void *dev, struct vcpu *v, uint64_t offset, unsigned size, uint64_t value)
{
	struct vplatform *p = dev;
	uint64_t flags = spin_lock_irqsave(&p->lock);

	(void)v;
	vioapic_mmio_write(&p->ioapic, offset, size, (uint32_t)value);
	spin_unlock_irqrestore(&p->lock, flags);
}

static const struct mmio_ops lapic_ops = { lapic_mmio_read, lapic_mmio_write };
static const struct mmio_ops ioapic_ops = { ioapic_mmio_read, ioapic_mmio_write };

/* Keeps the refusal counters of a boot when the models are reset for the next one. */
static void keep_counts(struct vplatform *p)
{
	p->undelivered_before_reset += p->bus.dropped;
	p->ioapic_bogus_before_reset += p->ioapic.bogus_vectors;
	for (uint32_t i = 0; i < p->bus.count; i++) {
		p->illegal_before_reset += p->lapic[i].illegal_vectors;
		p->disabled_before_reset += p->lapic[i].dropped_disabled;
	}
}

/* Call with the lock held. */
static void reset_locked(struct vplatform *p)
{
	struct vm *vm = p->vm;
	uint64_t now = time_ns();

	keep_counts(p);
	p->bus = (struct apic_bus){ .count = vm->vcpu_count, .ioapic = &p->ioapic, .notify = wake_vcpu, .ctx = p };
	for (uint32_t i = 0; i < vm->vcpu_count && i < APIC_BUS_MAX_LAPICS; i++) {
		vlapic_reset(&p->lapic[i], i, i == 0, time_tsc_hz(), &p->bus);
		p->bus.lapic[i] = &p->lapic[i];
	}
	vioapic_reset(&p->ioapic, vm->vcpu_count, &p->bus); /* the IOAPIC id follows the last vCPU's */
	vpic_reset(&p->pic);
	vpit_reset(&p->pit);
	acpi_pm_reset(&p->pm, now);
	vreset_init(&p->reset);
	p->gsi_level = 0;
}

int vplatform_create(struct vm *vm)
{
	struct vplatform *p = calloc(1, sizeof(*p));

	if (!p)
		return -1;
	p->vm = vm;
	vm->plat = p;
	vrtc_reset(&p->rtc); /* once: the CMOS clock and RAM keep across the VM's reboots, as on battery */
	reset_locked(p);
	/* The LAPIC page is one range for all vCPUs: the handler picks the accessing vCPU's APIC. */
	if (mmio_bus_add(&vm->mmio, PLAT_LAPIC_BASE, PLAT_LAPIC_SIZE, &lapic_ops, p) ||
	    mmio_bus_add(&vm->mmio, PLAT_IOAPIC_BASE, PLAT_IOAPIC_SIZE, &ioapic_ops, p)) {
		vplatform_free(vm);
		return -1;
	}
	return 0;
}

void vplatform_free(struct vm *vm)
{
	free(vm->plat);
	vm->plat = NULL;
}

void vplatform_reset(struct vm *vm)
{
	struct vplatform *p = vm->plat;
	uint64_t flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	reset_locked(p);
	spin_unlock_irqrestore(&p->lock, flags);
}

void vplatform_tick(struct vm *vm)
{
	struct vplatform *p = vm->plat;
	uint64_t flags, now = time_ns(), tsc = rdtsc();

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	for (uint32_t i = 0; i < p->bus.count; i++)
		vlapic_timer_update(&p->lapic[i], now, tsc);
	if (vpit_irq0_due(&p->pit, now)) {
		irq_route_locked(p, PLAT_GSI_PIT, true);
		irq_route_locked(p, PLAT_GSI_PIT, false);
	}
	irq_route_locked(p, PLAT_IRQ_SCI, acpi_pm_sci(&p->pm, now));
	spin_unlock_irqrestore(&p->lock, flags);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t vplatform_next_event_ns(struct vm *vm)
{
	struct vplatform *p = vm->plat;
	uint64_t flags, now = time_ns(), tsc = rdtsc(), next;

	if (!p)
		return UINT64_MAX;
	flags = spin_lock_irqsave(&p->lock);
	next = min_u64(vpit_irq0_next_ns(&p->pit, now), acpi_pm_next_event_ns(&p->pm, now));
	for (uint32_t i = 0; i < p->bus.count; i++)
		next = min_u64(next, vlapic_timer_next_ns(&p->lapic[i], now, tsc));
	spin_unlock_irqrestore(&p->lock, flags);
	return next;
}

static bool apic_msr(uint32_t msr)
{
	return msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE ||
	       (msr >= LAPIC_X2APIC_MSR_FIRST && msr <= LAPIC_X2APIC_MSR_LAST);
}

int vplatform_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	struct vplatform *p = v->vm->plat;
	struct vlapic *l;
	uint64_t flags;
	int rc = 1;

	if (!p || !apic_msr(msr))
		return 0;
	l = &p->lapic[v->index];
	flags = spin_lock_irqsave(&p->lock);
	if (msr == MSR_APIC_BASE)
		*value = l->apic_base;
	else if (msr == MSR_TSC_DEADLINE)
		*value = vlapic_tsc_deadline_read(l);
	else if (vlapic_msr_read(l, msr, value, time_ns(), rdtsc()))
		rc = -1;
	spin_unlock_irqrestore(&p->lock, flags);
	return rc;
}

int vplatform_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct vplatform *p = v->vm->plat;
	struct vlapic *l;
	uint64_t flags, now = time_ns(), tsc = rdtsc();
	int rc = 1;

	if (!p || !apic_msr(msr))
		return 0;
	l = &p->lapic[v->index];
	flags = spin_lock_irqsave(&p->lock);
	if (msr == MSR_APIC_BASE)
		rc = vlapic_set_base(l, value, now, tsc) ? -1 : 1;
	else if (msr == MSR_TSC_DEADLINE)
		vlapic_tsc_deadline_write(l, value, now, tsc);
	else if (vlapic_msr_write(l, msr, value, now, tsc))
		rc = -1;
	spin_unlock_irqrestore(&p->lock, flags);
	return rc;
}

bool vplatform_power_button(struct vm *vm)
{
	struct vplatform *p = vm->plat;
	uint64_t flags;
	bool listens;

	if (!p)
		return false;
	flags = spin_lock_irqsave(&p->lock);
	listens = acpi_pm_power_button_enabled(&p->pm);
	if (listens) {
		acpi_pm_power_button(&p->pm);
		irq_route_locked(p, PLAT_IRQ_SCI, acpi_pm_sci(&p->pm, time_ns()));
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return listens;
}

void vplatform_counts(struct vm *vm, struct vplatform_counts *out)
{
	struct vplatform *p = vm->plat;
	uint64_t flags;

	*out = (struct vplatform_counts){ 0 };
	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	out->undelivered = p->bus.dropped + p->undelivered_before_reset;
	out->ioapic_bogus = p->ioapic.bogus_vectors + p->ioapic_bogus_before_reset;
	out->illegal_vectors = p->illegal_before_reset;
	out->disabled = p->disabled_before_reset;
	for (uint32_t i = 0; i < p->bus.count; i++) {
		out->illegal_vectors += p->lapic[i].illegal_vectors;
		out->disabled += p->lapic[i].dropped_disabled;
	}
	spin_unlock_irqrestore(&p->lock, flags);
}

int vplatform_pending_vector(struct vcpu *v)
{
	struct vplatform *p = v->vm->plat;
	uint64_t flags;
	int vector;

	if (!p)
		return -1;
	flags = spin_lock_irqsave(&p->lock);
	vector = vlapic_pending_vector(&p->lapic[v->index]);
	spin_unlock_irqrestore(&p->lock, flags);
	return vector;
}

void vplatform_ack_vector(struct vcpu *v, uint8_t vector)
{
	struct vplatform *p = v->vm->plat;
	uint64_t flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	vlapic_ack(&p->lapic[v->index], vector);
	spin_unlock_irqrestore(&p->lock, flags);
}

bool vplatform_take_nmi(struct vcpu *v)
{
	struct vplatform *p = v->vm->plat;
	uint64_t flags;
	bool nmi;

	if (!p)
		return false;
	flags = spin_lock_irqsave(&p->lock);
	nmi = p->lapic[v->index].nmi_pending;
	p->lapic[v->index].nmi_pending = false;
	spin_unlock_irqrestore(&p->lock, flags);
	return nmi;
}

bool vplatform_take_init(struct vcpu *v)
{
	struct vplatform *p = v->vm->plat;
	uint64_t flags;
	bool init;

	if (!p)
		return false;
	flags = spin_lock_irqsave(&p->lock);
	init = p->lapic[v->index].init_pending;
	if (init)
		vlapic_init_reset(&p->lapic[v->index]); /* clears init_pending with the rest */
	spin_unlock_irqrestore(&p->lock, flags);
	return init;
}

int vplatform_take_sipi(struct vcpu *v)
{
	struct vplatform *p = v->vm->plat;
	uint64_t flags;
	int vector = -1;

	if (!p)
		return -1;
	flags = spin_lock_irqsave(&p->lock);
	if (p->lapic[v->index].sipi_pending) {
		p->lapic[v->index].sipi_pending = false;
		vector = p->lapic[v->index].sipi_vector;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return vector;
}
