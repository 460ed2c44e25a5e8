/* Per-vCPU processor state the VMCS/VMCB does not switch: debug registers, TSC_AUX, and the speculation barriers. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_GUEST_CONTEXT_H
#define HYPERVISOR_GUEST_CONTEXT_H

#include <stdint.h>

struct vcpu;

/* What the guest sees after reset: DR0-3 zero, DR6 0xFFFF0FF0 (SDM Vol 3A 18.2.3), TSC_AUX its vCPU index. */
void guest_context_reset(struct vcpu *v);
/* Reads CPUID/ARCH_CAPABILITIES once (on the BSP): which barriers this machine needs. */
void guest_context_probe(void);
/* Start of a slice on this CPU: loads the vCPU's DR0-3, DR6 and TSC_AUX, and an IBPB if the last VM here was another. */
void guest_context_enter(struct vcpu *v);
/* End of a slice: saves them and clears the breakpoints, so the next guest here cannot read them. */
void guest_context_leave(struct vcpu *v);
/* A guest WRMSR to IA32_TSC_AUX (bits 63:32 must be 0; checked by the caller), on the vCPU's own CPU. */
void guest_context_set_tsc_aux(struct vcpu *v, uint64_t value);
/* Right before each VM entry: L1D flush and/or VERW where the CPU is affected (L1TF, MDS). Interrupts off. */
void guest_context_entry_barrier(void);

#endif
