/* CPUID exits: ask the CPU, apply the guest policy, write the answer into the guest's registers. */
/* SPDX-License-Identifier: MIT */

#include "hypervisor/cpuid_policy.h"
#include "hypervisor/exit_handlers.h"
#include "hypervisor/fpu.h"
#include "hypervisor/pvclock_guest.h"
#include "hypervisor/vm.h"
#include "include/bulwark/pvclock.h"
#include "kernel/arch/x86.h"

enum exit_action exit_cpuid(struct vcpu *v, const struct vm_exit *e)
{
	uint32_t leaf = (uint32_t)v->regs.rax, sub = (uint32_t)v->regs.rcx;
	struct cpuid_result r = { 0, 0, 0, 0 }, host;

	if (!cpuid_is_hypervisor_leaf(leaf)) {
		struct cpuid_regs h = cpuid(leaf, sub);
		r = (struct cpuid_result){ h.eax, h.ebx, h.ecx, h.edx };
	}
	host = r;
	cpuid_filter(leaf, sub, v->index, v->vm->vcpu_count, &r);
	if (leaf == PV_CPUID_FEATURES && pvclock_tsc_stable())
		r.eax |= PV_FEATURE_STABLE_BIT;
	if (leaf == 1 || leaf == 7 || leaf == 0xd) {
		struct cpuid_xsave x;
		fpu_cpuid_view(v, leaf == 1, &x);
		cpuid_xsave_view(leaf, sub, &host, &x, &r);
	}
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	v->regs.rip += e->inst_len;
	return EXIT_RESUME;
}
