/* Offsets of the guest GPRs in struct vcpu_regs, and the load/save sequences both entry stubs use. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VCPU_REGS_ASM_H
#define HYPERVISOR_VCPU_REGS_ASM_H

/* Checked against struct vcpu_regs in hypervisor/vcpu_regs.c. */
#define GPR_RAX 0
#define GPR_RBX 8
#define GPR_RCX 16
#define GPR_RDX 24
#define GPR_RSI 32
#define GPR_RDI 40
#define GPR_RBP 48
#define GPR_R8 56
#define GPR_R9 64
#define GPR_R10 72
#define GPR_R11 80
#define GPR_R12 88
#define GPR_R13 96
#define GPR_R14 104
#define GPR_R15 112

#ifdef __ASSEMBLER__
/* Loads every guest GPR but RAX and RDI (each stub places those itself) from the regs at \base. */
.macro guest_gprs_load base
	movq GPR_RBX(\base), %rbx
	movq GPR_RCX(\base), %rcx
	movq GPR_RDX(\base), %rdx
	movq GPR_RSI(\base), %rsi
	movq GPR_RBP(\base), %rbp
	movq GPR_R8(\base), %r8
	movq GPR_R9(\base), %r9
	movq GPR_R10(\base), %r10
	movq GPR_R11(\base), %r11
	movq GPR_R12(\base), %r12
	movq GPR_R13(\base), %r13
	movq GPR_R14(\base), %r14
	movq GPR_R15(\base), %r15
.endm

/* Stores the same registers into the regs at \base. */
.macro guest_gprs_save base
	movq %rbx, GPR_RBX(\base)
	movq %rcx, GPR_RCX(\base)
	movq %rdx, GPR_RDX(\base)
	movq %rsi, GPR_RSI(\base)
	movq %rbp, GPR_RBP(\base)
	movq %r8, GPR_R8(\base)
	movq %r9, GPR_R9(\base)
	movq %r10, GPR_R10(\base)
	movq %r11, GPR_R11(\base)
	movq %r12, GPR_R12(\base)
	movq %r13, GPR_R13(\base)
	movq %r14, GPR_R14(\base)
	movq %r15, GPR_R15(\base)
.endm
#endif

#endif
