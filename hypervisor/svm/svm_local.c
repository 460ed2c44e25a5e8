/* Exits the AMD-V backend finishes itself: guest EFER and PAT (VMCB state), and #DB/#AC reflection. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/cr_policy.h"
#include "hypervisor/svm/svm.h"
#include "hypervisor/svm/svm_exit.h"
#include "kernel/arch/x86.h"

#define X86_DB 1
#define X86_GP 13
#define X86_AC 17

/*
 * The guest's EFER lives in the VMCB and must keep SVME (APM Vol 2 15.5.1),
 * so writes exit and are applied here, by the rule every backend shares.
 */
static bool efer_write(struct vmcb *vmcb, uint64_t val)
{
	uint64_t efer;

	if (efer_write_value(vmcb->save.efer & ~EFER_SVME, val, vmcb->save.cr0, &efer))
		return false;
	vmcb->save.efer = efer | EFER_SVME;
	return true;
}

/* Each PAT entry is a memory type 0, 1, 4, 5, 6 or 7 (APM Vol 2 7.8.1); the VMCB's G_PAT holds it. */
static bool pat_write(struct vmcb *vmcb, uint64_t val)
{
	for (unsigned i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(val >> (8 * i));
		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	vmcb->save.g_pat = val;
	return true;
}

static bool msr_write(struct vmcb *vmcb, uint32_t msr, uint64_t val)
{
	return msr == MSR_EFER ? efer_write(vmcb, val) : pat_write(vmcb, val);
}

static uint64_t msr_read(const struct vmcb *vmcb, uint32_t msr)
{
	return msr == MSR_EFER ? vmcb->save.efer & ~EFER_SVME : vmcb->save.g_pat;
}

static bool local_msr(struct vcpu *v, struct svm_vcpu *sv, struct vm_exit *e)
{
	uint32_t msr = e->u.msr.index;
	uint64_t val = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;

	if (msr != MSR_EFER && msr != MSR_PAT)
		return false;
	if (e->code == EXIT_MSR_READ) {
		val = msr_read(sv->vmcb, msr);
		v->regs.rax = (uint32_t)val;
		v->regs.rdx = val >> 32;
	} else if (!msr_write(sv->vmcb, msr, val)) {
		sv->pending_event = vmcb_event_exception(X86_GP, true, 0);
		return true;
	}
	sv->dirty |= VMCB_CLEAN_CRX | VMCB_CLEAN_NP;
	v->regs.rip += e->inst_len;
	return true;
}

/*
 * #DB and #AC are intercepted only so that a guest cannot hang the CPU in an
 * endless delivery loop (APM Vol 2 15.12): they go straight back to the guest.
 */
static void reflect_exception(struct svm_vcpu *sv, uint8_t vector)
{
	sv->reinject = 0;
	sv->pending_event = vmcb_event_exception(vector, vector == X86_AC, (uint32_t)sv->vmcb->ctl.exitinfo1);
}

bool svm_exit_local(struct vcpu *v, struct svm_vcpu *sv, struct vm_exit *e)
{
	uint64_t code = e->raw_reason;
	bool done = false;

	if (code == SVM_EXIT_MSR)
		done = local_msr(v, sv, e);
	else if (code == SVM_EXIT_EXCP_BASE + X86_DB || code == SVM_EXIT_EXCP_BASE + X86_AC) {
		reflect_exception(sv, (uint8_t)(code - SVM_EXIT_EXCP_BASE));
		done = true;
	}
	if (done) {
		e->code = EXIT_NONE;
		e->inst_len = 0;
	}
	return done;
}
