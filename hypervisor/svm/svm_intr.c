/* AMD-V interrupt delivery: EVENTINJ, the V_IRQ + VINTR window, the interrupt shadow and NMI blocking. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/svm/svm.h"
#include "hypervisor/svm/svm_exit.h"

#define RFLAGS_IF (1ull << 9)
#define X86_NMI 2

/*
 * The shadow of STI or MOV SS (INTERRUPT_SHADOW, APM Vol 2 15.21.5) covers
 * the next instruction only: once the hypervisor has skipped the exiting
 * instruction (HLT after STI, an emulated access), it is over.
 */
static bool in_shadow(const struct vcpu *v, const struct svm_vcpu *sv)
{
	return (sv->vmcb->ctl.int_state & VMCB_INT_SHADOW) && v->regs.rip == sv->exit_rip;
}

/*
 * After an injected NMI the processor blocks NMIs until the handler's IRET
 * completes; SVM has no NMI-window intercept, so IRET is intercepted and NMIs
 * count as unblocked once the guest has left that IRET (as KVM does).
 */
static bool nmi_blocked(struct vcpu *v, struct svm_vcpu *sv)
{
	if (sv->nmi_blocked && sv->iret_seen && v->regs.rip != sv->iret_rip)
		sv->nmi_blocked = sv->iret_seen = false;
	return sv->nmi_blocked;
}

bool svm_event_allowed(struct vcpu *v, bool nmi)
{
	struct svm_vcpu *sv = v->arch;

	if (!sv || sv->pending_event || sv->reinject || sv->virq || in_shadow(v, sv))
		return false;
	return nmi ? !nmi_blocked(v, sv) : (v->regs.rflags & RFLAGS_IF) != 0;
}

/* EVENTINJ: type 0 external interrupt, type 2 NMI (vector field ignored, 2 by convention) (APM Vol 2 15.20). */
void svm_inject_event(struct vcpu *v, uint8_t vector, bool nmi)
{
	struct svm_vcpu *sv = v->arch;

	if (!sv)
		return;
	if (nmi) {
		sv->pending_event = EVENT_VALID | EVENT_TYPE_NMI | X86_NMI;
		sv->nmi_blocked = true;
		sv->iret_seen = false;
		sv->vmcb->ctl.intercept_misc1 |= VMCB_I1_IRET;
		sv->dirty |= VMCB_CLEAN_INTERCEPTS;
		return;
	}
	svm_post_virq(sv, vector);
}

/*
 * External interrupts go in as a virtual interrupt (V_IRQ with its vector and
 * priority, TPR ignored: the LAPIC model already arbitrated it), never through
 * EVENTINJ (APM Vol 2 15.21.4). The processor takes it once RFLAGS.IF is set
 * and no shadow is active, clears V_IRQ, and reports an interrupted delivery
 * in EXITINTINFO as for any event. QEMU's TCG delivers an EVENTINJ interrupt
 * but leaves it queued as its pending exception, and delivers it a second
 * time, whatever RFLAGS.IF is, at the next break in its execution loop (a
 * round-robin kick between vCPUs): a Linux guest took its timer interrupt in
 * the instructions between SWAPGS and IRET with the user's GS base. V_IRQ
 * goes through the ordinary interrupt check instead.
 */
void svm_post_virq(struct svm_vcpu *sv, uint8_t vector)
{
	struct vmcb_control *c = &sv->vmcb->ctl;

	c->vintr &= ~(VMCB_V_IRQ | VMCB_V_INTR_PRIO(0xf) | VMCB_V_IGN_TPR | VMCB_V_INTR_VECTOR_MASK);
	c->vintr |= VMCB_V_IRQ | VMCB_V_INTR_PRIO(vector >> 4) | VMCB_V_IGN_TPR | VMCB_V_INTR_VECTOR(vector);
	c->intercept_misc1 &= ~VMCB_I1_VINTR; /* a window request is superseded: this V_IRQ is the interrupt itself */
	sv->virq = true;
	sv->dirty |= VMCB_CLEAN_INTERCEPTS | VMCB_CLEAN_TPR;
}

/*
 * Interrupt window: a virtual interrupt (V_IRQ, highest priority, TPR
 * ignored) that the VINTR intercept catches the moment the guest would take
 * it, i.e. with RFLAGS.IF set and no shadow (APM Vol 2 15.21.4). The NMI
 * window is the IRET intercept, already set while NMIs are blocked; an NMI
 * that waits on something else (a queued event, a shadow) is retried at the
 * next exit, which the VINTR window brings as well.
 */
void svm_request_window(struct vcpu *v, bool nmi)
{
	struct svm_vcpu *sv = v->arch;

	if (!sv || (nmi && sv->nmi_blocked) || sv->virq)
		return; /* a posted V_IRQ is taken as soon as the guest can: the exit it brings retries the rest */
	sv->vmcb->ctl.vintr |= VMCB_V_IRQ | VMCB_V_INTR_PRIO(0xf) | VMCB_V_IGN_TPR;
	sv->vmcb->ctl.intercept_misc1 |= VMCB_I1_VINTR;
	sv->dirty |= VMCB_CLEAN_INTERCEPTS | VMCB_CLEAN_TPR;
}

void svm_intr_entry(const struct vcpu *v, struct svm_vcpu *sv)
{
	if (v->regs.rip != sv->exit_rip)
		sv->vmcb->ctl.int_state &= ~VMCB_INT_SHADOW;
}

void svm_intr_exit(struct svm_vcpu *sv, struct vm_exit *e)
{
	struct vmcb *vmcb = sv->vmcb;

	sv->exit_rip = vmcb->save.rip;
	if (sv->virq && !(vmcb->ctl.vintr & VMCB_V_IRQ))
		sv->virq = false; /* taken: the processor clears V_IRQ when it delivers it (APM Vol 2 15.21.4) */
	if (e->raw_reason == SVM_EXIT_VINTR && !sv->virq) {
		vmcb->ctl.vintr &= ~(VMCB_V_IRQ | VMCB_V_INTR_PRIO(0xf) | VMCB_V_IGN_TPR);
		vmcb->ctl.intercept_misc1 &= ~VMCB_I1_VINTR;
		sv->dirty |= VMCB_CLEAN_INTERCEPTS | VMCB_CLEAN_TPR;
	} else if (e->raw_reason == SVM_EXIT_IRET) {
		/* The exit comes before the IRET runs (APM Vol 2 15.9): it executes on resume, unintercepted. */
		vmcb->ctl.intercept_misc1 &= ~VMCB_I1_IRET;
		sv->dirty |= VMCB_CLEAN_INTERCEPTS;
		sv->iret_seen = true;
		sv->iret_rip = vmcb->save.rip;
	}
}
