/* Interrupt delivery to vCPUs, arch-neutral: LAPIC model -> backend injection, HLT sleep, SIPI start. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/intr.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/pv_eoi.h"
#include "hypervisor/vm.h"
#include "hypervisor/virt_ops.h"
#include "kernel/sched.h"
#include "kernel/time.h"

#define X86_NMI 2

static struct vlapic *lapic_of(struct vcpu *v)
{
	struct vplatform *p = v->vm->plat;

	return p && v->index < p->bus.count ? &p->lapic[v->index] : NULL;
}

/* With the interrupt lock held: one event to the backend, or a window request (SDM Vol 3C 26.3.1.4, 26.6.5). */
static void deliver_locked(struct vcpu *v, struct vlapic *l, const struct virt_ops *ops)
{
	int vec;

	if (l->nmi_pending) {
		if (!ops->event_allowed(v, true)) {
			ops->request_window(v, true);
			return;
		}
		l->nmi_pending = false;
		ops->inject_event(v, X86_NMI, true);
		return;
	}
	vec = vlapic_pending_vector(l);
	if (vec < 0)
		return;
	if (!ops->event_allowed(v, false)) {
		ops->request_window(v, false);
		return;
	}
	vlapic_ack(l, (uint8_t)vec); /* IRR -> ISR as the CPU's INTA cycle does (SDM Vol 3A 11.8.4) */
	ops->inject_event(v, (uint8_t)vec, false);
}

uint64_t intr_before_entry(struct vcpu *v)
{
	struct vplatform *p = v->vm->plat;
	struct vlapic *l = lapic_of(v);
	const struct virt_ops *ops = virt_ops_get();
	uint64_t flags, next, now;

	if (!l || !ops)
		return UINT64_MAX;
	vplatform_tick(v->vm);
	flags = spin_lock_irqsave(&p->lock);
	deliver_locked(v, l, ops);
	pv_eoi_before_entry(v, l);
	spin_unlock_irqrestore(&p->lock, flags);
	next = vplatform_next_event_ns(v->vm);
	now = time_ns();
	return next == UINT64_MAX ? UINT64_MAX : next > now ? next - now : 0;
}

void intr_after_exit(struct vcpu *v)
{
	struct vplatform *p = v->vm->plat;
	struct vlapic *l = lapic_of(v);
	uint64_t flags;

	if (!l || !v->pv_eoi_offered)
		return;
	flags = spin_lock_irqsave(&p->lock);
	pv_eoi_after_exit(v, l);
	spin_unlock_irqrestore(&p->lock, flags);
}

static bool event_pending_locked(const struct vlapic *l)
{
	return l->nmi_pending || vlapic_pending_vector(l) >= 0;
}

void intr_halt(struct vcpu *v, uint64_t max_ns)
{
	struct vplatform *p = v->vm->plat;
	struct vlapic *l = lapic_of(v);
	uint64_t now = time_ns(), until = now + max_ns, next, flags;

	if (!l) {
		v->halted_until_ns = until;
		return;
	}
	next = vplatform_next_event_ns(v->vm);
	if (next < until)
		until = next;
	flags = spin_lock_irqsave(&p->lock);
	v->halted_until_ns = event_pending_locked(l) ? 0 : until;
	spin_unlock_irqrestore(&p->lock, flags);
}

/*
 * Real mode at the SIPI vector: CS selector vector << 8, base vector << 12,
 * IP 0 (SDM Vol 3A 8.4.4.1 step 9; 10.4.7.3 for the INIT state). The rest is
 * the INIT state the loader gave this AP, with PE clear and no GDT.
 */
static void start_at_sipi(struct vcpu *v, uint8_t vector)
{
	struct vcpu_regs *r = &v->regs;
	const struct vcpu_seg data = { 0, 0xffff, 0x93, 0 };

	r->cr0 = 0x30;                          /* ET, NE; paging and protection off (SDM Vol 3A table 10-1) */
	r->cr3 = r->cr4 = r->efer = 0;
	r->rip = 0;
	r->rflags = 0x2;
	r->cs = (struct vcpu_seg){ (uint16_t)(vector << 8), 0xffff, 0x9b, (uint64_t)vector << 12 };
	r->ds = r->es = r->fs = r->gs = r->ss = data;
	r->gdtr = (struct vcpu_dtable){ 0, 0xffff };
	r->idtr = (struct vcpu_dtable){ 0, 0x3ff }; /* the real-mode vector table at 0 */
	r->rdx = 0x600; /* family 6 as CPUID reports it (SDM Vol 3A 10.1.2) */
	v->halted_until_ns = 0;
	v->reinit_req = true;                    /* the backend reloads the whole state from regs */
}

void intr_notify(struct vcpu *v)
{
	struct vlapic *l = lapic_of(v);

	if (!l)
		return;
	if (v->wait_sipi) {
		/* INIT arms the AP (8.4.3); a SIPI without a prior INIT is ignored, as in wait-for-SIPI. */
		if (l->init_pending && l->sipi_pending) {
			l->init_pending = l->sipi_pending = false;
			start_at_sipi(v, l->sipi_vector);
			__atomic_store_n(&v->wait_sipi, false, __ATOMIC_RELEASE);
		} else if (l->sipi_pending) {
			l->sipi_pending = false;
			return;
		} else {
			return;
		}
	} else if (l->init_pending || l->sipi_pending) {
		/* INIT of a running vCPU is not modelled: it keeps running (logged by the caller's counters). */
		l->init_pending = l->sipi_pending = false;
	}
	if (v->halted_until_ns != VCPU_PARKED || l->nmi_pending)
		v->halted_until_ns = 0;
	sched_wake_vcpu(v);
}
