/* MSRs the VT-x backend keeps itself: PAT in the VMCS, and the SYSCALL MSRs switched per vCPU. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/vm.h"
#include "hypervisor/vmx/vmcs.h"
#include "hypervisor/vmx/vmx_exit.h"
#include "hypervisor/vmx/vmx_local.h"
#include "hypervisor/vmx/vmx_vm.h"
#include "kernel/arch/x86.h"

#define X86_GP 13

/*
 * STAR, LSTAR, CSTAR, SFMASK and KERNEL_GS_BASE are not in the VMCS (SDM
 * Vol 3C 25.4): the guest reaches them without exits and this CPU's
 * registers hold the values of the vCPU that ran here last. The hypervisor
 * itself has no SYSCALL entry and never runs SWAPGS, so nothing of its own
 * lives in them; what matters is that no vCPU sees another's (Xen and KVM
 * switch them lazily the same way).
 */
const uint32_t vmx_switched_msrs[VMX_SWITCHED_MSRS] = { 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000102 };

void vmx_msrs_enter(struct vmx_cpu *c, struct vmx_vcpu *a)
{
	if (c->msr_owner == a)
		return;
	if (c->msr_owner)
		for (unsigned i = 0; i < VMX_SWITCHED_MSRS; i++)
			c->msr_owner->msrs[i] = rdmsr(vmx_switched_msrs[i]);
	for (unsigned i = 0; i < VMX_SWITCHED_MSRS; i++)
		wrmsr(vmx_switched_msrs[i], a->msrs[i]);
	c->msr_owner = a;
}

void vmx_msrs_forget(struct vmx_cpu *c, struct vmx_vcpu *a)
{
	if (c && c->msr_owner == a)
		c->msr_owner = NULL;
}

/* Each PAT entry is a memory type 0, 1, 4, 5, 6 or 7 (SDM Vol 3A 12.12.2), else #GP. */
static bool pat_write(uint64_t val)
{
	for (unsigned i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(val >> (8 * i));
		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	vmwrite(VMCS_GUEST_PAT, val);
	return true;
}

bool vmx_exit_local(struct vcpu *v, struct vmx_vcpu *a, struct vm_exit *e)
{
	uint32_t msr = e->u.msr.index;
	uint64_t val = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
	bool ok = true;

	(void)a;
	if ((e->code != EXIT_MSR_READ && e->code != EXIT_MSR_WRITE) || msr != MSR_PAT)
		return false;
	if (e->code == EXIT_MSR_READ) {
		val = vmread(VMCS_GUEST_PAT);
		v->regs.rax = (uint32_t)val;
		v->regs.rdx = val >> 32;
	} else {
		ok = pat_write(val);
	}
	if (ok)
		v->regs.rip += e->inst_len;
	else
		vmx_inject_exception(v, X86_GP, true, 0);
	e->code = EXIT_NONE;
	e->inst_len = 0;
	return true;
}
