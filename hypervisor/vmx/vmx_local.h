/* MSRs the VT-x backend keeps itself (vmx_local.c). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMX_LOCAL_H
#define HYPERVISOR_VMX_VMX_LOCAL_H

#include <stdbool.h>
#include "hypervisor/exit.h"
#include "hypervisor/vmx/vmx_vcpu.h"

struct vcpu;
struct vmx_cpu;
struct vmx_vcpu;

/* STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE: passed through, switched between vCPUs on a CPU. */
#define VMX_SWITCHED_MSRS 5
extern const uint32_t vmx_switched_msrs[VMX_SWITCHED_MSRS];
/* Before entering `a` on this CPU: the previous vCPU's values saved, a's loaded (nothing if a ran here last). */
void vmx_msrs_enter(struct vmx_cpu *c, struct vmx_vcpu *a);
/* `a` is going away: this CPU no longer holds anything for it. */
void vmx_msrs_forget(struct vmx_cpu *c, struct vmx_vcpu *a);

/* RDMSR/WRMSR of PAT (a VMCS guest field; EFER is hypervisor/msr.c's), finished here: `e` becomes EXIT_NONE. */
bool vmx_exit_local(struct vcpu *v, struct vmx_vcpu *a, struct vm_exit *e);

#endif
