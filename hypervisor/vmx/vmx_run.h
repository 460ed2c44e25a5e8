/* The VT-x entry/exit stub (vmx_run.S); guest GPR offsets come from hypervisor/vcpu_regs_asm.h. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMX_RUN_H
#define HYPERVISOR_VMX_VMX_RUN_H


#define VR_VMCS_HOST_RSP 0x6c14 /* SDM Vol 3D B.4.4 */

#ifndef __ASSEMBLY__
#include <stdint.h>
struct vcpu_regs;
/*
 * Loads the guest GPRs from `regs`, sets HOST_RSP and runs VMLAUNCH (launched
 * 0) or VMRESUME. Returns 0 after a VM exit with the guest GPRs saved back
 * into `regs`, or 1 if the instruction failed (VMfailInvalid/VMfailValid).
 */
int vmx_enter(struct vcpu_regs *regs, uint32_t launched);
#endif

#endif
