/* Guest register offsets the VM entry/exit stub uses; vmx.c checks them against struct vcpu_regs. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VMX_VMX_RUN_H
#define HYPERVISOR_VMX_VMX_RUN_H

#define VR_RAX 0
#define VR_RBX 8
#define VR_RCX 16
#define VR_RDX 24
#define VR_RSI 32
#define VR_RDI 40
#define VR_RBP 48
#define VR_R8 56
#define VR_R9 64
#define VR_R10 72
#define VR_R11 80
#define VR_R12 88
#define VR_R13 96
#define VR_R14 104
#define VR_R15 112

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
